import type { Model } from '../models/model.js';
import type { LipEstimate } from './estimate.js';
import { secant } from './secant.js';

/**
 * The data floor (docs/science.md section 3): max_{i != j} |f(x_i) - f(x_j)| / ||x_i - x_j|| over the fitted
 * values at the data points. A valid lower bound for f over any domain containing the data; for an exact
 * interpolant it equals the McShane bound max |y_i - y_j| / ||x_i - x_j||, the smallest Lipschitz constant
 * of ANY interpolant. O(n^2 d), in row blocks of 64 with the distances computed directly (no
 * ||a||^2 + ||b||^2 - 2 a.b cancellation); the winning pair is re-evaluated as the witness.
 */
export function dataFloor(model: Model, X: Float64Array, n: number, domain: string, values?: Float64Array): LipEstimate {
  const d = model.d;
  const f = values ?? model.predict(X, n);
  let best = -1;
  let bi = 0;
  let bj = 1;
  const B = 64;
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    for (let j0 = i0; j0 < n; j0 += B) {
      const j1 = Math.min(n, j0 + B);
      for (let i = i0; i < i1; i++) {
        const oi = i * d;
        for (let j = Math.max(j0, i + 1); j < j1; j++) {
          const df = Math.abs(f[i] - f[j]);
          if (df <= best * 1e-300) continue;
          const oj = j * d;
          let s = 0;
          for (let t = 0; t < d; t++) {
            const v = X[oi + t] - X[oj + t];
            s += v * v;
          }
          if (s === 0) continue;
          const sec = df / Math.sqrt(s);
          if (sec > best) {
            best = sec;
            bi = i;
            bj = j;
          }
        }
      }
    }
  }
  if (n < 2 || best < 0) {
    return { kind: 'lower', value: 0, witness: { type: 'certificate', formula: 'fewer than two distinct points', terms: { n } }, domain, evaluations: n, method: 'data-floor' };
  }
  const w = secant(model, X.slice(bi * d, bi * d + d), X.slice(bj * d, bj * d + d), domain, 'data-floor');
  return { ...w, evaluations: n + 2 };
}
