import type { Rng } from '../core/rng.js';
import { requireInt } from '../core/validate.js';
import type { Distribution } from './distribution.js';

/**
 * Fills `out[offset .. offset + d)` with a uniform point on the unit sphere S^{d-1} (a normalised
 * Gaussian vector, redrawn in the measure-zero case of a zero vector), scaled by `radius`.
 */
export function drawSpherePoint(rng: Rng, out: Float64Array, offset: number, d: number, radius = 1): void {
  let s = 0;
  while (s === 0) {
    s = 0;
    for (let j = 0; j < d; j++) {
      const g = rng.normal();
      out[offset + j] = g;
      s += g * g;
    }
  }
  const inv = radius / Math.sqrt(s);
  for (let j = 0; j < d; j++) out[offset + j] *= inv;
}

/**
 * Uniform on the unit sphere S^{d-1}: ||x|| = 1, c = d / (d - 1) (the sphere's log-Sobolev constant,
 * docs/science.md section 1).
 * @param d ambient dimension, integer >= 2
 */
export function sphere(d: number): Distribution {
  requireInt('sphere', 'd', d, 2);
  return {
    name: 'sphere',
    d,
    isoperimetry: { c: d / (d - 1), kind: 'exact', source: 'log-Sobolev constant of S^{d-1} (docs/science.md section 1)' },
    components: 1,
    intrinsicDim: d - 1,
    assumptionsHold: true,
    notes: [],
    params: {},
    sample(n: number, rng: Rng): Float64Array {
      requireInt('sphere.sample', 'n', n, 1);
      const X = new Float64Array(n * d);
      for (let i = 0; i < n; i++) drawSpherePoint(rng, X, i * d, d);
      return X;
    },
  };
}
