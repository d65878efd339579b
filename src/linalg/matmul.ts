import { wasmAbtBlocks } from './wasm-abt.js';

/**
 * C = A B^T for row-major A (m x d) and B (k x d): C is m x k, in f64. The 2 x 4 blocks of C run in the
 * WebAssembly SIMD kernel (src/linalg/wasm/abt-f64x2.wat: f64x2 lanes along d, about 6x the plain-JS
 * kernel here); the last odd row and the last k mod 4 columns, and everything when WebAssembly SIMD is
 * unavailable or ROBUSTLAW_NO_WASM=1, run in {@link matmulABtJs}. Deterministic either way (IEEE f64, no
 * fused multiply-add); the two paths sum in different orders, so they agree to rounding, not bit for bit.
 */
export function matmulABt(A: Float64Array, m: number, d: number, B: Float64Array, k: number): Float64Array {
  return product(A, m, d, B, k, false);
}

/**
 * The upper triangle (j >= i) of A A^T for row-major A (m x d), bit-identical to those entries of
 * {@link matmulABt}(A, m, d, A, m), at about half its cost on the WebAssembly kernel; the entries below
 * the diagonal are unspecified (the caller mirrors them: {@link gram}).
 */
export function matmulAAtUpper(A: Float64Array, m: number, d: number): Float64Array {
  return product(A, m, d, A, m, true);
}

function product(A: Float64Array, m: number, d: number, B: Float64Array, k: number, upper: boolean): Float64Array {
  const C = new Float64Array(m * k);
  if (!wasmAbtBlocks(A, m, d, B, k, C, upper)) return matmulABtJs(A, m, d, B, k);
  const m2 = m & ~1;
  const k4 = k & ~3;
  for (let i = 0; i < m; i++) {
    const a = i * d;
    for (let j = i < m2 ? k4 : upper ? i : 0; j < k; j++) {
      const b = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) s += A[a + t] * B[b + t];
      C[i * k + j] = s;
    }
  }
  return C;
}

/**
 * The plain-JS f64 kernel of {@link matmulABt} (the fallback, and the reference its tests compare with):
 * dot products of contiguous rows in 4 x 4 register blocks (16 accumulators, 8 loads per 16
 * multiply-adds), which keeps four rows of each operand in cache.
 */
export function matmulABtJs(A: Float64Array, m: number, d: number, B: Float64Array, k: number): Float64Array {
  const C = new Float64Array(m * k);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = i * d;
    const a1 = a0 + d;
    const a2 = a1 + d;
    const a3 = a2 + d;
    let j = 0;
    for (; j + 3 < k; j += 4) {
      const b0 = j * d;
      const b1 = b0 + d;
      const b2 = b1 + d;
      const b3 = b2 + d;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let t = 0; t < d; t++) {
        const x0 = A[a0 + t], x1 = A[a1 + t], x2 = A[a2 + t], x3 = A[a3 + t];
        const y0 = B[b0 + t], y1 = B[b1 + t], y2 = B[b2 + t], y3 = B[b3 + t];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const r0 = i * k + j, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
      C[r0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
      C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
      C[r2] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
      C[r3] = c30; C[r3 + 1] = c31; C[r3 + 2] = c32; C[r3 + 3] = c33;
    }
    for (; j < k; j++) {
      const b = j * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let t = 0; t < d; t++) {
        const y = B[b + t];
        s0 += A[a0 + t] * y; s1 += A[a1 + t] * y; s2 += A[a2 + t] * y; s3 += A[a3 + t] * y;
      }
      C[i * k + j] = s0; C[(i + 1) * k + j] = s1; C[(i + 2) * k + j] = s2; C[(i + 3) * k + j] = s3;
    }
  }
  for (; i < m; i++) {
    const a = i * d;
    for (let j = 0; j < k; j++) {
      const b = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) s += A[a + t] * B[b + t];
      C[i * k + j] = s;
    }
  }
  return C;
}

/** Transpose of a row-major r x c matrix (c x r). */
export function transpose(M: Float64Array, r: number, c: number): Float64Array {
  const T = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) T[j * r + i] = M[i * c + j];
  return T;
}

/** C = A B for row-major A (m x k) and B (k x d): C is m x d (B is transposed once, then {@link matmulABt}). */
export function matmulAB(A: Float64Array, m: number, k: number, B: Float64Array, d: number): Float64Array {
  return matmulABt(A, m, k, transpose(B, k, d), d);
}
