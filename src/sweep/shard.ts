import { InputError } from '../core/input-error.js';

/** A shard i of N (1-based), as given by `--shard i/N`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The largest shard count N accepted (`--shard i/N`, `--shard env`). */
export const MAX_SHARD_COUNT = 100_000;

/** The whole grid as one shard. */
export const WHOLE: Shard = { index: 1, count: 1 };

/** Parses `i/N` with 1 <= i <= N (the convention of vitest's and Playwright's --shard). */
export function parseShard(raw: string, name = 'shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!m) throw new InputError(name, 'of the form i/N, e.g. 2/3', raw, { context: 'parseShard' });
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && count <= MAX_SHARD_COUNT)) throw new InputError(name, `i/N with N an integer in [1, ${MAX_SHARD_COUNT}]`, raw, { context: 'parseShard' });
  if (!(index >= 1 && index <= count)) throw new InputError(name, `i/N with i an integer in [1, ${count}]`, raw, { context: 'parseShard' });
  return { index, count };
}

/**
 * Whether grid point `gridIndex` belongs to `shard`: round-robin (gridIndex mod N = i - 1), so that
 * every shard gets a similar mix of small and large instances. Deterministic; the shards partition the grid.
 */
export function inShard(gridIndex: number, shard: Shard): boolean {
  return gridIndex % shard.count === shard.index - 1;
}
