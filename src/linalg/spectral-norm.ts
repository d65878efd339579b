import type { Rng } from '../core/rng.js';
import { gram, gramTranspose } from './gram.js';
import { exponentOf, ldexp, nextUp } from './pow2.js';

/** Result of {@link spectralNorm}. */
export interface SpectralNorm {
  /**
   * Certified upper bound on ||M||_op: (tr (A^m))^{1/(2m)} with A = S^T S (or S S^T) for S = 2^-E M
   * scaled so that its largest entry lies in [1, 2), rounded outward and scaled back by 2^E. Exactly
   * 2^E-equivariant: upper(2^j M) = 2^j upper(M) whenever both are normal numbers. +Infinity when
   * `available` is false.
   */
  readonly upper: number;
  /**
   * False when no finite certificate exists in f64: M has a NaN or infinite entry, or the bound exceeds
   * Number.MAX_VALUE. `upper` is then +Infinity (vacuous, never too low); callers must report the
   * certificate as unavailable, not as a number.
   */
  readonly available: boolean;
  /**
   * A cheap estimate from below (not certified: a Rayleigh quotient, exact arithmetic would make it a
   * lower bound): sqrt(v^T A v / v^T v) for the column v of the last trace power A^m with the largest
   * diagonal entry (power iteration with m = 2^squarings steps, done by the squarings already). NaN when
   * not `available` because of a non-finite entry.
   */
  readonly estimate: number;
}

/** Relative slack added to the trace-power bound for the rounding of the Gram powers (see below). */
const SLACK = 1e-9;

/**
 * Spectral norm of a row-major rows x cols matrix M, NOT the Frobenius norm (docs/science.md section 3).
 * Upper bound: for PSD A with eigenvalues l_1 >= l_2 >= ..., l_1^m <= tr(A^m) <= r l_1^m, so
 * (tr A^m)^{1/(2m)} bounds sqrt(l_1) = ||M||_op from above within a factor r^{1/(2m)} (r = rank); we
 * square A ten times (m = 1024: within 0.3% for r <= 400), renormalising by the trace at each step,
 * and keep the smallest of the s + 1 bounds (s = 0 is the Frobenius norm).
 *
 * Scale safety: M is first scaled by a power of two 2^-E (exact, except entries below 2^-1074 relative
 * to the largest, whose rounding is far inside the slack) so that its largest entry lies in [1, 2).
 * Then the Gram entries are below 4 cols, tr A >= 1, and every renormalised trace lies in [1/r^2, 1]:
 * nothing overflows or underflows, whatever the magnitude of M. The rounding of the first Gram matrix,
 * at most gamma_inner ||S||_F^2 in spectral norm, is added to the eigenvalue bounded; the bound is then
 * multiplied by (1 + 1e-9) for the squarings (relative errors of order r eps, which the 1/(2m)-th root
 * shrinks far below 1e-9) and scaled back by 2^E; a subnormal result that the
 * scaling rounded down is moved up one ulp. The same scaled matrix is computed for M and 2^j M, so the
 * bound is exactly equivariant. Cost: one Gram matrix and `squarings` products of min(rows, cols)^2
 * matrices; no power iteration (`rng` is only advanced, see below).
 */
export function spectralNorm(M: Float64Array, rows: number, cols: number, rng?: Rng, squarings = 10): SpectralNorm {
  if (rows === 0 || cols === 0) return { upper: 0, available: true, estimate: 0 };
  let maxAbs = 0;
  for (let i = 0; i < rows * cols; i++) {
    const a = Math.abs(M[i]);
    if (!(a <= Number.MAX_VALUE)) return { upper: Number.POSITIVE_INFINITY, available: false, estimate: Number.NaN };
    if (a > maxAbs) maxAbs = a;
  }
  if (maxAbs === 0) return { upper: 0, available: true, estimate: 0 };
  const E = exponentOf(maxAbs);
  const S = new Float64Array(rows * cols);
  for (let i = 0; i < S.length; i++) S[i] = ldexp(M[i], -E);

  const small = Math.min(rows, cols);
  let A = rows <= cols ? gram(S, rows, cols) : gramTranspose(S, rows, cols);
  // Rounding of the Gram products themselves: each entry is a dot product of length `inner`, so the
  // computed Gram differs from the exact one by at most gamma_inner |S| |S|^T entrywise (any summation
  // order), whose spectral norm is at most gamma_inner ||S||_F^2. The certificate adds it to the
  // eigenvalue it bounds (significant only for long products, e.g. 1e-9 relative at inner = 50,000).
  const inner = Math.max(rows, cols);
  const u = 2 ** -53;
  let fro2 = 0;
  for (let i = 0; i < S.length; i++) fro2 += S[i] * S[i];
  const gramError = ((inner * u) / (1 - inner * u)) * fro2 * (1 + S.length * u * 2);
  const A0 = A.slice();
  let logScale = 0; // A0^m = exp(logScale) * A
  let m = 1;
  let rho = Number.POSITIVE_INFINITY;
  for (let s = 0; s <= squarings; s++) {
    let tr = 0;
    for (let i = 0; i < small; i++) tr += A[i * small + i];
    // cannot happen for finite scaled input (tr >= 1 at s = 0, >= 1/r^2 after), but never certify 0
    if (!(tr > 0 && tr < Number.POSITIVE_INFINITY)) return { upper: Number.POSITIVE_INFINITY, available: false, estimate: Number.NaN };
    rho = Math.min(rho, Math.exp((Math.log(tr) + logScale) / (2 * m)));
    if (s === squarings) break;
    for (let i = 0; i < A.length; i++) A[i] /= tr;
    logScale += Math.log(tr);
    A = gram(A, small, small); // A symmetric: A A^T = A^2
    logScale *= 2;
    m *= 2;
  }
  // Stream compatibility: earlier versions drew the start of a power iteration (cols normals) here;
  // the draws are kept, unused, so that whoever shares `rng` downstream (the estimators' stream) and so
  // every record stays as it was. Pass no rng to skip them.
  if (rng !== undefined) for (let i = 0; i < cols; i++) rng.normal();
  const upper = scaleBackUp(Math.sqrt(rho * rho + gramError) * (1 + SLACK), E);
  if (upper === Number.POSITIVE_INFINITY) return { upper, available: false, estimate: ldexp(rayleigh(A, A0, small), E) };
  return { upper, available: true, estimate: ldexp(rayleigh(A, A0, small), E) };
}

/** x 2^E rounded up (x > 0): exact unless the result is subnormal, then at most one ulp above. */
function scaleBackUp(x: number, E: number): number {
  const u = ldexp(x, E);
  if (u === Number.POSITIVE_INFINITY || u === 0) return u === 0 ? Number.MIN_VALUE : u;
  return ldexp(u, -E) < x ? nextUp(u) : u;
}

/** sqrt(v^T A0 v / v^T v) for v the column of Am with the largest diagonal entry (Am, A0 symmetric n x n). */
function rayleigh(Am: Float64Array, A0: Float64Array, n: number): number {
  let j = 0;
  for (let i = 1; i < n; i++) if (Am[i * n + i] > Am[j * n + j]) j = i;
  let vv = 0;
  let vAv = 0;
  for (let i = 0; i < n; i++) {
    const vi = Am[i * n + j];
    if (vi === 0) continue;
    vv += vi * vi;
    let s = 0;
    for (let t = 0; t < n; t++) s += A0[i * n + t] * Am[t * n + j];
    vAv += vi * s;
  }
  return vv > 0 ? Math.sqrt(Math.max(vAv, 0) / vv) : 0;
}
