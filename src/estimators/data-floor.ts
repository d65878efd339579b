import { bestSecantPair } from '../linalg/pairwise-secant.js';
import type { Model } from '../models/model.js';
import type { LipEstimate } from '../lipschitz/estimate.js';
import { secant } from './secant.js';

/**
 * The data floor (docs/science.md section 3): max_{i != j} |f(x_i) - f(x_j)| / ||x_i - x_j|| over the fitted
 * values at the data points. A valid lower bound for f over any domain containing the data; for an exact
 * interpolant it equals the McShane bound max |y_i - y_j| / ||x_i - x_j||, the smallest Lipschitz constant
 * of ANY interpolant. O(n^2 d) in {@link bestSecantPair} (the loop the cpu backends share: row blocks, the
 * distances computed directly, no ||a||^2 + ||b||^2 - 2 a.b cancellation); the winning pair is re-evaluated
 * as the witness.
 */
export function dataFloor(model: Model, X: Float64Array, n: number, domain: string, values?: Float64Array): LipEstimate {
  const d = model.d;
  const f = values ?? model.predict(X, n);
  const pair = bestSecantPair(X, f, n, d);
  if (pair === null) {
    return { kind: 'lower', value: 0, witness: { type: 'certificate', formula: 'fewer than two distinct points', terms: { n } }, domain, evaluations: n, method: 'data-floor' };
  }
  const w = secant(model, X.slice(pair.i * d, pair.i * d + d), X.slice(pair.j * d, pair.j * d + d), domain, 'data-floor');
  return { ...w, evaluations: n + 2 };
}
