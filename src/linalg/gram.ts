import { matmulAAtUpper, transpose } from './matmul.js';
import { exponentOf, ldexp } from './pow2.js';

/**
 * Gram matrix G = A A^T of a row-major m x p matrix A (G is m x m, symmetric, row-major): the upper
 * triangle on the WebAssembly SIMD kernel ({@link matmulAAtUpper}: the entries of the full product, at
 * half its cost), mirrored so that G is exactly symmetric.
 */
export function gram(A: Float64Array, m: number, p: number): Float64Array {
  const G = matmulAAtUpper(A, m, p);
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) G[i * m + j] = G[j * m + i];
  return G;
}

/**
 * A^T A of a row-major m x p matrix A (p x p, symmetric): the Gram matrix of A's columns, on the blocked
 * WebAssembly kernel of {@link gram} after one transpose (the row-by-row plain-JS accumulation it replaces
 * ran at about 1 GFLOP/s for m = 50,000, p = 1,000).
 */
export function gramTranspose(A: Float64Array, m: number, p: number): Float64Array {
  return gram(transpose(A, m, p), p, m);
}

/** y = A x for row-major m x p A. */
export function matVec(A: Float64Array, m: number, p: number, x: Float64Array): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const o = i * p;
    for (let t = 0; t < p; t++) s += A[o + t] * x[t];
    y[i] = s;
  }
  return y;
}

/** y = A^T x for row-major m x p A. */
export function matTVec(A: Float64Array, m: number, p: number, x: Float64Array): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < m; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const o = i * p;
    for (let t = 0; t < p; t++) y[t] += A[o + t] * xi;
  }
  return y;
}

/**
 * Euclidean norm, scale-safe (docs/science.md section 3, "Scale safety"): the plain sum of squares where
 * it lies in [2^-900, 2^900] (there an entry whose square underflows changes the sum by less than
 * 2^-174 relative, and nothing overflowed), else the entries scaled by the exact power of two 2^-E that
 * puts the largest in [1, 2), summed, and scaled back. So ||2^j x|| = 2^j ||x|| whenever both are
 * normal, 1e-170 is never squared to 0 and 1e170 never to Infinity; relative rounding below (n + 2) u
 * in both branches. NaN entries give NaN; an infinite entry gives Infinity.
 */
export function norm2(x: ArrayLike<number>): number {
  let s = 0;
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    s += a * a;
    if (a > m) m = a;
  }
  if (s >= SAFE_LOW && s <= SAFE_HIGH) return Math.sqrt(s);
  if (Number.isNaN(s)) return Number.NaN;
  if (m === 0 || m === Number.POSITIVE_INFINITY) return m;
  const E = exponentOf(m);
  let t = 0;
  for (let i = 0; i < x.length; i++) {
    const a = ldexp(x[i], -E);
    t += a * a;
  }
  return ldexp(Math.sqrt(t), E);
}

const SAFE_LOW = 2 ** -900;
const SAFE_HIGH = 2 ** 900;
