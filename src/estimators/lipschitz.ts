import type { ResidentKernels } from '../backends/resident.js';
import type { Rng } from '../core/rng.js';
import { requireInt, requirePositive } from '../core/validate.js';
import type { Model } from '../models/model.js';
import { averageGradientNorm } from './average-gradient.js';
import { dataFloor } from './data-floor.js';
import { ball, certifyingGradients, contains, domainName, project, type Domain } from '../lipschitz/domain.js';
import { requireOrderedBounds } from '../lipschitz/bound-order.js';
import { certainInterval, type LipEstimate } from '../lipschitz/estimate.js';
import { gradientAscent } from './gradient-ascent.js';
import { referenceSearch, residentSearch, type GradientSearch } from './gradient-search.js';
import { sampledGradients } from './sampled-gradients.js';
import { refineWithSecant } from './secant.js';

/** Options of {@link lipschitz}. */
export interface LipschitzOptions {
  /** Domain (default: the model's stated ball, radius model.radius). */
  readonly domain?: Domain;
  /** Training data (n x d): gives the data floor and gradient norms at the data points. */
  readonly X?: Float64Array;
  readonly n?: number;
  /** f at the rows of X as the model's own f64 `predict` gives them (a fit's predictions), to spare the data floor recomputing them. */
  readonly fX?: Float64Array;
  /** Compute the O(n^2 d) data floor from X (default true); gradients at X are used either way. */
  readonly dataFloor?: boolean;
  /** Fresh draws from the data distribution (m x d): gradient norms there, and the average statistic. */
  readonly fresh?: Float64Array;
  readonly freshCount?: number;
  /** Stream for estimator starts (the `estimator` sub-stream). */
  readonly rng: Rng;
  /** Gradient-ascent starts in the first round (default 16; doubled each further round). */
  readonly starts?: number;
  /** Ascent steps per start (default 100). */
  readonly steps?: number;
  /** Maximum ascent rounds (default 3). */
  readonly rounds?: number;
  /** Stop spending effort once upper / lower <= targetRatio (default 1.01). */
  readonly targetRatio?: number;
  /**
   * Optional wall-time budget in seconds for interactive use (default: none). With a budget the result
   * depends on the machine's speed: never set one where a record is written.
   */
  readonly timeLimit?: number;
  /**
   * An accelerated backend for the search (gradients at the data, at fresh draws and along the ascent),
   * used where the model has a resident kernel there; default: the model's f64 gradient. Reported bounds
   * are f64 either way (docs/science.md section 3).
   */
  readonly backend?: ResidentKernels;
}

/** What {@link lipschitz} reports: never a single number called "the" Lipschitz constant. */
export interface LipschitzReport {
  /** Best certified lower bound over the domain. */
  readonly lower: LipEstimate;
  /** Best certified upper bound (an exact value counts), or null when the class has none. */
  readonly upper: LipEstimate | null;
  /** Exact value where the class allows one, else null. */
  readonly exact: LipEstimate | null;
  /** upper / lower (Infinity when lower is 0 or there is no upper bound). */
  readonly ratio: number;
  /** The average gradient norm over the fresh draws (a statistic, NOT a bound), if fresh draws were given. */
  readonly average: LipEstimate | null;
  /** The data floor (when data were given). */
  readonly dataFloor: LipEstimate | null;
  /** Every estimate computed, in order. */
  readonly estimates: readonly LipEstimate[];
  readonly domain: string;
  readonly seconds: number;
  readonly rounds: number;
  /** Where the search's gradients ran: backend, what ran, precision (certificates are f64 regardless). */
  readonly search: { readonly backend: string; readonly mode: string; readonly precision: 'f64' | 'f32' };
}

/**
 * Lipschitz bounds for a model: cheap ones first (exact, class upper bound, the class's lower bound from the
 * same certificate, data floor, gradients at the data and at fresh draws), then rounds of multi-start gradient
 * ascent, doubling the starts, only while upper / lower > targetRatio and the time budget lasts. The searches'
 * lower bounds are certified secants; the class's own (relu nets: a region's exact gradient norm at a point of
 * D, docs/science.md section 9.6) is checked in exact arithmetic.
 */
export function lipschitz(model: Model, options: LipschitzOptions): LipschitzReport {
  const resident = options.backend === undefined ? null : (model.searchGradient?.(options.backend) ?? null);
  try {
    return estimate(model, options, resident === null ? referenceSearch(model) : residentSearch(resident));
  } finally {
    resident?.dispose();
  }
}

function estimate(model: Model, options: LipschitzOptions, search: GradientSearch): LipschitzReport {
  const t0 = performance.now();
  const D = options.domain ?? ball(model.radius);
  const name = domainName(D);
  const target = requirePositive('lipschitz', 'targetRatio', options.targetRatio ?? 1.01);
  const rounds = requireInt('lipschitz', 'rounds', options.rounds ?? 3, 0);
  const starts = requireInt('lipschitz', 'starts', options.starts ?? 16, 1);
  const limit = options.timeLimit === undefined ? Number.POSITIVE_INFINITY : requirePositive('lipschitz', 'timeLimit', options.timeLimit);
  const d = model.d;
  const estimates: LipEstimate[] = [];
  const exact = model.exactLipschitz(D);
  if (exact) estimates.push(exact);
  const ub = model.upperLipschitz(D, options.rng);
  if (ub) estimates.push(ub);
  // an exact value bounds from above through the top of its rounding interval
  const exactUpper = exact ? { ...exact, value: certainInterval(exact).hi } : null;
  const upper = exactUpper && (!ub || exactUpper.value <= ub.value) ? exactUpper : ub;

  let lower: LipEstimate = { kind: 'lower', value: 0, witness: { type: 'certificate', formula: 'trivial', terms: {} }, domain: name, evaluations: 0, method: 'trivial' };
  const consider = (e: LipEstimate | null) => {
    if (e === null) return;
    estimates.push(e);
    if (e.value > lower.value) lower = e;
  };
  // an exact value bounds from below through the bottom of its rounding interval: where it is known, the
  // searches below have nothing left to find once the ratio is within the target (they run only if not)
  if (exact) consider({ ...exact, kind: 'lower', value: certainInterval(exact).lo, method: `exact (${exact.method})` });
  // a lower bound the class computed with its certificate (relu nets: the branch and bound's relu-region
  // bound, docs/science.md section 9.6), from the same search as `ub`
  consider(model.lowerLipschitz?.(D) ?? null);
  const inside = (p: Float64Array) => contains(D, p);
  // Points that are not in the domain cannot certify anything about it: project them first.
  const inDomain = (P: Float64Array, m: number) => {
    const Q = Float64Array.from(P);
    for (let i = 0; i < m; i++) project(D, Q.subarray(i * d, i * d + d));
    return Q;
  };
  /**
   * Gradient norms at points; the best point becomes a certified secant (for models with kinks, where a
   * computed gradient may not be a generalised one, and for every model because a secant's rounding is
   * bounded by Model.evaluationError while a computed gradient norm's is not; docs/science.md section 3).
   */
  const pointBound = (best: LipEstimate) => {
    if (best.witness.type !== 'point') return best;
    const x = Float64Array.from(best.witness.x);
    const g = certifyingGradients(D, x, model.gradient(x, 1), 1, d);
    const ref = refineWithSecant(model, x, g, D.kind === 'Rd' ? 1 : D.radius, name, inside, (p) => project(D, Float64Array.from(p)));
    return ref === null ? null : { ...ref, method: `${best.method}+secant` };
  };

  let dataFl: LipEstimate | null = null;
  let seeds: Float64Array | undefined;
  if (options.X && options.n) {
    const n = options.n;
    const XD = inDomain(options.X, n);
    const allInside = XD.every((v, i) => v === options.X![i]);
    if (allInside && options.dataFloor !== false) {
      dataFl = dataFloor(model, options.X, n, name, options.fX);
      consider(dataFl);
    }
    const { best, norms } = sampledGradients(model, XD, n, name, 'gradient-at-data', D, search);
    consider(pointBound(best));
    // The best data points seed the ascent.
    const order = Array.from(norms.keys()).sort((a, b) => norms[b] - norms[a]).slice(0, Math.min(8, n));
    seeds = new Float64Array(order.length * d);
    order.forEach((i, q) => seeds!.set(XD.subarray(i * d, i * d + d), q * d));
  }
  let average: LipEstimate | null = null;
  if (options.fresh && options.freshCount) {
    const m = options.freshCount;
    average = averageGradientNorm(model, options.fresh, m, 'data distribution');
    estimates.push(average);
    consider(pointBound(sampledGradients(model, inDomain(options.fresh, m), m, name, 'gradient-at-fresh-draws', D, search).best));
  }
  const ratioOf = () => (upper === null ? Number.POSITIVE_INFINITY : lower.value > 0 ? upper.value / lower.value : Number.POSITIVE_INFINITY);
  let r = 0;
  for (; r < rounds && ratioOf() > target; r++) {
    const left = limit - (performance.now() - t0) / 1000;
    if (left <= 0) break;
    const asc = gradientAscent(model, D, options.rng, { starts: starts * 2 ** r, steps: options.steps, seeds: r === 0 ? seeds : undefined, timeLimit: left, search });
    consider(asc.best);
  }
  // the certified bounds must be ordered, lower <= exact <= upper, or one of them is false: a bug, never a result
  requireOrderedBounds(`${model.description}, ${name}`, lower, exact, upper);
  // and the class's own upper bound beside the exact value (the reported upper may be the exact value's top)
  requireOrderedBounds(`${model.description}, ${name}`, lower, exact, ub);
  return { lower, upper, exact, ratio: ratioOf(), average, dataFloor: dataFl, estimates, domain: name, seconds: (performance.now() - t0) / 1000, rounds: r, search: { backend: search.backend, mode: search.mode, precision: search.precision } };
}
