/**
 * C = A B^T for row-major A (m x d) and B (k x d): C is m x k. Dot products of contiguous rows, four
 * B rows at a time (the f64 reference path; see src/backends for the fast ones).
 */
export function matmulABt(A: Float64Array, m: number, d: number, B: Float64Array, k: number): Float64Array {
  const C = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    const ai = i * d;
    const ci = i * k;
    let j = 0;
    for (; j + 3 < k; j += 4) {
      const b0 = j * d;
      const b1 = b0 + d;
      const b2 = b1 + d;
      const b3 = b2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < d; t++) {
        const a = A[ai + t];
        s0 += a * B[b0 + t];
        s1 += a * B[b1 + t];
        s2 += a * B[b2 + t];
        s3 += a * B[b3 + t];
      }
      C[ci + j] = s0;
      C[ci + j + 1] = s1;
      C[ci + j + 2] = s2;
      C[ci + j + 3] = s3;
    }
    for (; j < k; j++) {
      const b = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) s += A[ai + t] * B[b + t];
      C[ci + j] = s;
    }
  }
  return C;
}

/** C = A B for row-major A (m x k) and B (k x d): C is m x d (row-axpy order, cache friendly). */
export function matmulAB(A: Float64Array, m: number, k: number, B: Float64Array, d: number): Float64Array {
  const C = new Float64Array(m * d);
  for (let i = 0; i < m; i++) {
    const ci = i * d;
    for (let j = 0; j < k; j++) {
      const a = A[i * k + j];
      if (a === 0) continue;
      const bj = j * d;
      for (let t = 0; t < d; t++) C[ci + t] += a * B[bj + t];
    }
  }
  return C;
}
