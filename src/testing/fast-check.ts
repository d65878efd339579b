/**
 * `robustlaw/fast-check`: fast-check arbitraries for law instances (docs/package.md). They are the ones
 * the harness's own property suites and `robustlaw verify` draw from (src/law/instance-arbitrary.ts):
 * isoperimetric data laws, noisy labels, every built-in class, n, d, p below n, between n and n d or above
 * n d, and seeds. Integers shrink towards their minimum and choices towards their first option, so a
 * failing property is reported on a small instance; the data are drawn from the seed (never generated as
 * arrays), so fast-check's own seed and path replay the failure exactly.
 * @module
 */
import fc from 'fast-check';
import { buildInstance, type Instance, type InstanceSpec } from '../law/instance.js';
import { BUDGETS, inRegimeInstance, type InstanceBudget } from '../law/instance-arbitrary.js';

export { BUDGETS, inRegimeClass, inRegimeDataLaw, inRegimeLabels, instanceSeed, inRegimeInstance, pRegime, expectedParameterCount, estimatedWork, type InstanceBudget } from '../law/instance-arbitrary.js';
export type { Instance, InstanceSpec } from '../law/instance.js';

/** A budget by name (`quick`: n <= 60, d <= 24, n p <= 2e5; `deep`) or by its limits (missing ones from `quick`). */
export type BudgetChoice = 'quick' | 'deep' | Partial<InstanceBudget>;

const budgetOf = (b: BudgetChoice = 'quick'): InstanceBudget => (typeof b === 'string' ? BUDGETS[b] : { ...BUDGETS.quick, ...b });

/**
 * Instance specs in the theorem's regime within a budget (see {@link inRegimeInstance}): data law, labels,
 * class with its options, n, d, p (through the class's width) and seed. Shrinks towards small n and d.
 */
export function lawInstanceSpec(budget?: BudgetChoice): fc.Arbitrary<InstanceSpec> {
  return inRegimeInstance(budgetOf(budget));
}

/**
 * Drawn and fitted instances (data, labels, the fitted model: `instance.fit.model`, its noise level
 * `instance.fit.sigma2`), built from {@link lawInstanceSpec} by {@link buildInstance}; shrinking acts on the spec.
 */
export function lawInstance(budget?: BudgetChoice): fc.Arbitrary<Instance> {
  // printed by its spec in fast-check's counterexample report (the data and the model would fill pages)
  return lawInstanceSpec(budget).map((spec) => Object.assign(buildInstance(spec), { [fc.toStringMethod]: () => `instance ${JSON.stringify(spec)}` }));
}
