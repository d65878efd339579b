import type { Rng } from '../core/rng.js';
import { requireInt } from '../core/validate.js';
import { randomOrthonormal } from '../linalg/orthonormal.js';
import type { Distribution } from './distribution.js';
import { drawSpherePoint } from './sphere.js';

/** Options of {@link subspace}. */
export interface SubspaceOptions {
  /** Intrinsic dimension m, integer in [2, d]. Default min(10, d). */
  readonly m?: number;
}

/**
 * Low intrinsic dimension (docs/science.md section 5.2): x = U z with z uniform on S^{m-1} and U a fixed random
 * d x m orthonormal map (drawn from `structure`). Since z is (m/(m-1))-isoperimetric in dimension m, x is
 * c-isoperimetric in the ambient d with c = (d / m) (m / (m - 1)) = d / (m - 1): Theorem 3 still holds
 * with that c, but the ambient-d, c = 1 law does not.
 * @param d ambient dimension, integer >= 2
 */
export function subspace(d: number, options: SubspaceOptions, structure: Rng): Distribution {
  requireInt('subspace', 'd', d, 2);
  const m = requireInt('subspace', 'm', options.m ?? Math.min(10, d), 2, d);
  const basis = randomOrthonormal(d, m, structure);
  const holds = m === d;
  return {
    name: 'subspace',
    d,
    isoperimetry: { c: d / (m - 1), kind: 'exact', source: 'sphere S^{m-1} log-Sobolev constant rescaled to ambient d' },
    components: 1,
    intrinsicDim: m,
    assumptionsHold: holds,
    notes: holds ? [] : [`intrinsic dimension m = ${m} << d = ${d}: isoperimetric only with c = d/(m-1) = ${(d / (m - 1)).toPrecision(4)}, not O(1)`],
    params: { m },
    basis,
    sample(n: number, rng: Rng): Float64Array {
      requireInt('subspace.sample', 'n', n, 1);
      const X = new Float64Array(n * d);
      const z = new Float64Array(m);
      for (let i = 0; i < n; i++) {
        drawSpherePoint(rng, z, 0, m);
        for (let r = 0; r < d; r++) {
          let s = 0;
          for (let c = 0; c < m; c++) s += basis[r * m + c] * z[c];
          X[i * d + r] = s;
        }
      }
      return X;
    },
  };
}
