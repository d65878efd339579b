import fc from 'fast-check';
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

/** Class configurations in the theorem's regime (every built-in class, including the penalised adversary). */
const classArb = fc.oneof(
  fc.record({ className: fc.constant('linear' as const), modelOptions: fc.constant({}) }),
  fc.record({ className: fc.constant('random-features' as const), modelOptions: fc.record({ activation: fc.constantFrom('relu', 'tanh', 'softplus', 'square', 'cos' as const) }) }),
  fc.record({ className: fc.constant('ntk-features' as const), modelOptions: fc.record({ activation: fc.constantFrom('square', 'cos', 'tanh' as const) }) }),
  fc.record({ className: fc.constant('two-layer' as const), modelOptions: fc.record({ activation: fc.constantFrom('tanh', 'relu' as const), penalty: fc.constantFrom(0, 1e-3, 1e-2, 1e-1), maxIter: fc.constant(1500) }) }),
  fc.record({ className: fc.constant('bumps' as const), modelOptions: fc.record({ profile: fc.constantFrom('hat', 'c1' as const) }) }),
  fc.record({ className: fc.constant('gaussian-kernel' as const), modelOptions: fc.constant({}) }),
  fc.record({ className: fc.constant('polynomial' as const), modelOptions: fc.record({ degree: fc.integer({ min: 1, max: 3 }) }) }),
);

/**
 * Instances in the theorem's regime: isoperimetric data (sphere, gaussian, hypercube, a 2-4 component
 * mixture), noisy labels (signs, flips, additive), any class, and a size multiplier that puts p below n,
 * between n and n d, or above n d. Data are built from the seed (never generated arrays), so shrinking
 * acts on the shape. Instances over the budget's n p are filtered out.
 */
export function inRegimeInstance(budget: InstanceBudget): fc.Arbitrary<InstanceSpec> {
  return fc
    .record({
      cls: classArb,
      dist: fc.constantFrom('sphere', 'gaussian', 'hypercube', 'mixture' as const),
      labels: fc.constantFrom('signs', 'flips', 'additive' as const),
      n: fc.integer({ min: 16, max: budget.nMax }),
      d: fc.integer({ min: 3, max: budget.dMax }),
      mult: fc.constantFrom(0.5, 1, 2, 4, 8, 16),
      eta: fc.constantFrom(0.2, 0.35, 0.5),
      noise: fc.constantFrom(0.6, 0.9),
      components: fc.integer({ min: 2, max: 4 }),
      seed: fc.integer({ min: 0, max: 100_000 }),
    })
    .map(({ cls, dist, labels, n, d, mult, eta, noise, components, seed }) => {
      const k = cls.className === 'ntk-features' ? Math.max(1, Math.round((mult * n) / d)) : cls.className === 'two-layer' ? Math.max(2, Math.round((mult * n) / (d + 2))) : Math.max(1, Math.round(mult * n));
      const modelOptions = { ...cls.modelOptions, ...(['random-features', 'ntk-features', 'two-layer'].includes(cls.className) ? { k } : {}) };
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
      } as InstanceSpec;
    })
    .filter((s) => estimatedWork(s) <= budget.workMax);
}

/** The parameter count p of a spec, as its class counts it, computed before fitting. */
export function expectedParameterCount(s: InstanceSpec): number {
  const { n, d } = s;
  const k = (s.modelOptions?.k as number | undefined) ?? 1;
  switch (s.className) {
    case 'linear':
      return d + 1;
    case 'random-features':
      return k;
    case 'ntk-features':
      return d * k;
    case 'two-layer':
      return k * (d + 2) + 1;
    case 'polynomial': {
      let c = 1;
      for (let i = 1; i <= ((s.modelOptions?.degree as number | undefined) ?? 2); i++) c = (c * (d + i)) / i;
      return Math.round(c);
    }
    default:
      return n * (d + 1);
  }
}

/** Cost proxy n p (two-layer: n k (d + 2), times 20 for its Adam iterations). */
export function estimatedWork(s: InstanceSpec): number {
  if (s.className === 'two-layer') return s.n * ((s.modelOptions?.k as number | undefined) ?? 1) * (s.d + 2) * 20;
  return s.n * expectedParameterCount(s);
}
