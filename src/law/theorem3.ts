import { InputError, requireInt, requireOpen, requirePositive } from '../core/validate.js';
import { NEURIPS_2021, type LawConstants } from './constants.js';

/** Inputs of Theorem 3 (docs/science.md section 1). */
export interface Theorem3Input {
  /** Number of samples, integer >= 1. */
  readonly n: number;
  /** Ambient dimension, integer >= 1. */
  readonly d: number;
  /** Number of parameters, integer >= 1. */
  readonly p: number;
  /** Fit margin below the noise level, in (0, 1). */
  readonly eps: number;
  /** Failure probability, in (0, 1). Default 0.01. */
  readonly delta?: number;
  /** Isoperimetry constant c > 0. Default 1. */
  readonly c?: number;
  /** Diameter bound W > 0 of the parameter set. */
  readonly W: number;
  /** Lipschitz constant J > 0 of the parametrization w -> f_w in sup norm. */
  readonly J: number;
  /** Number of mixture components k, integer >= 1. Default 1. */
  readonly k?: number;
  /** Noise level sigma^2 when known: sigma^2 <= 0 is a failed assumption. */
  readonly sigma2?: number;
  /** Constant set; default {@link NEURIPS_2021}. */
  readonly constants?: LawConstants;
}

/** One assumption of Theorem 3 that does not hold, with the numbers that show it. */
export interface FailedAssumption {
  readonly id: 'k-condition' | 'sigma2' | 'log-term';
  readonly message: string;
}

/** Result of {@link theorem3}. */
export interface Theorem3Result {
  /** The lower bound on Lip(f) when the theorem applies, else null. */
  readonly bound: number | null;
  /** The formula's value whether or not it applies (for plots; never a claim when !applies). */
  readonly formula: number;
  readonly applies: boolean;
  readonly failedAssumptions: readonly FailedAssumption[];
  /** Both sides of the k-condition, kFactor k ln(kLogScale k / delta) and n eps^2. */
  readonly kCondition: { readonly lhs: number; readonly rhs: number };
  /** Probability with which the bound holds simultaneously over the class: 1 - delta. */
  readonly probability: number;
  readonly constants: string;
}

/**
 * Theorem 3 of Bubeck & Sellke (docs/science.md section 1): with probability >= 1 - delta, every f in the class
 * with (1/n) sum (f(x_i) - y_i)^2 <= sigma^2 - eps has
 *   Lip(f) >= eps / (2^9 sqrt(c)) * sqrt( n d / ( p ln(60 W J / eps) + ln(4 / delta) ) ),
 * provided 8^4 k ln(8 k / delta) <= n eps^2, eps, delta in (0, 1) and sigma^2 > 0. We also require the
 * log term ln(60 W J / eps) >= 0 (a harness guard: below it the printed formula is not meaningful).
 * Bad input (non-integers, non-finite values, eps or delta outside (0, 1)) throws before any work; the
 * log term is computed in logs (finite for any finite W, J), and inputs whose formula is not a finite
 * number > 0 (an eps or c so extreme that it under- or overflows) are refused, naming eps or c.
 */
export function theorem3(input: Theorem3Input): Theorem3Result {
  const fn = 'theorem3';
  const n = requireInt(fn, 'n', input.n, 1);
  const d = requireInt(fn, 'd', input.d, 1);
  const p = requireInt(fn, 'p', input.p, 1);
  const eps = requireOpen(fn, 'eps', input.eps, 0, 1);
  const delta = requireOpen(fn, 'delta', input.delta ?? 0.01, 0, 1);
  const c = requirePositive(fn, 'c', input.c ?? 1);
  const W = requirePositive(fn, 'W', input.W);
  const J = requirePositive(fn, 'J', input.J);
  const k = requireInt(fn, 'k', input.k ?? 1, 1);
  const K = input.constants ?? NEURIPS_2021;
  const failed: FailedAssumption[] = [];

  const lhs = K.kCondition.kFactor * k * Math.log((K.kCondition.kLogScale * k) / delta);
  const rhs = n * eps * eps;
  if (!(lhs <= rhs)) {
    failed.push({
      id: 'k-condition',
      message: `8^4 k ln(8k/delta) <= n eps^2 fails: ${fmt(lhs)} > ${fmt(rhs)} (k = ${k}, delta = ${delta}, n = ${n}, eps = ${eps}); needs n >= ${Math.ceil(lhs / (eps * eps))}`,
    });
  }
  if (input.sigma2 !== undefined) {
    if (typeof input.sigma2 !== 'number' || !Number.isFinite(input.sigma2)) throw new InputError('sigma2', 'a finite number', input.sigma2, { context: fn });
    if (!(input.sigma2 > 0)) failed.push({ id: 'sigma2', message: `sigma^2 > 0 fails: sigma^2 = ${input.sigma2} (noiseless labels: the premise cannot hold)` });
  }
  // in logs: 60 W J overflows for W = J = 1e308 while its logarithm (about 1420) does not
  const logTerm = Math.log(K.theorem3.logScale) + Math.log(W) + Math.log(J) - Math.log(eps);
  if (!(logTerm >= 0)) failed.push({ id: 'log-term', message: `ln(60 W J / eps) >= 0 fails: 60 W J / eps = ${fmt(Math.exp(logTerm))} < 1` });

  const denom = p * Math.max(logTerm, 0) + Math.log(K.theorem3.deltaScale / delta);
  const formula = (eps / (K.theorem3.prefactor * Math.sqrt(c))) * Math.sqrt((n * d) / denom);
  // never a bound (nor a verdict) from a number that over- or underflowed
  if (!(Number.isFinite(formula) && formula > 0)) {
    const parameter = c > 1 ? 'c' : 'eps';
    throw new InputError(parameter, `such that the bound is a finite number > 0 (it is ${formula} for n = ${n}, d = ${d}, p = ${p}, eps = ${eps}, c = ${c}, W = ${W}, J = ${J})`, parameter === 'c' ? c : eps, { context: fn });
  }
  const applies = failed.length === 0;
  return { bound: applies ? formula : null, formula, applies, failedAssumptions: failed, kCondition: { lhs, rhs }, probability: 1 - delta, constants: K.label };
}

/** Smallest n for which the k-condition holds: ceil(8^4 k ln(8k/delta) / eps^2). */
export function minSamplesForKCondition(eps: number, k = 1, delta = 0.01, constants: LawConstants = NEURIPS_2021): number {
  requireOpen('minSamplesForKCondition', 'eps', eps, 0, 1);
  requireInt('minSamplesForKCondition', 'k', k, 1);
  requireOpen('minSamplesForKCondition', 'delta', delta, 0, 1);
  const lhs = constants.kCondition.kFactor * k * Math.log((constants.kCondition.kLogScale * k) / delta);
  return Math.ceil(lhs / (eps * eps));
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}
