import { gamma, UNIT_ROUNDOFF } from '../certificate.js';

export { gamma };

/** What {@link verifyDiagMinusGram} found. */
export interface PsdCheck {
  /** True when diag(c) - Z^T Z is certainly positive semidefinite for every Z within the stated error of Z~. */
  readonly psd: boolean;
  /** The shift the Cholesky factorisation was run with (the margin that covers every rounding, see below). */
  readonly margin: number;
  /** The first pivot that was not positive (-1 when the factorisation went through, or when it was not tried). */
  readonly failedPivot: number;
}

/**
 * Certifies in f64 that A = diag(c) - Z^T Z is positive semidefinite (docs/science.md section 9.3), where
 * Z is any rows x cols matrix with ||Z - Z~||_F <= zErrF (Z~ row-major is what was computed, zErrF bounds
 * the rounding of its entries) and c (length cols) is exact.
 *
 * Method: form A~ = fl(diag(c) - fl(Z~^T Z~)) and run a plain Cholesky factorisation of A~ - margin I. If it
 * goes through, A is PSD, because, with N = cols, gamma_k = k u / (1 - k u), u = 2^-53:
 * - forming A~: ||A - A~||_2 <= ||A - A~||_F <= e_form := gamma_rows ||Z~||_F^2 (the products, Higham 3.5:
 *   |fl(Z~^T Z~) - Z~^T Z~| <= gamma_rows |Z~|^T |Z~|, whose 2-norm is at most || |Z~| ||_F^2), plus
 *   2 ||Z~||_F zErrF + zErrF^2 (Z~^T Z~ against Z^T Z), plus u max |A~_ii| (the diagonal subtraction);
 * - the shift: H = fl(A~ - margin I) differs from A~ - margin I by at most u (max |A~_ii| + margin) on the diagonal;
 * - Cholesky (Higham, Theorem 10.3): a factorisation of H that runs to completion gives R^T R = H + dH with
 *   |dH| <= gamma_{N+1} |R|^T |R|, so ||dH||_2 <= ||R||_F^2 <= gamma_{N+1} / (1 - gamma_{N+1}) tr(H), and
 *   H >= -dH, i.e. lambda_min(H) >= -g tr(H) with g = gamma_{N+1} / (1 - gamma_{N+1}), tr(H) <= tr(A~).
 * Hence lambda_min(A) >= margin (1 - u) - e_form - u max |A~_ii| - g tr(A~) > 0 when
 *   margin = (e_form + 2 u max |A~_ii| + g tr+(A~) + tiny) (1 + 1e-6) / (1 - u),
 * with tr+ the sum of the positive diagonal entries, the factor 1 + 1e-6 covering the rounding of this
 * formula itself and `tiny` = (N + 2)^2 2^-1000 an absolute term for gradual underflow (the inputs are
 * scaled so that their largest entries are near 1, so it is far below every other term).
 */
export function verifyDiagMinusGram(c: Float64Array, Z: Float64Array, rows: number, cols: number, zErrF: number): PsdCheck {
  const N = cols;
  const u = UNIT_ROUNDOFF;
  let fro2 = 0;
  for (let i = 0; i < Z.length; i++) {
    if (!Number.isFinite(Z[i])) return { psd: false, margin: Number.NaN, failedPivot: -1 };
    fro2 += Z[i] * Z[i];
  }
  if (!Number.isFinite(zErrF) || !c.every((v) => Number.isFinite(v))) return { psd: false, margin: Number.NaN, failedPivot: -1 };
  fro2 *= 1 + (Z.length + 2) * u * 1.01; // the sum of squares rounded up
  const froZ = Math.sqrt(fro2) * (1 + 2 * u);
  // A~ = diag(c) - Z~^T Z~ (row-major N x N, symmetric; only the lower triangle is used below)
  const A = new Float64Array(N * N);
  for (let r = 0; r < rows; r++) {
    const zr = r * cols;
    for (let i = 0; i < N; i++) {
      const zi = Z[zr + i];
      if (zi === 0) continue;
      const ai = i * N;
      for (let j = 0; j <= i; j++) A[ai + j] += zi * Z[zr + j];
    }
  }
  let maxDiag = 0;
  let tracePos = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < i; j++) A[i * N + j] = -A[i * N + j];
    const v = c[i] - A[i * N + i];
    A[i * N + i] = v;
    maxDiag = Math.max(maxDiag, Math.abs(v));
    if (v > 0) tracePos += v;
  }
  const eForm = gamma(rows + 1) * fro2 + 2 * froZ * zErrF + zErrF * zErrF;
  const g = gamma(N + 1) / (1 - gamma(N + 1));
  const tiny = (N + 2) ** 2 * 2 ** -1000;
  const margin = ((eForm + 2 * u * maxDiag + g * tracePos + tiny) * (1 + 1e-6)) / (1 - u);
  if (!Number.isFinite(margin)) return { psd: false, margin, failedPivot: -1 };
  for (let i = 0; i < N; i++) A[i * N + i] -= margin;
  const failedPivot = choleskyLowerInPlace(A, N);
  return { psd: failedPivot < 0, margin, failedPivot };
}

/**
 * Cholesky of the lower triangle of a symmetric N x N row-major matrix, in place; returns -1 on success or
 * the index of the first pivot that is not positive and finite. The plain algorithm Higham's Theorem 10.3
 * analyses (no pivoting, no jitter).
 */
function choleskyLowerInPlace(A: Float64Array, N: number): number {
  for (let j = 0; j < N; j++) {
    const rj = j * N;
    let s = A[rj + j];
    for (let t = 0; t < j; t++) s -= A[rj + t] * A[rj + t];
    if (!(s > 0) || !Number.isFinite(s)) return j;
    const ljj = Math.sqrt(s);
    A[rj + j] = ljj;
    for (let i = j + 1; i < N; i++) {
      const ri = i * N;
      let v = A[ri + j];
      for (let t = 0; t < j; t++) v -= A[ri + t] * A[rj + t];
      A[ri + j] = v / ljj;
    }
  }
  return -1;
}
