import { InputError, requireInt, requirePositive } from '../core/validate.js';
import { informalLaw } from './informal.js';
import { theorem3, type FailedAssumption } from './theorem3.js';

/** The four verdicts of an instance. */
export type VerdictKind = 'holds' | 'counterexample' | 'inconclusive' | 'not-applicable';

/**
 * The documented tolerance tau of the informal law: an instance "holds" the law when its certified
 * lower bound is at least tau eps sqrt(n d / p). Set from the deep profile's smallest R over every class
 * in the theorem's regime, with a margin (docs/evidence.md): see properties/law.prop.ts.
 */
export const LAW_TOLERANCE = 0.25;

/** Inputs of {@link verdict}: the fit, the Lipschitz bounds and the theorem's side conditions. */
export interface VerdictInput {
  readonly n: number;
  readonly d: number;
  readonly p: number;
  /** Fit margin eps = sigma^2 - train MSE (may be <= 0). */
  readonly eps: number;
  readonly sigma2: number;
  /** Certified lower bound on Lip(f). */
  readonly lower: number;
  /** Certified upper bound on Lip(f) (Infinity or null if none). */
  readonly upper: number | null;
  /** Isoperimetry constant and components of the data law. */
  readonly c: number;
  readonly k: number;
  /** Parameter diameter and parametrisation Lipschitz constant of the class. */
  readonly W: number;
  readonly J: number;
  readonly delta?: number;
  /** Tolerance tau of the informal law (default {@link LAW_TOLERANCE}). */
  readonly tau?: number;
}

/** A verdict against one threshold. */
export interface ThresholdVerdict {
  readonly verdict: VerdictKind;
  /** The threshold Lip(f) is compared with (null when not applicable). */
  readonly threshold: number | null;
  /** lower / threshold and upper / threshold (null when not applicable). */
  readonly lowerMargin: number | null;
  readonly upperMargin: number | null;
  readonly failedAssumptions: readonly string[];
}

/** The verdict of an instance against Theorem 3 and against the informal law. */
export interface Verdict {
  readonly theorem3: ThresholdVerdict;
  readonly law: ThresholdVerdict;
  /** R = lower / (eps sqrt(n d / p)) (null when eps <= 0). */
  readonly R: number | null;
  /** eps used in Theorem 3: min(eps, 1 - 1e-9) (see {@link verdict}). */
  readonly epsTheorem: number | null;
}

/**
 * The verdict rule, the one place it is written (docs/science.md section 8): `holds` when the certified
 * lower bound reaches the threshold, `counterexample` when even the certified upper bound (null: none) is
 * below it, `inconclusive` in between.
 */
export function verdictKind(lower: number, upper: number | null, threshold: number): Exclude<VerdictKind, 'not-applicable'> {
  return lower >= threshold ? 'holds' : upper !== null && upper < threshold ? 'counterexample' : 'inconclusive';
}

function classify(lower: number, upper: number | null, threshold: number, failed: string[]): ThresholdVerdict {
  const up = upper ?? Number.POSITIVE_INFINITY;
  const v: VerdictKind = verdictKind(lower, upper, threshold);
  return { verdict: v, threshold, lowerMargin: lower / threshold, upperMargin: Number.isFinite(up) ? up / threshold : null, failedAssumptions: failed };
}

/**
 * The verdict of one fitted instance (docs/science.md sections 1 and 5):
 * - `holds`: the certified lower bound is >= the threshold;
 * - `counterexample`: the certified upper bound is < the threshold (a certified violation);
 * - `inconclusive`: lower < threshold <= upper (the caller spends more estimator effort first);
 * - `not-applicable`: eps <= 0 (the fit is not below the noise level), or, for Theorem 3, an
 *   assumption fails (listed).
 * Theorem 3's threshold is its bound; its premise needs eps in (0, 1): fitting below the noise level by
 * eps implies fitting by any eps' < eps, so for eps >= 1 (exact interpolation of pure noise) the theorem
 * is applied with eps' = 1 - 1e-9. The law's threshold is tau eps sqrt(n d / p).
 * A non-finite eps, sigma2, lower, c, W or J (or threshold) is a bug of the caller, who refuses such
 * inputs up front: it throws a plain Error, never a verdict.
 */
export function verdict(input: VerdictInput): Verdict {
  const fn = 'verdict';
  const n = requireInt(fn, 'n', input.n, 1);
  const d = requireInt(fn, 'd', input.d, 1);
  const p = requireInt(fn, 'p', input.p, 1);
  const tau = requirePositive(fn, 'tau', input.tau ?? LAW_TOLERANCE);
  // Never a verdict from a non-finite number: the callers refuse such inputs up front (checkModel names the
  // flag), so one reaching here is a bug, not bad input.
  const finite: readonly (readonly [string, number | null])[] = [['eps', input.eps], ['sigma2', input.sigma2], ['lower', input.lower], ['c', input.c], ['W', input.W], ['J', input.J]];
  for (const [name, x] of finite) if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`verdict: ${name} is not a finite number (${String(x)}); non-finite inputs must be refused before a verdict`);
  if (input.upper !== null && !(input.upper >= 0)) throw new Error(`verdict: upper is ${String(input.upper)}; it must be a number >= 0, Infinity or null`);
  if (!(input.lower >= 0)) throw new InputError('lower', 'a number >= 0', input.lower, { context: fn });
  const na = (why: string[]): ThresholdVerdict => ({ verdict: 'not-applicable', threshold: null, lowerMargin: null, upperMargin: null, failedAssumptions: why });
  if (!(input.eps > 0)) {
    const why = [`eps = sigma^2 - MSE = ${input.eps.toPrecision(4)} <= 0: the fit is not below the noise level`];
    if (!(input.sigma2 > 0)) why.push(`sigma^2 = ${input.sigma2}: noiseless labels`);
    return { theorem3: na(why), law: na(why), R: null, epsTheorem: null };
  }
  const lawThreshold = tau * informalLaw(n, d, p, input.eps);
  if (!(Number.isFinite(lawThreshold) && lawThreshold > 0)) throw new Error(`verdict: the law's threshold is ${lawThreshold}, not a finite number > 0`);
  const law = classify(input.lower, input.upper, lawThreshold, []);
  const R = input.lower / informalLaw(n, d, p, input.eps);
  const epsT = Math.min(input.eps, 1 - 1e-9);
  const t3 = theorem3({ n, d, p, eps: epsT, delta: input.delta ?? 0.01, c: input.c, W: Math.max(input.W, 1e-300), J: Math.max(input.J, 1e-300), k: input.k, sigma2: input.sigma2 });
  if (t3.applies && !(Number.isFinite(t3.bound) && t3.bound! > 0)) throw new Error(`verdict: Theorem 3's bound is ${t3.bound}, not a finite number > 0`);
  const theorem = t3.applies ? classify(input.lower, input.upper, t3.bound!, []) : na(t3.failedAssumptions.map((f: FailedAssumption) => f.message));
  return { theorem3: theorem, law, R, epsTheorem: epsT };
}
