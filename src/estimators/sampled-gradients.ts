import type { Model } from '../models/model.js';
import { certifyingGradients, type Domain } from '../lipschitz/domain.js';
import type { LipEstimate } from '../lipschitz/estimate.js';
import { certifyTop, referenceSearch, type GradientSearch } from './gradient-search.js';

/**
 * max_i ||grad f(x_i)|| over the rows of P (data points, or fresh draws from the data distribution):
 * each gradient norm is a valid lower bound on Lip(f) over a domain containing P where f is
 * differentiable (for models with kinks, the caller refines the best point with a secant).
 * Returns the best point as the witness, and all norms (for statistics). With the domain `D` given, only
 * the part of each gradient that certifies over D counts (the tangential part on a sphere). With an f32
 * `search`, the norms are the search's and the reported value is the f64 norm of the best of the top
 * candidates (certifyTop).
 */
export function sampledGradients(model: Model, P: Float64Array, m: number, domain: string, method: string, D?: Domain, search: GradientSearch = referenceSearch(model)): { best: LipEstimate; norms: Float64Array } {
  const d = model.d;
  const G = D === undefined ? search.gradient(P, m) : certifyingGradients(D, P, search.gradient(P, m), m, d);
  const norms = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += G[i * d + t] ** 2;
    norms[i] = Math.sqrt(s);
  }
  const { index: bi, norm: value, evaluations } = certifyTop(model, D, P, norms, m, search);
  return {
    best: { kind: 'lower', value, witness: { type: 'point', x: Array.from(P.subarray(bi * d, bi * d + d)), gradNorm: value }, domain, evaluations: m + evaluations, method },
    norms,
  };
}
