import { informalLaw } from './informal.js';
import { verdictKind } from './verdict.js';
import type { EffectiveDimension } from '../data/effective-dimension/effective-dimension.js';
import { FAR_BELOW_FACTOR } from '../data/effective-dimension/effective-dimension.js';
import { InputError, requirePositive } from '../core/validate.js';
import { LAW_TOLERANCE, type VerdictKind } from './verdict.js';

/** The informal law at one dimension (ambient or effective) and where a model's certified bounds sit against it. */
export interface LawAtDimension {
  /** The dimension used: the ambient d, or the effective d_eff (a real number). */
  readonly d: number;
  /** eps sqrt(n d / p). */
  readonly law: number;
  /** lower / law and upper / law (null without an upper bound). */
  readonly R: number;
  readonly Rupper: number | null;
  /** Against tau times the law: holds (lower >= it), counterexample (upper < it), else inconclusive. */
  readonly verdict: Exclude<VerdictKind, 'not-applicable'>;
}

/** The law with the ambient and with the effective dimension, and which one a verdict uses. */
export interface BothLaws {
  readonly ambient: LawAtDimension;
  readonly effective: LawAtDimension;
  /** Which law the verdict uses: the effective one exactly when the data are flagged. */
  readonly uses: 'ambient' | 'effective';
  /** The data's effective dimension is far below d (EffectiveDimension.farBelow): outside the ambient law. */
  readonly outsideAmbientLaw: boolean;
  /** One sentence: which law the verdict uses and why. */
  readonly why: string;
}

/** Inputs of {@link bothLaws}. */
export interface BothLawsInput {
  readonly n: number;
  readonly p: number;
  /** eps = sigma^2 - MSE > 0 (the law makes no claim otherwise). */
  readonly eps: number;
  readonly lower: number;
  readonly upper: number | null;
  readonly dims: EffectiveDimension;
  readonly tau?: number;
}

const fmt = (x: number) => Number(x.toPrecision(3)).toString();

function atDimension(n: number, d: number, p: number, eps: number, lower: number, upper: number | null, tau: number): LawAtDimension {
  const law = informalLaw(n, d, p, eps);
  const threshold = tau * law;
  const verdict = verdictKind(lower, upper, threshold);
  return { d, law, R: lower / law, Rupper: upper === null ? null : upper / law, verdict };
}

/**
 * The informal law eps sqrt(n d / p) evaluated with the ambient d and with the data's effective dimension
 * d_eff (docs/science.md section 6, "Effective dimension of a data set"), each with its verdict against
 * tau (docs/science.md section 8). The law is stated for c-isoperimetric data with c = O(1) in the
 * ambient d; data concentrated near a d_eff-dimensional set are isoperimetric only with c ~ d / d_eff, and
 * Theorem 3 with that c is the law with d_eff in place of d (science.md section 5.2). So the verdict uses
 * the ambient law (the law as stated, and the stricter of the two) unless the data are flagged as far
 * below their dimension, in which case the ambient law is outside its premise and the verdict uses d_eff.
 */
export function bothLaws(input: BothLawsInput): BothLaws {
  const { n, p, dims } = input;
  const eps = requirePositive('bothLaws', 'eps', input.eps);
  const tau = input.tau ?? LAW_TOLERANCE;
  if (!(input.lower >= 0)) throw new InputError('lower', 'a number >= 0', input.lower, { context: 'bothLaws' });
  const ambient = atDimension(n, dims.d, p, eps, input.lower, input.upper, tau);
  const effective = atDimension(n, dims.lawD, p, eps, input.lower, input.upper, tau);
  const outside = dims.farBelow;
  const dEff = `d_eff = ${fmt(dims.lawD)} (${dims.lawEstimator})`;
  const why = outside
    ? `The verdict uses the effective dimension ${dEff}: it is at most 1/${FAR_BELOW_FACTOR} of min(d, n - 1) = ${dims.resolvable}, so the data are far from isotropic in d = ${dims.d} (isoperimetric only with c ~ d / d_eff = ${fmt(dims.d / dims.lawD)}) and outside the ambient law; Theorem 3 with that c is the law with d_eff.`
    : `The verdict uses the ambient d = ${dims.d}, the law as stated: the effective dimension ${dEff} is not far below min(d, n - 1) = ${dims.resolvable} (the flag needs at most 1/${FAR_BELOW_FACTOR} of it), and the ambient law is the stricter of the two.`;
  return { ambient, effective, uses: outside ? 'effective' : 'ambient', outsideAmbientLaw: outside, why };
}
