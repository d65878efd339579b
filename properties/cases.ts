/**
 * Drawn cases and runners of the scaling and tightness properties, without vitest, so that
 * `npx tsx properties/measure-bands.ts` can measure the statistics the bands are set from
 * (docs/properties.md sections 2 and 3).
 */
import fc from 'fast-check';
import { evaluateInstance, type InstanceReport } from '../src/law/evaluate.js';
import { logLogSlope } from '../src/law/slope.js';
import type { ActivationName } from '../src/activations/activation.js';
import type { BumpProfile } from '../src/models/bump-profile.js';
import { PROFILE } from '../src/models/bumps.js';
import { functionClass } from '../src/models/registry.js';

/** Estimator effort of every scaling run. */
const EFFORT = { rounds: 1, starts: 8, steps: 60, dataFloor: false } as const;

/** A drawn scaling experiment: sizes, activation and seed. */
export interface ScalingCase {
  readonly n: number;
  readonly d: number;
  readonly activation: ActivationName;
  readonly seed: number;
}

/** `points` values of p spaced geometrically from `from` n to n d (inside the law's range n <= p <= n d,
 * docs/science.md section 4; the default 8n stays clear of the interpolation threshold p ~ n, where min-norm
 * interpolants have an inflated Lipschitz constant). */
export function pGrid(n: number, d: number, points = 6, from = 8): number[] {
  const lo = from * n;
  const hi = n * d;
  return Array.from({ length: points }, (_, i) => lo * (hi / lo) ** (i / (points - 1)));
}

/** Hidden units giving about p parameters, by the class's own width rule (NTK features p = d k, random features p = k). */
const unitsFor = (className: 'ntk-features' | 'random-features', p: number, d: number) => functionClass(className).width!.forParameters(p, d);

/** One class along the p grid: the reports and the slopes of log lower, log upper and their geometric midpoint against log p (p from the fitted models). */
export function scalingRun(className: 'ntk-features' | 'random-features', c: ScalingCase, from = 8) {
  const reports: InstanceReport[] = pGrid(c.n, c.d, 6, from).map((p) =>
    evaluateInstance({ dist: 'sphere', labels: 'signs', className, n: c.n, d: c.d, seed: c.seed, modelOptions: { k: unitsFor(className, p, c.d), activation: c.activation } }, EFFORT),
  );
  return slopesOf(reports.map((r) => ({ p: r.p, lower: r.lower, upper: r.upper ?? Number.NaN })));
}

/** Slopes of a grid of (p, lower, upper): Lip lies in [lower, upper]; the slope is fitted to the geometric midpoint. */
export function slopesOf(rows: readonly { p: number; lower: number; upper: number }[]) {
  const ps = rows.map((r) => r.p);
  const slope = (y: number[]) => logLogSlope(ps, y)?.slope ?? Number.NaN;
  return {
    rows,
    slopeLower: slope(rows.map((r) => r.lower)),
    slopeUpper: slope(rows.map((r) => r.upper)),
    slope: slope(rows.map((r) => Math.sqrt(r.lower * r.upper))),
  };
}

const seed = fc.integer({ min: 0, max: 100_000 });
/** NTK cases: d in [56, 128], n / d in [0.7, 1.4] (the grid spans p = 8n .. n d, a factor 7-16), even activation. */
export const ntkCase = fc
  .record({ d: fc.integer({ min: 56, max: 128 }), aspect: fc.integer({ min: 70, max: 140 }), activation: fc.constantFrom('cos' as const, 'square' as const), seed })
  .map(({ d, aspect, activation, seed: s }) => ({ n: Math.round((d * aspect) / 100), d, activation, seed: s }));
/** Random-feature cases: smaller (their estimates cost more), non-even activation. */
export const rfCase = fc.record({ n: fc.integer({ min: 40, max: 72 }), d: fc.integer({ min: 40, max: 72 }), activation: fc.constantFrom('relu' as const, 'tanh' as const, 'softplus' as const), seed });
/** Odd-over-even cases: the NTK sizes (d in [56, 128], n / d in [0.7, 1.4]). */
export const pairCase = ntkCase.map(({ n, d, seed: s }) => ({ n, d, seed: s }));

/** Certified lower bounds of tanh and cos NTK features at p = n d (k = n), and their ratio. */
export function oddOverEvenRatio(c: { n: number; d: number; seed: number }, at = (a: ActivationName) => evaluateInstance({ dist: 'sphere', labels: 'signs', className: 'ntk-features', n: c.n, d: c.d, seed: c.seed, modelOptions: { k: c.n, activation: a } }, EFFORT).lower): number {
  return at('tanh') / at('cos');
}

// ---------------------------------------------------------------------------------------------------
// Bumps on the sphere: a derived band. Heights are the labels (|h| = 1), r = dmin / 2 and p = n (d + 1),
// so R = Lip / (eps sqrt(n d / p)) = (2 sup|g'| / (eps dmin)) sqrt((d + 1) / d), with dmin the minimum
// distance of n uniform points on S^{d-1}. dmin^2 = 2 - 2 t_max (t_max the largest inner product of a pair):
// - t_max >= 0 unless all floor(n/2) disjoint pairs have a negative inner product (probability 2^-floor(n/2)),
//   so dmin <= sqrt 2;
// - P(<x, y> >= t) <= exp(-d t^2 / 2) (spherical cap, K. Ball, Lemma 2.2), so with a union bound over the
//   n (n - 1) / 2 pairs, t_max < t* = sqrt(2 ln(n (n - 1) / (2 delta)) / d) with probability >= 1 - delta.
// ---------------------------------------------------------------------------------------------------

/** Failure probability of the derived band's upper end (per case). */
export const BAND_DELTA = 1e-6;

/** The derived band [lo, hi] of R for hat / c1 bumps interpolating n labels with noise level eps on S^{d-1} (null: vacuous, t* >= 1). */
export function bumpsBand(n: number, d: number, eps: number, profile: BumpProfile): [number, number] | null {
  const tStar = Math.sqrt((2 * Math.log((n * (n - 1)) / (2 * BAND_DELTA))) / d);
  if (!(tStar < 1)) return null;
  const k = (2 * PROFILE[profile].supAbsDg * Math.sqrt((d + 1) / d)) / eps;
  return [k / Math.SQRT2, k / Math.sqrt(2 - 2 * tStar)];
}

/** A drawn bumps case: n, d (d >= 64 keeps the band finite for n <= 400), profile, labels. */
export const bumpsCase = fc.record({
  n: fc.integer({ min: 50, max: 400 }),
  d: fc.integer({ min: 64, max: 160 }),
  profile: fc.constantFrom('hat' as const, 'c1' as const),
  eta: fc.constantFrom(0.5, 0.4, 0.3),
  seed: fc.integer({ min: 0, max: 100_000 }),
});
export type BumpsCase = typeof bumpsCase extends fc.Arbitrary<infer T> ? T : never;

export const bumpsReport = (c: BumpsCase): InstanceReport =>
  evaluateInstance({ dist: 'sphere', labels: c.eta === 0.5 ? 'signs' : 'flips', labelOptions: { eta: c.eta }, className: 'bumps', n: c.n, d: c.d, seed: c.seed, modelOptions: { profile: c.profile } }, { dataFloor: false });

/** Whether an exact R lies in the derived band for its case. */
export function inBumpsBand(c: BumpsCase, r: Pick<InstanceReport, 'R' | 'exact' | 'eps'>): boolean {
  const band = bumpsBand(c.n, c.d, r.eps, c.profile);
  return band !== null && r.exact !== null && r.R !== null && r.R >= band[0] * (1 - 1e-9) && r.R <= band[1];
}

// ---------------------------------------------------------------------------------------------------
// NTK features with an even activation (cos, square): a measured band (docs/properties.md section 3.2).
// ---------------------------------------------------------------------------------------------------

/**
 * Measured bands of lower / law and upper / law over p = 16n .. n d, and the largest spread of lower / law along
 * the grid. The upper band starts where the lower one does: with the square activation the upper bound is the
 * exact value (docs/science.md section 9.7), so upper / law = lower / law there (it started at 15 while the
 * square rows had only the spectral and sum bounds, measured 27-54).
 */
export const NTK_TRACK = { lower: [4, 14], upper: [4, 75], spread: 1.7 } as const;

/** A row of the tracking check: lower / law and upper / law at one p. */
export interface TrackRow {
  readonly p: number;
  readonly Rlower: number;
  readonly Rupper: number | null;
}

/** Whether rows track the law: every R within the measured bands, lower / law nearly constant. */
export function tracksLaw(rows: readonly TrackRow[]): boolean {
  const lo = rows.map((r) => r.Rlower);
  return (
    rows.every((r) => r.Rlower >= NTK_TRACK.lower[0] && r.Rlower <= NTK_TRACK.lower[1] && r.Rupper !== null && r.Rupper >= NTK_TRACK.upper[0] && r.Rupper <= NTK_TRACK.upper[1]) &&
    Math.max(...lo) / Math.min(...lo) <= NTK_TRACK.spread
  );
}

/** `points` values of p spaced geometrically from 16n to n d. */
export function trackGrid(n: number, d: number, points = 4): number[] {
  return Array.from({ length: points }, (_, i) => 16 * n * (d / 16) ** (i / (points - 1)));
}

export const trackCase = fc.record({
  n: fc.integer({ min: 64, max: 128 }),
  d: fc.integer({ min: 64, max: 128 }),
  activation: fc.constantFrom('cos' as const, 'square' as const),
  seed: fc.integer({ min: 0, max: 100_000 }),
});

export const trackRows = (c: { n: number; d: number; activation: ActivationName; seed: number }): TrackRow[] =>
  trackGrid(c.n, c.d).map((p) => {
    const r = evaluateInstance({ dist: 'sphere', labels: 'signs', className: 'ntk-features', n: c.n, d: c.d, seed: c.seed, modelOptions: { k: Math.round(p / c.d), activation: c.activation } }, { rounds: 1, starts: 8, steps: 60, dataFloor: false });
    return { p: r.p, Rlower: r.R!, Rupper: r.Rupper };
  });

