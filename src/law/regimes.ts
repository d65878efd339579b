import fc from 'fast-check';
import type { SweepRecord } from '../sweep/record.js';
import { runInstance, type EstimatorEffort } from '../sweep/runner.js';
import type { InstanceReport } from './evaluate.js';
import type { InstanceSpec } from './instance.js';
import { inLawRegime } from './law-regime.js';
import type { SearchBackend } from '../backends/search-backend.js';

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
  /** The instance's robustlaw-record/1 record (the runner's, as verify and sweep write them). */
  readonly record: SweepRecord;
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

export { MIN_EPS, K_SCALE, inLawRegime } from './law-regime.js';

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

/** The estimator effort of a searched instance: fixed (no time limit), smaller than a sweep's because a
 * search evaluates hundreds of instances; the in-regime control runs one ascent round, the search none
 * (it compares the certified upper bound, which the ascent does not change). */
export function regimeEffort(inRegime: boolean): EstimatorEffort {
  return { starts: 4, steps: 40, rounds: inRegime ? 1 : 0, dataFloor: false };
}

/** The record id of a searched instance: regime, control or not, and its shape. */
export function regimeInstanceId(regime: Regime, q: RegimeParams, inRegime: boolean): string {
  return `search regime=${regime.name}${inRegime ? ' (in-regime control)' : ''} n=${q.n},d=${q.d},extra=${q.extra},seed=${q.seed}`;
}

/**
 * Evaluates one regime instance through the runner ({@link runInstance} at {@link regimeEffort}). Out of the
 * regime the certified ratio is upper / law (or, for `average`, the certified bound on E||grad f|| over
 * law); in the control it is the same statistic the in-regime property uses: the certified LOWER bound
 * over law (the sup, for `average` too), and only instances with eps >= MIN_EPS are eligible.
 */
export function runRegimeInstance(regime: Regime, q: RegimeParams, inRegime: boolean, backend?: SearchBackend): RegimeOutcome {
  const { report, record } = runInstance({ index: 0, id: regimeInstanceId(regime, q, inRegime), instance: regime.build(q, inRegime) }, regimeEffort(inRegime), backend);
  if (report.law === null) return { report, record, Rcertified: null, eligible: false };
  if (inRegime) return { report, record, Rcertified: report.R, eligible: inLawRegime(q.n, report.eps, report.components) };
  const stat = regime.statistic === 'average' ? report.averageUpper : report.upper;
  return { report, record, Rcertified: stat === null ? null : stat / report.law, eligible: true };
}
