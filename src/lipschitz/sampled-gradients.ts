import type { Model } from '../models/model.js';
import { certifyingGradients, type Domain } from './domain.js';
import type { LipEstimate } from './estimate.js';

/**
 * max_i ||grad f(x_i)|| over the rows of P (data points, or fresh draws from the data distribution):
 * each gradient norm is a valid lower bound on Lip(f) over a domain containing P where f is
 * differentiable (for models with kinks, the caller refines the best point with a secant).
 * Returns the best point as the witness, and all norms (for statistics). With the domain `D` given, only
 * the part of each gradient that certifies over D counts (the tangential part on a sphere).
 */
export function sampledGradients(model: Model, P: Float64Array, m: number, domain: string, method: string, D?: Domain): { best: LipEstimate; norms: Float64Array } {
  const d = model.d;
  const G = D === undefined ? model.gradient(P, m) : certifyingGradients(D, P, model.gradient(P, m), m, d);
  const norms = new Float64Array(m);
  let bi = 0;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += G[i * d + t] ** 2;
    norms[i] = Math.sqrt(s);
    if (norms[i] > norms[bi]) bi = i;
  }
  const value = m > 0 ? norms[bi] : 0;
  return {
    best: { kind: 'lower', value, witness: { type: 'point', x: Array.from(P.subarray(bi * d, bi * d + d)), gradNorm: value }, domain, evaluations: m, method },
    norms,
  };
}
