import { InputError } from '../../core/input-error.js';

/**
 * The participation ratio of a covariance spectrum, PR = (sum_i lambda_i)^2 / sum_i lambda_i^2
 * (docs/science.md section 6, "Effective dimension of a data set"; e.g. Gao, Trautmann, Yu et al. 2017,
 * "A theory of multineuronal dimensionality"). It is d for an isotropic law in R^d, m for an isotropic law
 * on an m-dimensional subspace, and between 1 and m otherwise; a few large eigenvalues dominate it.
 * 0 for a spectrum of zeros (all points equal).
 */
export function participationRatio(spectrum: Float64Array): number {
  let s1 = 0;
  let s2 = 0;
  let top = 0;
  for (const v of spectrum) {
    if (!(v >= 0 && Number.isFinite(v))) throw new InputError('spectrum', 'finite eigenvalues >= 0', v, { context: 'participationRatio' });
    top = Math.max(top, v);
  }
  if (top === 0) return 0;
  // Scaled by the largest eigenvalue: no overflow or underflow of the squares.
  for (const v of spectrum) {
    s1 += v / top;
    s2 += (v / top) ** 2;
  }
  return (s1 * s1) / s2;
}
