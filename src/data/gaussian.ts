import type { Rng } from '../core/rng.js';
import { requireInt } from '../core/validate.js';
import type { Distribution } from './distribution.js';

/**
 * N(0, I_d / d): E||x||^2 = 1 and c = 1 (Gaussian concentration, docs/science.md section 1: an L-Lipschitz f
 * of x = g / sqrt(d), g ~ N(0, I_d), is (L / sqrt d)-Lipschitz in g, so
 * P(|f - Ef| >= t) <= 2 exp(-d t^2 / (2 L^2))).
 * @param d ambient dimension, integer >= 1
 */
export function gaussian(d: number): Distribution {
  requireInt('gaussian', 'd', d, 1);
  const scale = 1 / Math.sqrt(d);
  return {
    name: 'gaussian',
    d,
    isoperimetry: { c: 1, kind: 'exact', source: 'Gaussian concentration (docs/science.md section 1)' },
    components: 1,
    intrinsicDim: d,
    assumptionsHold: true,
    notes: [],
    params: {},
    sample(n: number, rng: Rng): Float64Array {
      requireInt('gaussian.sample', 'n', n, 1);
      return rng.fillNormal(new Float64Array(n * d), scale);
    },
  };
}
