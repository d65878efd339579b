/**
 * The checks behind the law-aware test matchers (`robustlaw/vitest`, docs/package.md), free of any test
 * framework: each returns pass or fail with the message a failing test prints (the certified bounds, the
 * witness of the lower bound and the seed that replays the estimator).
 * @module
 */
import { InputError } from '../core/input-error.js';
import { Streams } from '../core/streams.js';
import { requireInt } from '../core/validate.js';
import { checkModel, type CheckModelReport } from '../law/check-model.js';
import { LAW_TOLERANCE } from '../law/verdict.js';
import { ball } from '../lipschitz/domain.js';
import type { LipEstimate, Witness } from '../lipschitz/estimate.js';
import { lipschitz } from '../estimators/lipschitz.js';
import { dataRadius, type Model } from '../models/model.js';

/** Training inputs: an n x d row-major Float64Array or an array of n rows of d numbers. */
export type Covariates = Float64Array | readonly (readonly number[])[];

/** Options of {@link lawCheck} (`toSatisfyLaw`). */
export interface LawCheckOptions {
  /** The training inputs the model fits. */
  readonly X: Covariates;
  /** The training labels, one per row of X. */
  readonly y: Float64Array | readonly number[];
  /** The label noise level sigma^2 (default: the label variance, as `robustlaw check-model` does). */
  readonly sigma2?: number;
  /** The law's tolerance tau: the check passes when the certified lower bound is >= tau eps sqrt(n d / p) (default 0.25). */
  readonly tau?: number;
  /** Seed of the estimator's stream (default 0): the same seed gives the same bounds. */
  readonly seed?: number;
  /** Gradient-ascent starts and steps of the lower bound's search (defaults 16 and 100). */
  readonly starts?: number;
  readonly steps?: number;
}

/** Options of {@link lipschitzAboveCheck} (`toHaveLipschitzAbove`). */
export interface LipschitzAboveOptions {
  /** Data points (their gradients and secants join the search; the domain is the ball of their radius). */
  readonly X?: Covariates;
  /** Radius of the ball around 0 the Lipschitz constant is taken over (default: the data's radius, else the model's own radius). */
  readonly radius?: number;
  readonly seed?: number;
  readonly starts?: number;
  readonly steps?: number;
}

/** What a check decided, with its numbers and the message a test prints. */
export interface CheckOutcome {
  readonly pass: boolean;
  /** The message for a failed `expect(...)` (and for a failed `.not`). */
  readonly message: string;
  /** Certified bounds on Lip(f) over `domain`. */
  readonly lower: number;
  readonly upper: number | null;
  readonly witness: Witness;
  readonly domain: string;
  readonly seed: number;
}

/** The result of {@link lawCheck}: a {@link CheckOutcome} plus the law's numbers. */
export interface LawCheckOutcome extends CheckOutcome {
  readonly report: CheckModelReport;
  readonly tau: number;
}

const g = (x: number | null) => (x === null ? 'none' : Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x));
const vec = (v: readonly number[]) => `[${v.slice(0, 6).map((t) => g(t)).join(', ')}${v.length > 6 ? `, ... (${v.length} coordinates)` : ''}]`;

/** One line describing a witness: the point and its gradient norm, the secant pair, or the certificate. */
export function describeWitness(w: Witness): string {
  switch (w.type) {
    case 'point':
      return w.region
        ? `||grad f|| in [${g(w.gradNorm)}, ${g(w.region.gradNormHi)}] on the relu region of pattern ${w.region.pattern}, which contains x = ${vec(w.x)} (checked in exact arithmetic)`
        : `||grad f(x)|| = ${g(w.gradNorm)} at x = ${vec(w.x)}`;
    case 'pair':
      return `|f(a) - f(b)| / ||a - b|| = ${g(w.secant)} with a = ${vec(w.a)}, b = ${vec(w.b)}${w.allowance ? ` (lowered by the evaluation-error allowance ${g(w.allowance)})` : ''}`;
    case 'jacobian':
      return `||J(x)||_2 = ${g(w.sigma)} at x = ${vec(w.x)}`;
    case 'vector-pair':
      return `||f(a) - f(b)|| / ||a - b|| = ${g(w.secant)} with a = ${vec(w.a)}, b = ${vec(w.b)}`;
    case 'certificate':
      return `certificate ${w.formula} (${Object.entries(w.terms).map(([k, v]) => `${k} = ${g(v)}`).join(', ')})`;
    case 'sample':
      return `statistic over ${w.samples} samples (stderr ${g(w.stderr)})`;
  }
}

/** X as an n x d Float64Array with n rows (each of the model's d inputs). */
function covariates(X: Covariates, d: number, parameter: string): { X: Float64Array; n: number } {
  if (X instanceof Float64Array) {
    if (X.length === 0 || X.length % d !== 0) throw new InputError(parameter, `an n x ${d} row-major Float64Array (the model's d = ${d} inputs)`, X, { shown: `length ${X.length}` });
    return { X, n: X.length / d };
  }
  if (!Array.isArray(X) || X.length === 0) throw new InputError(parameter, `a non-empty array of rows of ${d} numbers`, X);
  const out = new Float64Array(X.length * d);
  X.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== d) throw new InputError(parameter, `rows of the model's d = ${d} numbers`, row, { shown: `row ${i} of length ${Array.isArray(row) ? row.length : 'none'}` });
    const cells: readonly number[] = row;
    for (let j = 0; j < d; j++) {
      const v = cells[j];
      if (!Number.isFinite(v)) throw new InputError(parameter, 'finite numbers', v, { shown: `X[${i}][${j}] = ${v}` });
      out[i * d + j] = v;
    }
  });
  return { X: out, n: X.length };
}

const seedOf = (seed: number | undefined) => requireInt('robustlaw matcher', 'seed', seed ?? 0, 0);
const replay = (seed: number) => `replay: seed ${seed} (the estimator's stream; the same seed gives the same bounds)`;

/**
 * `toSatisfyLaw`: checks a fitted model against the law on its training data with {@link checkModel}
 * (docs/science.md section 1: eps = sigma^2 - MSE, the law eps sqrt(n d / p)). It passes when the certified
 * lower bound on Lip(f), over the ball of the data's radius, is at least tau times the law, i.e. the fit is
 * certified to be as non-smooth as the law demands. It fails when the lower bound falls short (inconclusive
 * or a certified counterexample) and when the model does not fit below the noise level (eps <= 0: the law
 * makes no claim).
 */
export function lawCheck(model: Model, options: LawCheckOptions): LawCheckOutcome {
  const { X, n } = covariates(options.X, model.d, 'X');
  const y = options.y instanceof Float64Array ? options.y : Float64Array.from(options.y);
  const tau = options.tau ?? LAW_TOLERANCE;
  if (!(tau > 0 && tau <= 1)) throw new InputError('tau', 'a number in (0, 1]', tau);
  const seed = seedOf(options.seed);
  const report = checkModel({ model, X, y, n, sigma2: options.sigma2, rng: new Streams(seed).stream('estimator'), starts: options.starts, steps: options.steps });
  const bounds = `certified Lip(f) in [${g(report.lower)}, ${report.upper === null ? 'no upper bound' : g(report.upper)}] on ${report.domain}`;
  const setting = `n = ${n}, d = ${model.d}, p = ${model.p}, train MSE ${g(report.trainMse)}, sigma^2 = ${g(report.sigma2)} (${report.sigma2Source}), eps = ${g(report.eps)}`;
  const lines = [bounds, `lower bound by ${report.lowerMethod}: ${describeWitness(report.lowerWitness)}`, setting];
  let pass = false;
  let head: string;
  if (report.law === null) {
    head = `expected the model to satisfy the law, but it does not fit below the noise level (eps = ${g(report.eps)} <= 0): the law makes no claim`;
  } else {
    const need = tau * report.law;
    lines.push(`law eps sqrt(n d / p) = ${g(report.law)}; tau = ${tau}; R = lower / law = ${g(report.R)}`);
    pass = report.lower >= need;
    head = pass
      ? `expected the model not to satisfy the law, but its certified lower bound ${g(report.lower)} >= tau law = ${g(need)}`
      : `expected the model to satisfy the law: certified lower bound ${g(report.lower)} < tau law = ${g(need)} (${report.upper !== null && report.upper < need ? `certified short: even the upper bound ${g(report.upper)} is below` : 'inconclusive: the upper bound does not rule the law out'})`;
  }
  return { pass, message: [head, ...lines.map((l) => `  ${l}`), `  ${replay(seed)}`].join('\n'), lower: report.lower, upper: report.upper, witness: report.lowerWitness, domain: report.domain, seed, report, tau };
}

/**
 * `toHaveLipschitzAbove`: passes when the certified lower bound on Lip(f) over the ball (docs/science.md
 * section 3: a gradient norm or a secant, re-checkable from its witness) exceeds `L`.
 */
export function lipschitzAboveCheck(model: Model, L: number, options: LipschitzAboveOptions = {}): CheckOutcome {
  if (!Number.isFinite(L) || L < 0) throw new InputError('L', 'a finite number >= 0', L);
  const data = options.X === undefined ? null : covariates(options.X, model.d, 'X');
  const radius = options.radius ?? (data ? dataRadius(data.X, data.n, model.d) : model.radius);
  const seed = seedOf(options.seed);
  const lip = lipschitz(model, { domain: ball(radius), X: data?.X, n: data?.n, rng: new Streams(seed).stream('estimator'), starts: options.starts ?? 16, steps: options.steps ?? 100, rounds: 3 });
  const best: LipEstimate = lip.exact && (lip.exact.interval?.lo ?? lip.exact.value) >= lip.lower.value ? lip.exact : lip.lower;
  const lower = best === lip.exact ? (lip.exact.interval?.lo ?? lip.exact.value) : lip.lower.value;
  const upper = lip.upper && Number.isFinite(lip.upper.value) ? (lip.upper.interval?.hi ?? lip.upper.value) : null;
  const pass = lower > L;
  const head = pass ? `expected the model's Lipschitz constant not to be certified above ${g(L)}, but its certified lower bound is ${g(lower)}` : `expected the model's Lipschitz constant to be certified above ${g(L)}, but the certified lower bound is ${g(lower)}${upper !== null && upper <= L ? ` and the certified upper bound ${g(upper)} proves Lip(f) <= ${g(L)}` : ''}`;
  const lines = [`certified Lip(f) in [${g(lower)}, ${upper === null ? 'no upper bound' : g(upper)}] on ${lip.domain}`, `lower bound by ${best.method}: ${describeWitness(best.witness)}`, replay(seed)];
  return { pass, message: [head, ...lines.map((l) => `  ${l}`)].join('\n'), lower, upper, witness: best.witness, domain: lip.domain, seed };
}
