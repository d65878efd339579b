/**
 * Gram matrix G = A A^T of a row-major m x p matrix A (G is m x m, symmetric, row-major). Computes the
 * upper triangle in 4 x 1 row blocks over contiguous rows and mirrors it.
 */
export function gram(A: Float64Array, m: number, p: number): Float64Array {
  const G = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const ai = i * p;
    let j = i;
    for (; j + 3 < m; j += 4) {
      const b0 = j * p;
      const b1 = b0 + p;
      const b2 = b1 + p;
      const b3 = b2 + p;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < p; t++) {
        const a = A[ai + t];
        s0 += a * A[b0 + t];
        s1 += a * A[b1 + t];
        s2 += a * A[b2 + t];
        s3 += a * A[b3 + t];
      }
      G[i * m + j] = s0;
      G[i * m + j + 1] = s1;
      G[i * m + j + 2] = s2;
      G[i * m + j + 3] = s3;
    }
    for (; j < m; j++) {
      const b = j * p;
      let s = 0;
      for (let t = 0; t < p; t++) s += A[ai + t] * A[b + t];
      G[i * m + j] = s;
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) G[i * m + j] = G[j * m + i];
  return G;
}

/** A^T A of a row-major m x p matrix A (p x p), accumulated row by row (cache friendly for m >> p). */
export function gramTranspose(A: Float64Array, m: number, p: number): Float64Array {
  const G = new Float64Array(p * p);
  for (let r = 0; r < m; r++) {
    const o = r * p;
    for (let i = 0; i < p; i++) {
      const a = A[o + i];
      if (a === 0) continue;
      const gi = i * p;
      for (let j = i; j < p; j++) G[gi + j] += a * A[o + j];
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) G[i * p + j] = G[j * p + i];
  return G;
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

/** Euclidean norm. */
export function norm2(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}
