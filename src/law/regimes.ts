import fc from 'fast-check';
import type { InstanceSpec } from './instance.js';
import { evaluateInstance, type InstanceReport } from './evaluate.js';

/** The counterexample regimes of docs/science.md section 5 that the harness searches. */
export const REGIME_NAMES = ['noiseless', 'subspace', 'clusters', 'average'] as const;
/** A regime name. */
export type RegimeName = (typeof REGIME_NAMES)[number];

/** The shape of a searched instance: sizes and seed only, so that shrinking works on the shape. */
export interface RegimeParams {
  readonly n: number;
  readonly d: number;
  /** subspace: intrinsic dimension m; clusters: atoms k as a fraction of n (per mille); average: radius factor (per mille). */
  readonly extra: number;
  readonly seed: number;
}

/** What the search looks at for one instance. */
export interface RegimeOutcome {
  readonly report: InstanceReport;
  /** The certified ratio compared with the factor: upper / law (sup regimes) or the certified average bound / law. */
  readonly Rcertified: number | null;
  /** Whether the instance is in the theorem's regime for the in-regime control (eps >= 0.1). */
  readonly eligible: boolean;
}

/** A regime: its instance arbitrary, how an instance is built (outside the regime, or the in-regime control), and what is measured. */
export interface Regime {
  readonly name: RegimeName;
  readonly description: string;
  readonly arbitrary: fc.Arbitrary<RegimeParams>;
  build(params: RegimeParams, inRegime: boolean): InstanceSpec;
  /** `sup`: the certified upper bound on Lip(f); `average`: the certified bound on E||grad f||. */
  readonly statistic: 'sup' | 'average';
}

/** The in-regime premise used by the properties: fit below the noise level by at least this. */
export const MIN_EPS = 0.1;

/**
 * Constant of the sampling-scale premise n eps^2 >= K_SCALE k: the fit margin must exceed the scale
 * sqrt(k / n) at which chance alone lets a class fit k cluster means. This is the SCALING of Theorem 3's
 * k-condition 8^4 k ln(8k/delta) <= n eps^2 (and of Theorem 2's first term 4k exp(-n eps^2 / (8^3 k)))
 * without their constants, which no instance of a feasible size meets.
 */
export const K_SCALE = 8;

/** Whether an instance is in the regime the informal law speaks about (see MIN_EPS, K_SCALE). */
export function inLawRegime(n: number, eps: number, k: number): boolean {
  return eps >= MIN_EPS && n * eps * eps >= K_SCALE * k;
}

/** The four regimes. */
export const REGIMES: Readonly<Record<RegimeName, Regime>> = {
  noiseless: {
    name: 'noiseless',
    description: 'no label noise (sigma^2 = 0): a linear student (p = d + 1) of a clipped linear teacher; eps = Var(y) - MSE "as if the labels were noise" (docs/science.md section 5.1). Control: random-sign labels.',
    arbitrary: fc.record({ n: fc.integer({ min: 20, max: 4000 }), d: fc.integer({ min: 2, max: 100 }), extra: fc.constant(0), seed: fc.integer({ min: 0, max: 1000 }) }),
    build: (q, inRegime) => ({ dist: 'sphere', labels: inRegime ? 'signs' : 'noiseless', className: 'linear', n: q.n, d: q.d, seed: q.seed }),
    statistic: 'sup',
  },
  subspace: {
    name: 'subspace',
    description: 'low intrinsic dimension: x = U z, z on S^{m-1}; bumps in the intrinsic coordinates, p = n (m + 1) (docs/science.md section 5.2). Control: m = d (full dimension).',
    arbitrary: fc.record({ n: fc.integer({ min: 5, max: 120 }), d: fc.integer({ min: 10, max: 4000 }), extra: fc.integer({ min: 2, max: 10 }), seed: fc.integer({ min: 0, max: 1000 }) }),
    build: (q, inRegime) => {
      const d = inRegime ? Math.min(q.d, 60) : q.d;
      return { dist: 'subspace', labels: 'signs', className: 'intrinsic-bumps', n: q.n, d, seed: q.seed, distOptions: { m: inRegime ? d : Math.min(q.extra, d) } };
    },
    statistic: 'sup',
  },
  clusters: {
    name: 'clusters',
    description: 'too many mixture components: k tight clusters at known atoms, k close to n; bumps at the atoms with trained heights, p = k (docs/science.md section 5.3). Control: 4 wide clusters.',
    arbitrary: fc.record({ n: fc.integer({ min: 10, max: 300 }), d: fc.integer({ min: 2, max: 1000 }), extra: fc.integer({ min: 500, max: 1000 }), seed: fc.integer({ min: 0, max: 1000 }) }),
    build: (q, inRegime) => ({
      dist: inRegime ? 'mixture' : 'clusters',
      labels: 'signs',
      className: 'atom-bumps',
      n: q.n,
      d: q.d,
      seed: q.seed,
      distOptions: inRegime ? { k: 4, scale: 0.5 } : { k: Math.max(1, Math.round((q.n * q.extra) / 1000)), scale: 0.01 },
    }),
    statistic: 'sup',
  },
  average: {
    name: 'average',
    description: 'average instead of sup: bumps of radius (factor x half the minimum distance) interpolate with E||grad f|| -> 0 while Lip = 1/r (docs/science.md section 5.4). Control: the sup (certified lower bound) in place of the average.',
    arbitrary: fc.record({ n: fc.integer({ min: 5, max: 200 }), d: fc.integer({ min: 3, max: 200 }), extra: fc.integer({ min: 50, max: 1000 }), seed: fc.integer({ min: 0, max: 1000 }) }),
    build: (q) => ({ dist: 'sphere', labels: 'signs', className: 'bumps', n: q.n, d: q.d, seed: q.seed, modelOptions: { radiusFactor: q.extra / 1000 } }),
    statistic: 'average',
  },
};

/**
 * Evaluates one regime instance. Out of the regime the certified ratio is upper / law (or, for `average`,
 * the certified bound on E||grad f|| over law); in the control it is the same statistic the in-regime
 * property uses: the certified LOWER bound over law (the sup, for `average` too), and only instances with
 * eps >= MIN_EPS are eligible.
 */
export function runRegimeInstance(regime: Regime, q: RegimeParams, inRegime: boolean): RegimeOutcome {
  const report = evaluateInstance(regime.build(q, inRegime), { dataFloor: false, rounds: inRegime ? 1 : 0, starts: 4, steps: 40, timeLimit: 5 });
  if (report.law === null) return { report, Rcertified: null, eligible: false };
  if (inRegime) return { report, Rcertified: report.R, eligible: inLawRegime(q.n, report.eps, report.components) };
  const stat = regime.statistic === 'average' ? report.averageUpper : report.upper;
  return { report, Rcertified: stat === null ? null : stat / report.law, eligible: true };
}
