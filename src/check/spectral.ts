/**
 * A spectral norm bound re-proven: ||M||_op <= s iff s^2 I - M^T M >= 0, checked by an interval Cholesky with
 * the Gram matrix's entries by a-priori bounds ({@link gramEnclosure}; docs/science.md section 11).
 * @module
 */
import { gramEnclosure, point, sq, sub, tame } from './interval.js';
import { cholesky } from './cholesky.js';

/**
 * ||M||_op <= s for the k x d matrix M, proven (s^2 I - M^T M >= 0, or s^2 I - M M^T on the smaller side): true,
 * refuted (certainly exceeded), or a reason why not proven.
 */
export function spectralCheck(M: Float64Array, k: number, d: number, s: number): true | string | { refuted: string } {
  if (!(s >= 0 && Number.isFinite(s))) return { refuted: `a stated norm ${s}` };
  if (!M.every(tame) || !tame(s)) return 'numbers beyond 2^+-200 (the fast sums need none)';
  // the smaller side: M^T M (d x d) from M's rows, or M M^T (k x k) from its columns
  const G = d <= k ? gramEnclosure(M, k, d) : gramEnclosure(Float64Array.from({ length: k * d }, (_, e) => M[(e % k) * d + Math.floor(e / k)]), d, k);
  return cholesky(G.map((row, a) => row.map((v, b) => sub(a === b ? sq(point(s)) : point(0), v))));
}
