/**
 * Positive semidefiniteness of an interval matrix proven for the checker's matrix inequalities (docs/science.md
 * section 11): first by a floating-point Cholesky factorisation of the midpoint shifted down by c, with every
 * rounding and the radius covered by c (fast, and not loosened by interval growth); where that fails, by a
 * Cholesky factorisation in interval arithmetic, whose pivot certainly below 0 refutes the inequality.
 * @module
 */
import { div, mul, sqrt, sub, sum, up, type Interval } from './interval.js';

const U = 2 ** -53;

/**
 * M >= 0 for every matrix in the interval matrix M (lower triangle given) by a shifted floating-point Cholesky:
 * if the factorisation of H = fl(mid M - c I) completes with positive pivots, its computed factor R satisfies
 * R^T R = H + E with |E| <= gamma_{n+1} |R^T| |R| (Higham, Accuracy and Stability of Numerical Algorithms, 2nd
 * ed., Theorem 10.3), so lambda_min(H) >= -gamma_{n+1} ||R||_F^2; then lambda_min(M') >= c - gamma_{n+1}
 * ||R||_F^2 - u max|H_ii| / (1 - u) - max_i sum_j rad M_ij for every M' in M. True where that is > 0.
 */
function shiftedCholesky(M: readonly (readonly Interval[])[]): boolean {
  const n = M.length;
  const at = (i: number, j: number) => (j <= i ? M[i][j] : M[j][i]);
  const mid = (v: Interval) => v.lo + (v.hi - v.lo) / 2;
  let radius = 0;
  let trace = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) {
      const v = at(i, j);
      if (!Number.isFinite(v.lo) || !Number.isFinite(v.hi)) return false;
      const m = mid(v);
      row = up(row + up(Math.max(up(v.hi - m), up(m - v.lo))));
    }
    radius = Math.max(radius, row);
    trace = up(trace + Math.abs(mid(at(i, i))));
  }
  const gamma = up(((n + 1) * U) / (1 - (n + 1) * U));
  // the shift: the radius and a first guess of the factorisation's rounding, checked after it
  const c = up(radius + up(4 * gamma * trace) + 2 ** -1000);
  const R: Float64Array[] = [];
  let frob = 0;
  let maxH = 0;
  for (let i = 0; i < n; i++) {
    R.push(new Float64Array(i + 1));
    for (let j = 0; j <= i; j++) {
      let s = i === j ? mid(at(i, i)) - c : mid(at(i, j));
      if (i === j) maxH = Math.max(maxH, Math.abs(s));
      for (let e = 0; e < j; e++) s -= R[i][e] * R[j][e];
      if (i === j) {
        if (!(s > 2 ** -900)) return false;
        R[i][i] = Math.sqrt(s);
      } else R[i][j] = s / R[j][j];
      frob += R[i][j] * R[i][j];
    }
  }
  // ||R||_F^2 summed in f64: raised by its own rounding (n^2 terms)
  const frobUp = up(frob * (1 + up((n * n + 2) * U * 2)));
  const needed = up(up(up(gamma * frobUp) + up((U * maxH) / (1 - U)) * 2) + radius);
  // strictly: M' > 0, so every principal submatrix is positive definite too
  return c > needed;
}

/**
 * M >= 0 (lower triangle given): proven by {@link shiftedCholesky}, else by a Cholesky factorisation in
 * intervals (every pivot certainly positive); refuted where an interval pivot is certainly negative; else
 * undecided (a reason).
 */
export function cholesky(M: readonly (readonly Interval[])[]): true | string | { refuted: string } {
  if (shiftedCholesky(M)) return true;
  const L: Interval[][] = [];
  for (let a = 0; a < M.length; a++) {
    L.push([]);
    for (let b = 0; b <= a; b++) {
      const dot = sum(Array.from({ length: b }, (_, e) => mul(L[a][e], L[b][e])));
      const v = sub(M[a][b], dot);
      if (a === b) {
        const why = `pivot ${a + 1} of the matrix inequality is not certainly positive (${v.lo})`;
        if (!(v.lo > 0)) return v.hi < 0 ? { refuted: why } : why;
        L[a].push(sqrt(v));
      } else L[a].push(div(v, L[b][b]));
    }
  }
  return true;
}
