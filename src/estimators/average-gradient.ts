import type { Model } from '../models/model.js';
import type { LipEstimate } from '../lipschitz/estimate.js';

/**
 * The average gradient norm E_mu ||grad f(x)|| by Monte Carlo over m draws P from the data distribution,
 * with its standard error. Labelled `statistic`: it is NOT a Lipschitz bound, and exists to show that the
 * law fails for averages (docs/science.md section 5.4: narrow bumps have E||grad f|| -> 0 while Lip = 1/r).
 */
export function averageGradientNorm(model: Model, P: Float64Array, m: number, domain: string): LipEstimate {
  const d = model.d;
  const G = model.gradient(P, m);
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < m; i++) {
    let v = 0;
    for (let t = 0; t < d; t++) v += G[i * d + t] ** 2;
    v = Math.sqrt(v);
    s += v;
    s2 += v * v;
  }
  const mean = s / m;
  const stderr = m > 1 ? Math.sqrt(Math.max(0, s2 / m - mean * mean) / (m - 1)) : Number.NaN;
  return { kind: 'statistic', value: mean, witness: { type: 'sample', samples: m, stderr }, domain, evaluations: m, method: 'average-gradient-norm' };
}
