import type { Rng } from '../core/rng.js';
import { requireInt, requirePositive } from '../core/validate.js';
import type { Distribution } from './distribution.js';
import { drawSpherePoint } from './sphere.js';

/** Options of {@link mixture}. */
export interface MixtureOptions {
  /** Number of components k, integer >= 1. */
  readonly k: number;
  /** Within-cluster scale s: each component is N(centre, s^2 I_d / d). Default 0.5. */
  readonly scale?: number;
}

/**
 * Equal-weight mixture of k Gaussian clusters N(m_l, s^2 I_d / d) with centres m_l uniform on the unit
 * sphere (drawn once from `structure`, so they belong to the distribution, not to the sample). Each
 * component is c-isoperimetric with c = s^2 (Gaussian concentration, as for {@link gaussian}).
 * Theorem 3 applies while 8^4 k ln(8k/delta) <= n eps^2 (checked by the bound).
 * @param d ambient dimension, integer >= 1
 * @param options k and scale
 * @param structure stream the centres are drawn from
 */
export function mixture(d: number, options: MixtureOptions, structure: Rng): Distribution {
  requireInt('mixture', 'd', d, 1);
  const k = requireInt('mixture', 'k', options.k, 1);
  const scale = requirePositive('mixture', 'scale', options.scale ?? 0.5);
  return clusterDistribution('mixture', d, k, scale, structure, true, []);
}

/** Shared body of {@link mixture} and `clusters`: k Gaussian clusters with centres on the sphere. */
export function clusterDistribution(
  name: 'mixture' | 'clusters',
  d: number,
  k: number,
  scale: number,
  structure: Rng,
  assumptionsHold: boolean,
  notes: string[],
): Distribution {
  const centres = new Float64Array(k * d);
  for (let l = 0; l < k; l++) drawSpherePoint(structure, centres, l * d, d);
  const sd = scale / Math.sqrt(d);
  return {
    name,
    d,
    isoperimetry: { c: scale * scale, kind: 'exact', source: 'Gaussian concentration of each N(m_l, s^2 I/d) component' },
    components: k,
    intrinsicDim: d,
    assumptionsHold,
    notes,
    params: { k, scale },
    centres,
    sample(n: number, rng: Rng): Float64Array {
      requireInt(`${name}.sample`, 'n', n, 1);
      const X = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        const l = rng.int(0, k - 1);
        for (let j = 0; j < d; j++) X[i * d + j] = centres[l * d + j] + sd * rng.normal();
      }
      return X;
    },
  };
}

