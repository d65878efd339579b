import type { DeepLipSdpCertificateData, LipEstimate, LipSdpCertificateData, SpectralProductCertificateData } from './estimate.js';

/** Unit roundoff of f64, 2^-53. */
export const UNIT_ROUNDOFF = 2 ** -53;

/**
 * gamma_k = k u / (1 - k u): a sum or dot product of k terms computed in f64 in any order (any
 * association, with or without fused multiply-adds) differs from the exact one by at most
 * gamma_k sum |terms| (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Lemma 3.1 and
 * section 3.1). The one rounding constant of every certificate and evaluation-error bound.
 */
export function gamma(k: number): number {
  const ku = k * UNIT_ROUNDOFF;
  return ku / (1 - ku);
}

/**
 * An exact Lipschitz constant with its certificate (the formula and its inputs): both a lower and an
 * upper bound over `domain` (docs/science.md section 3). `error` bounds the rounding of its floating-point
 * computation (absolute): the estimate carries [value - error, value + error], widened outward by two
 * ulps, and consumers use its ends, never the computed value, as bounds.
 */
export function exactEstimate(value: number, domain: string, method: string, formula: string, terms: Readonly<Record<string, number>>, error = 0): LipEstimate {
  // an overflowed or NaN value is a bug of the caller, which must give no exact value instead
  if (!(value >= 0 && value < Number.POSITIVE_INFINITY && error >= 0 && error < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`exactEstimate (${method}): value and error must be finite and non-negative (got ${value}, ${error})`);
  }
  const slack = error + 4 * UNIT_ROUNDOFF * Math.abs(value);
  // outward by at least two ulps, and by two subnormal steps where the value is subnormal or 0
  const interval = { lo: Math.max(0, (value - slack) * (1 - 2 ** -51) - 2 * Number.MIN_VALUE), hi: (value + slack) * (1 + 2 ** -51) + 2 * Number.MIN_VALUE };
  return { kind: 'exact', value, interval, witness: { type: 'certificate', formula, terms: { ...terms, roundingError: slack } }, domain, evaluations: 0, method };
}

/** A certified upper bound on Lip(f) over `domain` with its certificate (docs/science.md section 3). */
export function upperEstimate(value: number, domain: string, method: string, formula: string, terms: Readonly<Record<string, number>>, evaluations = 0, data?: LipSdpCertificateData | SpectralProductCertificateData | DeepLipSdpCertificateData): LipEstimate {
  // +Infinity is an upper bound (a useless one); NaN or a negative number is a bug of the caller
  if (!(value >= 0)) throw new RangeError(`upperEstimate (${method}): value must be a non-negative number or +Infinity (got ${value})`);
  return { kind: 'upper', value, witness: { type: 'certificate', formula, terms, ...(data ? { data } : {}) }, domain, evaluations, method };
}
