import fc from 'fast-check';
import type { SweepRecord } from '../law/record.js';
import { runInstance, type EstimatorEffort } from '../sweep/runner.js';
import type { InstanceReport } from '../law/evaluate.js';
import type { InstanceSpec } from '../law/instance.js';
import { inLawRegime, searchPremise, type Premise } from '../law/law-regime.js';
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

/**
 * How a regime instance is built and judged: `premise`, the default search, stays inside the searches'
 * premise (eps >= 0.1, n eps^2 >= 8 k, n >= 50; {@link searchPremise}); `outside` is the search that may
 * leave it (`--allow-outside-premise`: the original shapes, reaching below n = 50 and k ~ n); `control`
 * is the in-regime control, which must find nothing.
 */
export type RegimeMode = 'premise' | 'outside' | 'control';

/**
 * A regime's scaling family (docs/science.md section 5, "Scaling families"): one parameter doubled from
 * `start` over `points` values, everything else fixed, every instance inside the premise.
 */
export interface RegimeFamily {
  /** The doubled parameter. */
  readonly parameter: 'n' | 'd';
  /** `power`: R ~ parameter^slope; `exponential`: log R falls linearly in the parameter (the log-log slope steepens). */
  readonly shape: 'power' | 'exponential';
  /** Its first value (an `n` family may start later: the first doubling inside the premise, see runFamily). */
  readonly start: number;
  /** Values in the family (>= 5). */
  readonly points: number;
  /** What is held fixed, as printed. */
  readonly fixed: string;
  /** The instance at parameter value `v` (seed: the search's seed). */
  instance(v: number, seed: number): InstanceSpec;
  /** The predicted R at each value, up to a constant factor (docs/science.md section 5.x); its log-log
   * slope over the family's values is the predicted slope. */
  predicted(values: readonly number[]): number[];
  /** The prediction, as printed (formula and section). */
  readonly prediction: string;
  /** Why the law fails along the family, one clause. */
  readonly why: string;
}

/** What the search looks at for one instance. */
export interface RegimeOutcome {
  readonly report: InstanceReport;
  /** The instance's robustlaw-record/1 record (the runner's, as verify and sweep write them). */
  readonly record: SweepRecord;
  /** The certified ratio compared with the factor: upper / law (sup regimes) or the certified average bound / law. */
  readonly Rcertified: number | null;
  /** Whether the instance counts: inside the premise (mode `premise`), always (`outside`), in the law's
   * regime (`control`). */
  readonly eligible: boolean;
  /** The searches' premise items at this instance (null when eps could not be computed). */
  readonly premise: Premise | null;
}

/** A regime: its instance arbitrary, how an instance is built (outside the regime, or the in-regime control), and what is measured. */
export interface Regime {
  readonly name: RegimeName;
  readonly description: string;
  /** Instance shapes of the default search, inside the premise (n >= 50). */
  readonly arbitrary: fc.Arbitrary<RegimeParams>;
  /** The original shapes, which reach below the premise: `--allow-outside-premise` and the in-regime control. */
  readonly outsideArbitrary: fc.Arbitrary<RegimeParams>;
  build(params: RegimeParams, mode: RegimeMode): InstanceSpec;
  /** `sup`: the certified upper bound on Lip(f); `average`: the certified bound on E||grad f||. */
  readonly statistic: 'sup' | 'average';
  readonly family: RegimeFamily;
}

/** The doubling values of a family: start, 2 start, ..., 2^(points - 1) start. */
export function doublings(start: number, points: number): number[] {
  return Array.from({ length: points }, (_, i) => start * 2 ** i);
}

/** A power law v^e at each value (the predicted R of the power-law families, up to a constant). */
const power = (e: number) => (values: readonly number[]) => values.map((v) => v ** e);

/** Radius factor (per mille of half the minimum distance) of the average family. */
const AVERAGE_FAMILY_RADIUS = 500;

export { MIN_EPS, K_SCALE, inLawRegime } from '../law/law-regime.js';

/** The four regimes. */
export const REGIMES: Readonly<Record<RegimeName, Regime>> = {
  noiseless: {
    name: 'noiseless',
    description: 'no label noise (sigma^2 = 0): a linear student (p = d + 1) of a clipped linear teacher; eps = Var(y) - MSE "as if the labels were noise" (docs/science.md section 5.1). Control: random-sign labels.',
    arbitrary: fc.record({ n: fc.integer({ min: 50, max: 4000 }), d: fc.integer({ min: 2, max: 100 }), extra: fc.constant(0), seed: fc.integer({ min: 0, max: 1000 }) }),
    outsideArbitrary: fc.record({ n: fc.integer({ min: 20, max: 4000 }), d: fc.integer({ min: 2, max: 100 }), extra: fc.constant(0), seed: fc.integer({ min: 0, max: 1000 }) }),
    build: (q, mode) => ({ dist: 'sphere', labels: mode === 'control' ? 'signs' : 'noiseless', className: 'linear', n: q.n, d: q.d, seed: q.seed }),
    statistic: 'sup',
    family: {
      parameter: 'n',
      shape: 'power',
      start: 64,
      points: 7,
      fixed: 'd = 16, a linear student of the clipped linear teacher',
      instance: (n, seed) => ({ dist: 'sphere', labels: 'noiseless', className: 'linear', n, d: 16, seed }),
      predicted: power(-0.5),
      prediction: 'n^(-1/2): Lip = ||w|| settles at the best linear fit, eps = Var(y) - MSE settles, the law eps sqrt(n d / (d + 1)) grows like sqrt(n) (docs/science.md section 5.1)',
      why: 'the labels carry no noise, so the student needs only the teacher\'s slope, while the law, fed eps = Var(y) - MSE as if the labels were noise, asks for sqrt(n) times more',
    },
  },
  subspace: {
    name: 'subspace',
    description: 'low intrinsic dimension: x = U z, z on S^{m-1}; bumps in the intrinsic coordinates, p = n (m + 1) (docs/science.md section 5.2). Control: m = d (full dimension).',
    arbitrary: fc.record({ n: fc.integer({ min: 50, max: 200 }), d: fc.integer({ min: 10, max: 20000 }), extra: fc.integer({ min: 2, max: 10 }), seed: fc.integer({ min: 0, max: 1000 }) }),
    outsideArbitrary: fc.record({ n: fc.integer({ min: 5, max: 120 }), d: fc.integer({ min: 10, max: 4000 }), extra: fc.integer({ min: 2, max: 10 }), seed: fc.integer({ min: 0, max: 1000 }) }),
    build: (q, mode) => {
      const control = mode === 'control';
      const d = control ? Math.min(q.d, 60) : q.d;
      return { dist: 'subspace', labels: 'signs', className: 'intrinsic-bumps', n: q.n, d, seed: q.seed, distOptions: { m: control ? d : Math.min(q.extra, d) } };
    },
    statistic: 'sup',
    family: {
      parameter: 'd',
      shape: 'power',
      start: 256,
      points: 7,
      fixed: 'n = 50, m = 8, random signs',
      instance: (d, seed) => ({ dist: 'subspace', labels: 'signs', className: 'intrinsic-bumps', n: 50, d, seed, distOptions: { m: 8 } }),
      predicted: power(-0.5),
      prediction: 'd^(-1/2): Lip = 1/r depends on the intrinsic coordinates only, the law eps sqrt(d / (m + 1)) grows like sqrt(d) (docs/science.md section 5.2)',
      why: 'the bumps live in the m = 8 intrinsic coordinates, so their Lipschitz constant is the same at every d, while the ambient law grows like sqrt(d); the data are isoperimetric only with c = d / (m - 1), and with that c the demand does not grow',
    },
  },
  clusters: {
    name: 'clusters',
    description: 'too many mixture components: k tight clusters at known atoms; bumps at the atoms with trained heights, p = k (docs/science.md section 5.3). Inside the premise (k <= n eps^2 / 8) the labels are the clipped linear teacher, constant on each cluster up to its width; outside it k is close to n with random signs. Control: 4 wide clusters.',
    // inside the premise k <= n eps^2 / 8 <= n / 8: k is 1 to 125 per mille of n
    arbitrary: fc.record({ n: fc.integer({ min: 50, max: 1000 }), d: fc.integer({ min: 2, max: 500 }), extra: fc.integer({ min: 1, max: 125 }), seed: fc.integer({ min: 0, max: 1000 }) }),
    outsideArbitrary: fc.record({ n: fc.integer({ min: 10, max: 300 }), d: fc.integer({ min: 2, max: 1000 }), extra: fc.integer({ min: 500, max: 1000 }), seed: fc.integer({ min: 0, max: 1000 }) }),
    build: (q, mode) => {
      if (mode === 'control') return { dist: 'mixture', labels: 'signs', className: 'atom-bumps', n: q.n, d: q.d, seed: q.seed, distOptions: { k: 4, scale: 0.5 } };
      const premise = mode === 'premise';
      const k = Math.max(premise ? 2 : 1, Math.round((q.n * q.extra) / 1000));
      return { dist: 'clusters', labels: premise ? 'noiseless' : 'signs', className: 'atom-bumps', n: q.n, d: q.d, seed: q.seed, distOptions: { k, scale: 0.01 } };
    },
    statistic: 'sup',
    family: {
      parameter: 'n',
      shape: 'power',
      start: 256,
      points: 6,
      fixed: 'k = 8 clusters of scale 0.01, d = 32, labels the clipped linear teacher',
      instance: (n, seed) => ({ dist: 'clusters', labels: 'noiseless', className: 'atom-bumps', n, d: 32, seed, distOptions: { k: 8, scale: 0.01 } }),
      predicted: power(-0.5),
      prediction: 'n^(-1/2): Lip = max|h| / r is fixed by the k atoms, the law eps sqrt(n d / k) grows like sqrt(n) (docs/science.md section 5.3)',
      why: 'the labels are a function of the cluster (up to its width), so k = 8 heights fit them with a Lipschitz constant set by the atoms whatever n is, while the law asks for sqrt(n d / k); labels with noise cannot do this inside the premise, where Theorem 3 covers mixtures',
    },
  },
  average: {
    name: 'average',
    description: 'average instead of sup: bumps of radius (factor x half the minimum distance) interpolate with E||grad f|| -> 0 while Lip = 1/r (docs/science.md section 5.4). Control: the sup (certified lower bound) in place of the average.',
    arbitrary: fc.record({ n: fc.integer({ min: 50, max: 400 }), d: fc.integer({ min: 3, max: 200 }), extra: fc.integer({ min: 50, max: 1000 }), seed: fc.integer({ min: 0, max: 1000 }) }),
    outsideArbitrary: fc.record({ n: fc.integer({ min: 5, max: 200 }), d: fc.integer({ min: 3, max: 200 }), extra: fc.integer({ min: 50, max: 1000 }), seed: fc.integer({ min: 0, max: 1000 }) }),
    build: (q) => ({ dist: 'sphere', labels: 'signs', className: 'bumps', n: q.n, d: q.d, seed: q.seed, modelOptions: { radiusFactor: q.extra / 1000 } }),
    statistic: 'average',
    family: {
      parameter: 'd',
      shape: 'exponential',
      start: 16,
      points: 5,
      fixed: `n = 50, random signs, radius ${AVERAGE_FAMILY_RADIUS / 1000} x half the minimum distance`,
      instance: (d, seed) => ({ dist: 'sphere', labels: 'signs', className: 'bumps', n: 50, d, seed, modelOptions: { radiusFactor: AVERAGE_FAMILY_RADIUS / 1000 } }),
      // section 5.4's bound with r at its large-d limit (the minimum distance of n points on S^{d-1} tends to sqrt 2)
      predicted: (values) => {
        const r = ((AVERAGE_FAMILY_RADIUS / 1000) * Math.SQRT2) / 2;
        const t = 1 - (r * r) / 2;
        return values.map((d) => ((1 / r) * Math.min(1, 50 * Math.exp((-d * t * t) / 2))) / Math.sqrt(d / (d + 1)));
      },
      prediction: 'exp(-d t^2 / 2), faster than any power of d: E||grad f|| <= (1/r) min(1, n exp(-d t^2 / 2)), t = 1 - r^2 / 2, against a law of about eps; the predicted slope is this bound\'s log-log slope over the same d, with r at its large-d limit (docs/science.md section 5.4)',
      why: 'the narrow bumps cover an exponentially small part of the sphere, so their average gradient vanishes while the law of about eps stays; the sup Lip = 1/r does not fall, so the law about the sup is untouched',
    },
  },
};

/** The estimator effort of a searched instance: fixed (no time limit), smaller than a sweep's because a
 * search evaluates hundreds of instances; the in-regime control runs one ascent round, the search none
 * (it compares the certified upper bound, which the ascent does not change). */
export function regimeEffort(inRegime: boolean): EstimatorEffort {
  return { starts: 4, steps: 40, rounds: inRegime ? 1 : 0, dataFloor: false };
}

/** The record id of a searched instance: regime, mode and its shape. */
export function regimeInstanceId(regime: Regime, q: RegimeParams, mode: RegimeMode): string {
  const tag = mode === 'control' ? ' (in-regime control)' : mode === 'outside' ? ' (outside the premise allowed)' : '';
  return `search regime=${regime.name}${tag} n=${q.n},d=${q.d},extra=${q.extra},seed=${q.seed}`;
}

/**
 * Evaluates one regime instance through the runner ({@link runInstance} at {@link regimeEffort}). In the
 * searches the certified ratio is upper / law (or, for `average`, the certified bound on E||grad f|| over
 * law), and an instance counts only inside the premise ({@link searchPremise}) unless the mode is
 * `outside`; in the control it is the same statistic the in-regime property uses: the certified LOWER
 * bound over law (the sup, for `average` too), and only instances in the law's regime count.
 */
export function runRegimeInstance(regime: Regime, q: RegimeParams, mode: RegimeMode, backend?: SearchBackend): RegimeOutcome {
  const { report, record } = runInstance({ index: 0, id: regimeInstanceId(regime, q, mode), instance: regime.build(q, mode) }, regimeEffort(mode === 'control'), backend);
  const premise = Number.isFinite(report.eps) ? searchPremise(q.n, report.eps, report.components) : null;
  if (report.law === null) return { report, record, Rcertified: null, eligible: false, premise };
  if (mode === 'control') return { report, record, Rcertified: report.R, eligible: inLawRegime(q.n, report.eps, report.components), premise };
  const stat = regime.statistic === 'average' ? report.averageUpper : report.upper;
  return { report, record, Rcertified: stat === null ? null : stat / report.law, eligible: mode === 'outside' || premise?.holds === true, premise };
}
