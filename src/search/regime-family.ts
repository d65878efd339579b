/**
 * The scaling family of a counterexample regime (docs/science.md section 5, "Scaling families"): after its
 * minimal instance, each search doubles the regime's parameter over at least five values inside the
 * premise, reports the certified R at each, and fits the slope of log R on log parameter.
 * @module
 */
import { MAX_SEED } from '../core/rng.js';
import { requireInt, requireOneOf } from '../core/validate.js';
import { logLogSlope, type SlopeFit } from '../law/slope.js';
import { runInstance } from '../sweep/runner.js';
import type { SearchBackend } from '../backends/search-backend.js';
import { MIN_EPS, searchPremise, type Premise } from '../law/law-regime.js';
import { LAW_TOLERANCE } from '../law/verdict.js';
import { doublings, regimeEffort, REGIME_NAMES, REGIMES, type RegimeFamily, type RegimeName } from './regimes.js';

/** Most doublings an `n` family takes from its start to reach the premise (n eps^2 >= 8 k) before it gives up. */
export const MAX_START_DOUBLINGS = 6;
/** Fewest values in a family (the "at least five"). */
export const MIN_FAMILY_POINTS = 5;

/** One instance of a family, as measured. */
export interface FamilyPoint {
  /** The parameter's value here. */
  readonly value: number;
  readonly n: number;
  readonly d: number;
  readonly p: number;
  /** Mixture components of the data law. */
  readonly k: number;
  readonly eps: number;
  readonly law: number | null;
  /** The certified statistic: the upper bound on Lip(f), or on E||grad f|| (`average`). */
  readonly certified: number | null;
  /** certified / law: the certified ratio. */
  readonly R: number | null;
  /** The certified lower bound on Lip(f) over the law (the sup, for every regime). */
  readonly Rlower: number | null;
  readonly premise: Premise;
  /** The record id (robustlaw-record/1, from the runner). */
  readonly id: string;
}

/** A regime's family: its points, the fitted and the predicted slope, and the sentence that says how fast the law fails. */
export interface FamilyResult {
  readonly regime: RegimeName;
  readonly parameter: 'n' | 'd';
  readonly seed: number;
  readonly fixed: string;
  readonly points: readonly FamilyPoint[];
  /** Whether every point is inside the premise. */
  readonly allInPremise: boolean;
  /** OLS slope of log R on log parameter with its 95% interval (src/law/slope.ts). */
  readonly slope: SlopeFit | null;
  /** The prediction's own log-log slope over the same values. */
  readonly predictedSlope: number;
  /** The predicted R at each point, up to a constant factor (the plot draws it through the points' centroid). */
  readonly predicted: readonly number[];
  readonly prediction: string;
  /** How fast the law fails and why, one sentence. */
  readonly sentence: string;
  /** Replays the family (it follows the search with the same seed). */
  readonly replay: string;
  readonly seconds: number;
}

/** Options of {@link runFamily}. */
export interface FamilyOptions {
  /** The instances' seed (the search's seed). */
  readonly seed: number;
  /** Values in the family (default the regime's; at least {@link MIN_FAMILY_POINTS}). */
  readonly points?: number;
  readonly backend?: SearchBackend;
  /** Another family in the regime's place (e.g. its in-regime control, which must not fall; default the regime's). */
  readonly family?: RegimeFamily;
}

/**
 * Whether a family is the evidence the searches promise (docs/science.md section 5, "Scaling families"):
 * at least {@link MIN_FAMILY_POINTS} points, every one inside the premise, and a 95% slope interval below 0.
 */
export function familyFalls(f: FamilyResult): boolean {
  return f.points.length >= MIN_FAMILY_POINTS && f.allInPremise && f.slope !== null && f.slope.hi !== null && f.slope.hi < 0;
}

const fmt = (x: number) => (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? Number(x.toPrecision(3)).toString() : x.toExponential(2));

/**
 * Runs a regime's scaling family: the family's instance at start, 2 start, ... (the regime's parameter
 * doubled, everything else fixed, seed `seed`), each evaluated by the runner at the searches' effort
 * ({@link regimeEffort}), with its certified R and its premise items. An `n` family whose start is not
 * yet inside the premise (n eps^2 < 8 k: eps depends on the seed's draw) starts at the first doubling
 * that is, up to {@link MAX_START_DOUBLINGS}; a point outside the premise is reported as such
 * (`allInPremise` false), never dropped. The slope of log R on log parameter is fitted by
 * {@link logLogSlope} over every point with R > 0.
 */
export function runFamily(name: RegimeName, options: FamilyOptions): FamilyResult {
  requireOneOf('runFamily', 'regime', name, REGIME_NAMES);
  const fam = options.family ?? REGIMES[name].family;
  const seed = requireInt('runFamily', 'seed', options.seed, 0, MAX_SEED);
  const count = requireInt('runFamily', 'points', options.points ?? fam.points, MIN_FAMILY_POINTS, 20);
  const t0 = performance.now();
  const cache = new Map<number, FamilyPoint>();
  const at = (v: number): FamilyPoint => {
    const hit = cache.get(v);
    if (hit) return hit;
    const spec = fam.instance(v, seed);
    const id = `family regime=${name} ${fam.parameter}=${v} seed=${seed}`;
    const { report } = runInstance({ index: 0, id, instance: spec }, regimeEffort(false), options.backend);
    const certified = REGIMES[name].statistic === 'average' ? report.averageUpper : report.upper;
    const point: FamilyPoint = {
      value: v,
      n: spec.n,
      d: spec.d,
      p: report.p,
      k: report.components,
      eps: report.eps,
      law: report.law,
      certified,
      R: certified !== null && report.law !== null ? certified / report.law : null,
      Rlower: report.R,
      premise: searchPremise(spec.n, report.eps, report.components),
      id,
    };
    cache.set(v, point);
    return point;
  };
  let start = fam.start;
  if (fam.parameter === 'n') {
    for (let j = 0; j < MAX_START_DOUBLINGS; j++) {
      const first = at(start);
      if (first.premise.holds || !(first.eps >= MIN_EPS)) break;
      start *= 2;
    }
  }
  const values = doublings(start, count);
  const points = values.map(at);
  const slope = logLogSlope(values, points.map((q) => q.R ?? 0));
  const predicted = fam.predicted(values);
  const predictedSlope = logLogSlope(values, predicted)!.slope;
  const allInPremise = points.every((q) => q.premise.holds);
  return {
    regime: name,
    parameter: fam.parameter,
    seed,
    fixed: fam.fixed,
    points,
    allInPremise,
    slope,
    predictedSlope,
    predicted,
    prediction: fam.prediction,
    sentence: familySentence({ parameter: fam.parameter, shape: fam.shape, statistic: REGIMES[name].statistic, why: fam.why }, points, slope, predictedSlope),
    replay: `robustlaw search --regime ${name} --seed ${seed}`,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** What {@link familySentence} needs to know about the family. */
export interface SentenceContext {
  readonly parameter: 'n' | 'd';
  readonly shape: 'power' | 'exponential';
  readonly statistic: 'sup' | 'average';
  /** The regime's clause: why the law fails along the family. */
  readonly why: string;
}

/**
 * The sentence a family prints: how fast R falls (power families: the fitted slope and what one doubling
 * does; exponential ones: the local log-log slope between the first and the last two points), from which
 * value R is below tau = LAW_TOLERANCE (for the sup, the certified upper bound is then below the law's
 * tolerance: a certified violation), and why (the regime's clause).
 */
export function familySentence(c: SentenceContext, points: readonly FamilyPoint[], slope: SlopeFit | null, predicted: number): string {
  const { parameter } = c;
  const first = points[0];
  const last = points[points.length - 1];
  if (slope === null) return `R could not be fitted against ${parameter} (fewer than two points with R > 0): ${c.why}.`;
  const interval = slope.lo === null ? '' : `, 95% interval [${fmt(slope.lo)}, ${fmt(slope.hi!)}]`;
  const below = points.find((q) => q.R !== null && q.R < LAW_TOLERANCE);
  const what = c.statistic === 'sup' ? 'a certified violation' : 'the certified average below the law\'s tolerance';
  const cross = below ? `; R is below tau = ${LAW_TOLERANCE} (${what}) from ${parameter} = ${below.value}` : '';
  const local = (a: FamilyPoint, b: FamilyPoint) => Math.log((b.R ?? NaN) / (a.R ?? NaN)) / Math.log(b.value / a.value);
  const rate =
    c.shape === 'power'
      ? `like ${parameter}^${fmt(slope.slope)}${interval} (predicted ${fmt(predicted)}): each doubling of ${parameter} divides R by ${fmt(2 ** -slope.slope)}`
      : `faster than any power of ${parameter}: log-log slope ${fmt(slope.slope)}${interval} (predicted ${fmt(predicted)}), steepening from ${fmt(local(points[0], points[1]))} to ${fmt(local(points[points.length - 2], last))}`;
  return `R falls from ${fmt(first.R ?? NaN)} to ${fmt(last.R ?? NaN)} as ${parameter} doubles from ${first.value} to ${last.value}, ${rate}${cross}; ${c.why}.`;
}
