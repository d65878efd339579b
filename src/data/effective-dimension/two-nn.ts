import { requireDataMatrix } from './data-matrix.js';

/** The TwoNN estimate and what it was computed from. */
export interface TwoNNEstimate {
  /** The maximum-likelihood intrinsic dimension N / sum_i ln(r2_i / r1_i), or null when every ratio is 1. */
  readonly dimension: number | null;
  /** Points whose ratio entered the estimate (duplicates of a point are dropped, as Facco et al. require). */
  readonly points: number;
}

/**
 * The TwoNN intrinsic-dimension estimate of Facco, d'Errico, Rodriguez and Laio (2017, "Estimating the
 * intrinsic dimension of datasets by a minimal neighborhood information", Sci. Rep. 7, 12140), in its
 * maximum-likelihood form (docs/science.md section 6, "Effective dimension of a data set"). For each
 * distinct point, mu_i = r2_i / r1_i, the ratio of the Euclidean distances to its second and first nearest
 * neighbours. If the density is locally constant on a manifold of dimension m, mu follows the Pareto law
 * f(mu) = m mu^(-m-1) on [1, inf), whose maximum-likelihood estimate from N ratios is
 * m_hat = N / sum_i ln mu_i. Exact O(N^2 d) neighbour search; rows equal to an earlier row are dropped first.
 * n >= 3 is required (an InputError otherwise); the dimension is null with fewer than 3 distinct points
 * or when every ratio is 1.
 */
export function twoNN(X: Float64Array, n: number, d: number): TwoNNEstimate {
  requireDataMatrix('twoNN', X, n, d, 3);
  // distinct rows, first occurrence kept
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    let dup = false;
    for (const k of keep) {
      let same = true;
      for (let j = 0; j < d && same; j++) same = X[i * d + j] === X[k * d + j];
      if (same) {
        dup = true;
        break;
      }
    }
    if (!dup) keep.push(i);
  }
  const N = keep.length;
  if (N < 3) return { dimension: null, points: N };
  const r1 = new Float64Array(N).fill(Infinity);
  const r2 = new Float64Array(N).fill(Infinity);
  const push = (u: number, s: number): void => {
    if (s < r1[u]) {
      r2[u] = r1[u];
      r1[u] = s;
    } else if (s < r2[u]) r2[u] = s;
  };
  for (let a = 0; a < N; a++) {
    const ia = keep[a] * d;
    for (let b = a + 1; b < N; b++) {
      const ib = keep[b] * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = X[ia + j] - X[ib + j];
        s += t * t;
      }
      push(a, s);
      push(b, s);
    }
  }
  let sum = 0;
  let used = 0;
  // ln(r2 / r1) = ln(r2^2 / r1^2) / 2 on squared distances; a squared distance that underflowed to 0
  // (distinct points closer than 1e-162) gives no finite ratio and its point is left out.
  for (let a = 0; a < N; a++) {
    if (!(r1[a] > 0)) continue;
    sum += 0.5 * Math.log(r2[a] / r1[a]);
    used++;
  }
  return { dimension: sum > 0 && used >= 3 ? used / sum : null, points: used };
}
