/**
 * Positive semidefiniteness proven by a Cholesky factorisation in interval arithmetic, for the checker's
 * matrix inequalities (docs/science.md section 11).
 * @module
 */
import { div, mul, sqrt, sub, sum, type Interval } from './interval.js';

/**
 * M >= 0 (lower triangle given) by a Cholesky factorisation in intervals: every pivot certainly positive
 * proves it; a pivot certainly <= 0 refutes it; else undecided (a reason).
 */
export function cholesky(M: readonly (readonly Interval[])[]): true | string | { refuted: string } {
  const L: Interval[][] = [];
  for (let a = 0; a < M.length; a++) {
    L.push([]);
    for (let b = 0; b <= a; b++) {
      const dot = sum(Array.from({ length: b }, (_, e) => mul(L[a][e], L[b][e])));
      const v = sub(M[a][b], dot);
      if (a === b) {
        const why = `pivot ${a + 1} of the matrix inequality is not certainly positive (${v.lo})`;
        if (!(v.lo > 0)) return v.hi <= 0 ? { refuted: why } : why;
        L[a].push(sqrt(v));
      } else L[a].push(div(v, L[b][b]));
    }
  }
  return true;
}
