/** The best pair of a pairwise-secant scan. */
export interface SecantPair {
  /** |f_i - f_j| / ||x_i - x_j|| */
  readonly secant: number;
  readonly i: number;
  readonly j: number;
}

/** Rows per block of the scan (a multiple of it splits the scan into contiguous pieces, see below). */
export const SECANT_BLOCK = 64;

/**
 * max |f_i - f_j| / ||x_i - x_j|| over the pairs i < j with i in [i0, i1) (default: all pairs), for the
 * rows of X (n x d, row-major) and values f, in f64 arithmetic: the one pairwise-secant loop of the
 * project (the data floor of src/estimators/data-floor.ts and the cpu backends' kernel). Rows in blocks
 * of {@link SECANT_BLOCK} against column blocks of the same size (cache friendly), distances computed
 * directly (no ||a||^2 + ||b||^2 - 2 a.b cancellation); coincident points are skipped; pairs whose
 * |f_i - f_j| is at most 1e-300 times the best so far are skipped (they cannot win: a distance is at
 * least 2^-537). Ties keep the pair met first in this scan order; for i0 and i1 multiples of the block
 * (or n), the scans of consecutive ranges are consecutive pieces of the scan of all pairs. Returns
 * null when no pair of distinct points has a comparable secant (n < 2, all points equal, NaN values).
 */
export function bestSecantPair(X: ArrayLike<number>, f: ArrayLike<number>, n: number, d: number, i0 = 0, i1 = n): SecantPair | null {
  const B = SECANT_BLOCK;
  let best = -1;
  let bi = 0;
  let bj = 1;
  for (let b0 = i0 - (i0 % B); b0 < i1; b0 += B) {
    const lo = Math.max(b0, i0);
    const hi = Math.min(i1, b0 + B);
    for (let j0 = b0; j0 < n; j0 += B) {
      const j1 = Math.min(n, j0 + B);
      for (let i = lo; i < hi; i++) {
        const oi = i * d;
        for (let j = Math.max(j0, i + 1); j < j1; j++) {
          const df = Math.abs(f[i] - f[j]);
          if (df <= best * 1e-300) continue;
          const oj = j * d;
          let s = 0;
          for (let t = 0; t < d; t++) {
            const v = X[oi + t] - X[oj + t];
            s += v * v;
          }
          if (s === 0) continue;
          const sec = df / Math.sqrt(s);
          if (sec > best) {
            best = sec;
            bi = i;
            bj = j;
          }
        }
      }
    }
  }
  return best < 0 ? null : { secant: best, i: bi, j: bj };
}
