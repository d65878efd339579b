import type { Rng } from '../core/rng.js';
import { requireInt } from '../core/validate.js';
import type { Distribution } from './distribution.js';

/**
 * Uniform on the centred cube [-s/2, s/2]^d with side s = 1 / sqrt(d), so that its diameter is 1.
 * c = 1 / (2 pi) (derived, not sharp): the cube is the image of N(0, I_d) under x_j = s (Phi(g_j) - 1/2),
 * a map with Lipschitz constant s / sqrt(2 pi); Gaussian concentration of the composite then gives
 * P(|f - Ef| >= t) <= 2 exp(-t^2 2 pi d / (2 L^2)), i.e. Definition 1.1 with c = 1 / (2 pi).
 * @param d ambient dimension, integer >= 1
 */
export function hypercube(d: number): Distribution {
  requireInt('hypercube', 'd', d, 1);
  const side = 1 / Math.sqrt(d);
  return {
    name: 'hypercube',
    d,
    isoperimetry: { c: 1 / (2 * Math.PI), kind: 'derived', source: 'Gaussian-CDF pushforward of N(0, I_d) (derived, see hypercube.ts)' },
    components: 1,
    intrinsicDim: d,
    assumptionsHold: true,
    notes: [],
    params: { side },
    sample(n: number, rng: Rng): Float64Array {
      requireInt('hypercube.sample', 'n', n, 1);
      return rng.fillUniform(new Float64Array(n * d), -side / 2, side / 2);
    },
  };
}
