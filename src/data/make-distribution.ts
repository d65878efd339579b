import type { Streams } from '../core/streams.js';
import type { Rng } from '../core/rng.js';
import { inOptionGroup } from '../core/input-error.js';
import { requireOneOf } from '../core/validate.js';
import { clusters } from './clusters.js';
import { DISTRIBUTION_NAMES, type Distribution, type DistributionName } from './distribution.js';
import { gaussian } from './gaussian.js';
import { hypercube } from './hypercube.js';
import { mixture } from './mixture.js';
import { sphere } from './sphere.js';
import { subspace } from './subspace.js';

/** Options for {@link makeDistribution}: the union of every distribution's own options. */
export interface DistributionOptions {
  /** Components for `mixture` (default 4) and `clusters` (default 100). */
  readonly k?: number;
  /** Within-cluster scale for `mixture` (0.5) and `clusters` (0.01). */
  readonly scale?: number;
  /** Intrinsic dimension for `subspace` (default min(10, d)). */
  readonly m?: number;
}

/**
 * Builds a distribution by name; any random structure (centres, subspace) comes from the `structure`
 * sub-stream of `streams`, so it is fixed by the seed and independent of the data draws.
 */
export function makeDistribution(name: DistributionName, d: number, options: DistributionOptions, streams: Streams): Distribution {
  requireOneOf('makeDistribution', 'dist', name, DISTRIBUTION_NAMES);
  const structure = streams.stream('structure/dist');
  // an error about a key of `options` names it as distOptions.<key> (the CLI's --components, --m, --scale)
  return inOptionGroup('distOptions', options, () => build(name, d, options, structure));
}

function build(name: DistributionName, d: number, options: DistributionOptions, structure: Rng): Distribution {
  switch (name) {
    case 'gaussian':
      return gaussian(d);
    case 'sphere':
      return sphere(d);
    case 'hypercube':
      return hypercube(d);
    case 'mixture':
      return mixture(d, { k: options.k ?? 4, scale: options.scale }, structure);
    case 'subspace':
      return subspace(d, { m: options.m }, structure);
    case 'clusters':
      return clusters(d, { k: options.k, scale: options.scale }, structure);
  }
}
