import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Eigenvalues (descending) and eigenvectors (columns of a row-major n x n array) of a symmetric matrix, by
 * ml-matrix's Householder tridiagonalisation and QL iteration. A non-finite matrix (on which the iteration runs
 * off its arrays) or a failed decomposition gives NaN eigenvalues: callers treat them as no decomposition.
 */
export function symmetricEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  if (!A.every(Number.isFinite)) return { values: new Float64Array(n).fill(Number.NaN), vectors: new Float64Array(n * n) };
  let evd: EigenvalueDecomposition;
  try {
    evd = new EigenvalueDecomposition(Matrix.from1DArray(n, n, A), { assumeSymmetric: true });
  } catch {
    return { values: new Float64Array(n).fill(Number.NaN), vectors: new Float64Array(n * n) };
  }
  const vals = evd.realEigenvalues;
  const order = vals.map((_, i) => i).sort((a, b) => vals[b] - vals[a]);
  const V = evd.eigenvectorMatrix;
  const values = Float64Array.from(order, (i) => vals[i]);
  const vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) vectors[r * n + c] = V.get(r, order[c]);
  return { values, vectors };
}
