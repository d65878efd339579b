import fc from 'fast-check';
import { functionClass, parameterCount } from '../models/registry.js';
import type { InstanceSpec } from './instance.js';

/** Size limits of generated instances. */
export interface InstanceBudget {
  readonly nMax: number;
  readonly dMax: number;
  /** Upper limit on n * p (the cost of a fit and of the Lipschitz estimates). */
  readonly workMax: number;
}

/** quick (npm test) and deep (ROBUSTLAW_PROFILE=deep) budgets. */
export const BUDGETS: Readonly<Record<'quick' | 'deep', InstanceBudget>> = {
  quick: { nMax: 60, dMax: 24, workMax: 200_000 },
  deep: { nMax: 300, dMax: 100, workMax: 3_000_000 },
};

/** Which side of the law's two thresholds p sits on. */
export function pRegime(n: number, d: number, p: number): 'p < n' | 'n <= p <= nd' | 'p > nd' {
  return p < n ? 'p < n' : p <= n * d ? 'n <= p <= nd' : 'p > nd';
}

/** Class configurations in the theorem's regime (every built-in class, including the penalised adversary); shrinks within the drawn class's options. */
export const inRegimeClass = fc.oneof(
  fc.record({ className: fc.constant('linear' as const), modelOptions: fc.constant({}) }),
  fc.record({ className: fc.constant('random-features' as const), modelOptions: fc.record({ activation: fc.constantFrom('relu', 'tanh', 'softplus', 'square', 'cos' as const) }) }),
  fc.record({ className: fc.constant('ntk-features' as const), modelOptions: fc.record({ activation: fc.constantFrom('square', 'cos', 'tanh' as const) }) }),
  fc.record({ className: fc.constant('two-layer' as const), modelOptions: fc.record({ activation: fc.constantFrom('tanh', 'relu' as const), penalty: fc.constantFrom(0, 1e-3, 1e-2, 1e-1), maxIter: fc.constant(1500) }) }),
  fc.record({ className: fc.constant('bumps' as const), modelOptions: fc.record({ profile: fc.constantFrom('hat', 'c1' as const) }) }),
  fc.record({ className: fc.constant('gaussian-kernel' as const), modelOptions: fc.constant({}) }),
  fc.record({ className: fc.constant('polynomial' as const), modelOptions: fc.record({ degree: fc.integer({ min: 1, max: 3 }) }) }),
);

/** Isoperimetric data laws of the theorem (docs/science.md section 1); shrinks towards `sphere`. */
export const inRegimeDataLaw = fc.constantFrom('sphere', 'gaussian', 'hypercube', 'mixture' as const);
/** Noisy label models (sigma^2 > 0); shrinks towards `signs`. */
export const inRegimeLabels = fc.constantFrom('signs', 'flips', 'additive' as const);
/** Master seeds of generated instances; shrinks towards 0. */
export const instanceSeed = fc.integer({ min: 0, max: 100_000 });

/**
 * Instances in the theorem's regime: isoperimetric data (sphere, gaussian, hypercube, a 2-4 component
 * mixture), noisy labels (signs, flips, additive), any class, and a size multiplier that puts p below n,
 * between n and n d, or above n d. Data are built from the seed (never generated arrays), so shrinking
 * acts on the shape. Instances over the budget's n p are filtered out.
 */
export function inRegimeInstance(budget: InstanceBudget): fc.Arbitrary<InstanceSpec> {
  return fc
    .record({
      cls: inRegimeClass,
      dist: inRegimeDataLaw,
      labels: inRegimeLabels,
      n: fc.integer({ min: 16, max: budget.nMax }),
      d: fc.integer({ min: 3, max: budget.dMax }),
      mult: fc.constantFrom(0.5, 1, 2, 4, 8, 16),
      eta: fc.constantFrom(0.2, 0.35, 0.5),
      noise: fc.constantFrom(0.6, 0.9),
      components: fc.integer({ min: 2, max: 4 }),
      seed: instanceSeed,
    })
    .map(({ cls, dist, labels, n, d, mult, eta, noise, components, seed }) => {
      // a class sized by a width gets the k whose parameter count is closest to mult * n
      const width = functionClass(cls.className).width;
      const modelOptions = { ...cls.modelOptions, ...(width ? { k: width.forParameters(mult * n, d) } : {}) };
      return {
        dist,
        labels,
        className: cls.className,
        n,
        d,
        seed,
        distOptions: dist === 'mixture' ? { k: components, scale: 0.5 } : {},
        labelOptions: { eta, noise },
        modelOptions,
      };
    })
    .filter((s) => estimatedWork(s) <= budget.workMax);
}

/** The parameter count p of a spec, as its class counts it (src/models/registry.ts), computed before fitting. */
export function expectedParameterCount(s: InstanceSpec): number {
  return parameterCount(s.className, { n: s.n, d: s.d, options: s.modelOptions ?? {} });
}

/** Cost proxy n p, times the class's work factor (two-layer: its Adam iterations). */
export function estimatedWork(s: InstanceSpec): number {
  return s.n * expectedParameterCount(s) * (functionClass(s.className).workFactor ?? 1);
}
