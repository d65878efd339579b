/**
 * Exact certificates that a system of strict homogeneous linear inequalities r_i . y > 0 (integer rows
 * r_i) has no solution (docs/science.md section 10.2). By Gordan's theorem it has none iff some
 * lambda >= 0, lambda != 0, has sum_i lambda_i r_i = 0. Given a candidate support S (the rows a
 * floating-point LP put weight on), {@link gordanCertificate} finds the null space of the rows in S by
 * fraction-free Gaussian elimination over the integers (BigInt, no rounding) and returns an integer lambda
 * on S when the null space is one-dimensional and its generator has one sign, checked by recomputing
 * sum_i lambda_i r_i = 0 exactly. Anything else (a larger null space, mixed signs) returns null: no
 * certificate, never a wrong one.
 */
export function gordanCertificate(rows: readonly (readonly bigint[])[], support: readonly number[]): bigint[] | null {
  const S = support.length;
  if (S === 0) return null;
  const n = rows[support[0]].length;
  // M = [r_s]^T: n equations in S unknowns lambda_s
  const M: bigint[][] = Array.from({ length: n }, (_, c) => support.map((s) => rows[s][c]));
  const pivots: number[] = []; // pivot column of each echelon row
  let r = 0;
  for (let c = 0; c < S && r < n; c++) {
    let p = -1;
    for (let i = r; i < n; i++) if (M[i][c] !== 0n) { p = i; break; }
    if (p < 0) continue;
    [M[r], M[p]] = [M[p], M[r]];
    for (let i = r + 1; i < n; i++) {
      if (M[i][c] === 0n) continue;
      const a = M[r][c];
      const b = M[i][c];
      const row = M[i].map((v, j) => a * v - b * M[r][j]);
      M[i] = reduceRow(row);
    }
    M[r] = reduceRow(M[r]);
    pivots.push(c);
    r++;
  }
  if (pivots.length !== S - 1) return null; // the null space is not one-dimensional
  const free = [...Array(S).keys()].find((c) => !pivots.includes(c))!;
  const lambda: bigint[] = new Array<bigint>(S).fill(0n);
  lambda[free] = 1n;
  for (let k = pivots.length - 1; k >= 0; k--) {
    const c = pivots[k];
    let s = 0n;
    for (let j = c + 1; j < S; j++) s += M[k][j] * lambda[j];
    const piv = M[k][c];
    // lambda_c = -s / piv: scale the entries set so far by piv to stay in the integers
    for (let j = c + 1; j < S; j++) lambda[j] *= piv;
    lambda[c] = -s;
  }
  const sign = lambda.some((v) => v > 0n) ? 1n : -1n;
  const out = lambda.map((v) => v * sign);
  if (out.some((v) => v < 0n) || out.every((v) => v === 0n)) return null;
  // the check that makes it a certificate: sum_s lambda_s r_s = 0 exactly
  for (let c = 0; c < n; c++) {
    let t = 0n;
    for (let k = 0; k < S; k++) t += out[k] * rows[support[k]][c];
    if (t !== 0n) return null;
  }
  return out;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Divides a row by the gcd of its entries (keeps the elimination's integers small). */
function reduceRow(row: bigint[]): bigint[] {
  let g = 0n;
  for (const v of row) if (v !== 0n) g = g === 0n ? (v < 0n ? -v : v) : gcd(g, v);
  return g > 1n ? row.map((v) => v / g) : row;
}
