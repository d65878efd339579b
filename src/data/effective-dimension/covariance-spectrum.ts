import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { requireDataMatrix } from './data-matrix.js';

/**
 * The eigenvalues lambda_1 >= ... >= lambda_m >= 0 of the sample covariance C = (1/n) sum_i (x_i - xbar)(x_i - xbar)^T
 * of an n x d data set (row-major), m = min(n, d) (docs/science.md section 6, "Effective dimension of a data
 * set"). When n < d it diagonalises the n x n Gram matrix of the centred rows, (1/n) X_c X_c^T, which has
 * the same non-zero eigenvalues. Eigenvalues come from ml-matrix's symmetric (tridiagonal QL) solver;
 * the rounding's small negative values are set to 0.
 */
export function covarianceSpectrum(X: Float64Array, n: number, d: number): Float64Array {
  requireDataMatrix('covarianceSpectrum', X, n, d, 2);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X[i * d + j] / n;
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = X[i * d + j] - mean[j];
  const m = Math.min(n, d);
  const S = new Matrix(m, m);
  if (d <= n) {
    // C[a][b] = (1/n) sum_i xc_ia xc_ib
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += Xc[i * d + a] * Xc[i * d + b];
        S.set(a, b, s / n);
        S.set(b, a, s / n);
      }
    }
  } else {
    for (let a = 0; a < n; a++) {
      for (let b = a; b < n; b++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += Xc[a * d + j] * Xc[b * d + j];
        S.set(a, b, s / n);
        S.set(b, a, s / n);
      }
    }
  }
  const values = new EigenvalueDecomposition(S, { assumeSymmetric: true }).realEigenvalues;
  return Float64Array.from(values, (v) => Math.max(0, v)).sort().reverse();
}
