import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { requireInt } from './validate.js';

/** Largest seed accepted anywhere: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffffffff;

/**
 * A seeded pseudo-random stream (xoroshiro128+ from pure-rand). Same seed, same numbers, on every
 * platform: the draws use only integer arithmetic and IEEE-754 operations that are correctly rounded.
 * Normals use the Marsaglia polar method (no transcendental except log and sqrt, both correctly
 * rounded in V8), caching the second variate.
 */
export class Rng {
  readonly seed: number;
  private readonly gen: RandomGenerator;
  private spare = 0;
  private hasSpare = false;

  /** @param seed integer in [0, 2^32 - 1] */
  constructor(seed: number) {
    this.seed = requireInt('Rng', 'seed', seed, 0, MAX_SEED);
    this.gen = xoroshiro128plus(seed | 0);
  }

  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform in the open interval (0, 1). */
  uniformOpen(): number {
    let u = 0;
    while (u === 0) u = uniformFloat64(this.gen);
    return u;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return uniformInt(this.gen, lo, hi);
  }

  /** Standard normal N(0, 1) (Marsaglia polar method). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * uniformFloat64(this.gen) - 1;
      v = 2 * uniformFloat64(this.gen) - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }

  /** Fills `out` with N(0, scale^2) draws and returns it. */
  fillNormal(out: Float64Array, scale = 1): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = scale * this.normal();
    return out;
  }

  /** Fills `out` with uniform draws on [lo, hi) and returns it. */
  fillUniform(out: Float64Array, lo = 0, hi = 1): Float64Array {
    const w = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + w * uniformFloat64(this.gen);
    return out;
  }

  /** +1 or -1 with probability 1/2 each. */
  sign(): number {
    return (this.gen.next() & 1) === 0 ? 1 : -1;
  }
}
