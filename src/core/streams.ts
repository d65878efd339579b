import { MAX_SEED, Rng } from './rng.js';
import { InputError, requireInt } from './validate.js';

/**
 * The named sub-streams every run draws from. Each is seeded from (seed, name) by a hash, so that
 * changing how many draws one component makes never shifts another component's draws.
 * - `structure`: fixed random objects of the problem (subspace basis, cluster centres, teacher direction);
 * - `data`: covariates; `noise`: labels; `init`: model initialisation and random features;
 * - `estimator`: starting points of Lipschitz estimators.
 */
export const STREAM_NAMES = ['structure', 'data', 'noise', 'init', 'estimator'] as const;
/** A name of one of the standard sub-streams. */
export type StreamName = (typeof STREAM_NAMES)[number];

/** MurmurHash3's 32-bit finaliser: a bijective avalanche mix of a 32-bit integer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Derives the seed of sub-stream `name` from a master seed: fmix32(fmix32(seed) ^ fnv1a(name)).
 * @param seed integer in [0, 2^32 - 1]
 * @param name any non-empty string (the standard names are {@link STREAM_NAMES}; others are allowed,
 *   e.g. `estimator/start-3`)
 */
export function deriveSeed(seed: number, name: string): number {
  requireInt('deriveSeed', 'seed', seed, 0, MAX_SEED);
  if (typeof name !== 'string' || name.length === 0) throw new InputError('name', 'a non-empty string', name, { context: 'deriveSeed' });
  return fmix32(fmix32(seed) ^ fnv1a(name));
}

/** Independent named random streams derived from one master seed. */
export class Streams {
  readonly seed: number;
  /** @param seed master seed, integer in [0, 2^32 - 1] */
  constructor(seed: number) {
    this.seed = requireInt('Streams', 'seed', seed, 0, MAX_SEED);
  }
  /** A fresh generator for sub-stream `name`, one of {@link STREAM_NAMES} or any other non-empty name
   * (a new one, from its start, on every call). */
  stream(name: string): Rng {
    return new Rng(deriveSeed(this.seed, name));
  }
}
