import type { Rng } from '../core/rng.js';
import { requireInt } from '../core/validate.js';

/**
 * A uniformly random d x m matrix with orthonormal columns (m <= d), row-major: Gaussian columns
 * orthonormalised by modified Gram-Schmidt, with a second pass for numerical orthogonality.
 */
export function randomOrthonormal(d: number, m: number, rng: Rng): Float64Array {
  requireInt('randomOrthonormal', 'd', d, 1);
  requireInt('randomOrthonormal', 'm', m, 1, d);
  const U = new Float64Array(d * m);
  const col = new Float64Array(d);
  for (let c = 0; c < m; c++) {
    let norm = 0;
    while (norm < 1e-8) {
      rng.fillNormal(col);
      for (let pass = 0; pass < 2; pass++) {
        for (let q = 0; q < c; q++) {
          let dot = 0;
          for (let i = 0; i < d; i++) dot += U[i * m + q] * col[i];
          for (let i = 0; i < d; i++) col[i] -= dot * U[i * m + q];
        }
      }
      norm = 0;
      for (let i = 0; i < d; i++) norm += col[i] * col[i];
      norm = Math.sqrt(norm);
    }
    for (let i = 0; i < d; i++) U[i * m + c] = col[i] / norm;
  }
  return U;
}
