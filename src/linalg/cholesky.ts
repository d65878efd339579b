/**
 * In-place Cholesky factorisation of a symmetric positive definite n x n matrix (row-major): on success
 * the lower triangle holds L with A = L L^T and the function returns true; it returns false (leaving A
 * partly overwritten) when a pivot is not positive or not finite.
 */
function choleskyInPlace(A: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = A[rj + j];
    for (let t = 0; t < j; t++) s -= A[rj + t] * A[rj + t];
    if (!(s > 0) || !Number.isFinite(s)) return false;
    const ljj = Math.sqrt(s);
    A[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let v = A[ri + j];
      for (let t = 0; t < j; t++) v -= A[ri + t] * A[rj + t];
      A[ri + j] = v / ljj;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) A[i * n + j] = 0;
  return true;
}

/** Solves L y = b by forward substitution (L lower triangular, row-major n x n). */
export function forwardSubstitute(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const ri = i * n;
    for (let t = 0; t < i; t++) s -= L[ri + t] * y[t];
    y[i] = s / L[ri + i];
  }
  return y;
}

/** Solves L^T x = y by back substitution (L lower triangular, row-major n x n; its columns are read). */
export function backSubstitute(L: Float64Array, n: number, y: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(y);
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let t = i + 1; t < n; t++) s -= L[t * n + i] * x[t];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/**
 * Solves L L^T x = b given the Cholesky factor L (lower triangle of a row-major n x n array):
 * {@link forwardSubstitute} then {@link backSubstitute}. `LT`, the factor's transpose (from
 * {@link transposedFactor}), makes the backward substitution read rows instead of columns of L: the same
 * operations in the same order (bit-identical results), several times faster at n in the hundreds, worth it
 * when one factor solves many right-hand sides.
 */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array, LT?: Float64Array): Float64Array {
  const x = forwardSubstitute(L, n, b);
  if (LT === undefined) return backSubstitute(L, n, x);
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    const ri = i * n;
    for (let t = i + 1; t < n; t++) s -= LT[ri + t] * x[t];
    x[i] = s / LT[ri + i];
  }
  return x;
}

/**
 * Lower Cholesky factor of a symmetric positive definite n x n matrix (only its lower triangle is read), as
 * a new array, or null when a pivot is not positive and finite (no jitter: the LipSDP solvers use it to test
 * whether S is positive definite).
 */
export function choleskyFactor(A: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j];
    for (let t = 0; t < j; t++) s -= L[j * n + t] ** 2;
    if (!(s > 0) || !Number.isFinite(s)) return null;
    const ljj = Math.sqrt(s);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let v = A[i * n + j];
      for (let t = 0; t < j; t++) v -= L[i * n + t] * L[j * n + t];
      L[i * n + j] = v / ljj;
    }
  }
  return L;
}

/** The transpose of a Cholesky factor (row-major n x n), for {@link choleskySolve}'s row-wise backward pass. */
export function transposedFactor(L: Float64Array, n: number): Float64Array {
  const LT = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let t = 0; t <= i; t++) LT[t * n + i] = L[i * n + t];
  return LT;
}

/** Result of {@link choleskyWithJitter}. */
export interface JitteredCholesky {
  /** The factor of A + jitter I. */
  readonly L: Float64Array;
  /** The diagonal shift that was needed (0 when A factorised as is). */
  readonly jitter: number;
}

/**
 * Cholesky of A + tau I with tau escalating from 0 through 1e-14, 1e-13, ... times the mean diagonal,
 * up to `maxRelJitter` (default 1e-6). Throws a RangeError (never a silent NaN) if even that fails.
 */
export function choleskyWithJitter(A: Float64Array, n: number, maxRelJitter = 1e-6): JitteredCholesky {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += A[i * n + i];
  const scale = trace / n;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`choleskyWithJitter: matrix diagonal must be positive and finite (mean ${scale})`);
  for (let rel = 0; rel <= maxRelJitter; rel = rel === 0 ? 1e-14 : rel * 10) {
    const tau = rel * scale;
    const L = Float64Array.from(A);
    if (tau > 0) for (let i = 0; i < n; i++) L[i * n + i] += tau;
    if (choleskyInPlace(L, n)) return { L, jitter: tau };
  }
  throw new RangeError(`choleskyWithJitter: matrix is not positive definite even with jitter ${maxRelJitter} x mean diagonal`);
}
