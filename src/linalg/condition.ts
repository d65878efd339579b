import type { Rng } from '../core/rng.js';
import { choleskySolve } from './cholesky.js';
import { norm2 } from './gram.js';

/**
 * 2-norm condition number lambda_max / lambda_min of a symmetric positive definite n x n matrix A, given
 * its Cholesky factor L: lambda_max by Lanczos on A, lambda_min as 1 / lambda_max(A^-1) by Lanczos on the
 * Cholesky solve, each from a random start, with full reorthogonalisation, until the largest Ritz value
 * changes by less than 1e-7 relative (at most min(n, 80) steps). Ritz values never exceed the extreme
 * eigenvalue (Cauchy interlacing), so both iterations approach their extremes from inside and the result
 * is an estimate from below of the true condition number. (Power iteration, used before, needed 60 to 300
 * steps on random-feature Gram matrices, whose small eigenvalues cluster; Lanczos converges in a few tens.)
 * `LT`, the factor's transpose, speeds up the solves (same results; see {@link choleskySolve}).
 */
export function spdCondition(A: Float64Array, L: Float64Array, n: number, rng: Rng, LT?: Float64Array): number {
  const v = rng.fillNormal(new Float64Array(n));
  let lmax = lanczosLargest(v, n, (x) => symMul(A, n, x));
  const w = rng.fillNormal(new Float64Array(n));
  const inv = lanczosLargest(w, n, (x) => choleskySolve(L, n, x, LT));
  const lmin = 1 / inv;
  if (!(lmin > 0)) return Number.POSITIVE_INFINITY;
  lmax = Math.max(lmax, lmin);
  return lmax / lmin;
}

function symMul(A: Float64Array, n: number, x: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
    y[i] = s;
  }
  return y;
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** The largest Ritz value of a symmetric PSD operator on the Krylov space of x0 (Lanczos, full reorthogonalisation). */
function lanczosLargest(x0: Float64Array, n: number, op: (x: Float64Array) => Float64Array): number {
  const nx = norm2(x0);
  if (!(nx > 0)) return 0;
  let q = x0.map((t) => t / nx);
  const Q: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let theta = 0;
  for (let j = 0; j < Math.min(n, 80); j++) {
    Q.push(q);
    const w = op(q);
    alpha.push(dot(q, w));
    // classical Gram-Schmidt against every Lanczos vector, twice ("twice is enough"): this removes the
    // alpha q_j and beta q_{j-1} terms of the three-term recurrence and the loss of orthogonality
    for (let pass = 0; pass < 2; pass++) {
      for (const qi of Q) {
        const c = dot(qi, w);
        for (let i = 0; i < n; i++) w[i] -= c * qi[i];
      }
    }
    const prev = theta;
    theta = largestTridiagonal(alpha, beta);
    const b = norm2(w);
    if (j > 2 && Math.abs(theta - prev) <= 1e-7 * Math.abs(theta)) break;
    // an invariant subspace: the Ritz values are eigenvalues
    if (!(b > 1e-14 * Math.abs(theta))) break;
    beta.push(b);
    q = w.map((t) => t / b);
  }
  return theta;
}

/**
 * Largest eigenvalue of the symmetric tridiagonal matrix with diagonal `a` and off-diagonal `b` (b.length
 * >= a.length - 1), by bisection on Sturm counts within the Gershgorin interval, to the last bits; the lower
 * end of the final interval, so that the result does not exceed it (nor the Ritz value it approximates).
 */
function largestTridiagonal(a: readonly number[], b: readonly number[]): number {
  const m = a.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(b[i - 1]) : 0) + (i < m - 1 ? Math.abs(b[i]) : 0);
    lo = Math.min(lo, a[i] - r);
    hi = Math.max(hi, a[i] + r);
  }
  // eigenvalues below x: negative pivots of the LDL^T factorisation of T - x I
  const below = (x: number) => {
    let count = 0;
    let dPrev = 1;
    for (let i = 0; i < m; i++) {
      let di = a[i] - x - (i > 0 ? (b[i - 1] * b[i - 1]) / dPrev : 0);
      if (di === 0) di = -1e-300;
      if (di < 0) count++;
      dPrev = di;
    }
    return count;
  };
  for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(Math.abs(lo), Math.abs(hi)); it++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (below(mid) === m) hi = mid;
    else lo = mid;
  }
  return lo;
}
