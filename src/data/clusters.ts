import type { Rng } from '../core/rng.js';
import { requireInt, requirePositive } from '../core/validate.js';
import type { Distribution } from './distribution.js';
import { clusterDistribution } from './mixture.js';

/** Options of {@link clusters}. */
export interface ClustersOptions {
  /** Number of clusters k (meant to be close to n), integer >= 1. Default 100. */
  readonly k?: number;
  /** Within-cluster scale s (tight): N(m_l, s^2 I/d). Default 0.01. */
  readonly scale?: number;
}

/**
 * Too many mixture components (docs/science.md section 5.3): k tight clusters at fixed random points of the
 * sphere, with k close to n. Each cluster is isoperimetric (c = s^2), but Theorem 3's condition
 * 8^4 k ln(8k / delta) <= n eps^2 fails for any n near k, so the law need not hold.
 * @param d ambient dimension, integer >= 1
 */
export function clusters(d: number, options: ClustersOptions, structure: Rng): Distribution {
  requireInt('clusters', 'd', d, 1);
  const k = requireInt('clusters', 'k', options.k ?? 100, 1);
  const scale = requirePositive('clusters', 'scale', options.scale ?? 0.01);
  return clusterDistribution('clusters', d, k, scale, structure, false, [
    `k = ${k} components: Theorem 3 needs n >= 8^4 k ln(8k/delta) / eps^2 (> ${Math.round(4096 * k * Math.log(8 * k / 0.01))} at eps = 1, delta = 0.01)`,
  ]);
}
