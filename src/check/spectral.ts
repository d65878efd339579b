/**
 * A spectral norm bound re-proven: ||M||_op <= s iff s^2 I - M^T M >= 0, checked by an interval Cholesky with
 * M^T M's entries by {@link roundedSum} (docs/science.md section 11).
 * @module
 */
import { point, roundedSum, sq, sub, tame } from './interval.js';
import { cholesky } from './cholesky.js';

/** ||M||_op <= s for the k x d matrix M, proven (s^2 I - M^T M >= 0), else false. */
export function spectralAtMost(M: Float64Array, k: number, d: number, s: number): boolean {
  if (!(s >= 0 && Number.isFinite(s)) || !M.every(tame) || !tame(s)) return false;
  const G = Array.from({ length: d }, (_, a) => Array.from({ length: a + 1 }, (_, b) => sub(a === b ? sq(point(s)) : point(0), roundedSum(k, 2, (j) => M[j * d + a] * M[j * d + b]))));
  return cholesky(G) === true;
}

