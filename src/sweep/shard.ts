/** A shard i of N (1-based), as given by `--shard i/N`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The whole grid as one shard. */
export const WHOLE: Shard = { index: 1, count: 1 };

/** Parses `i/N` with 1 <= i <= N (the convention of vitest's and Playwright's --shard). */
export function parseShard(raw: string, name = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!m) throw new RangeError(`${name} must look like i/N, e.g. 2/3 (got ${JSON.stringify(raw)})`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && count <= 100_000)) throw new RangeError(`${name}: N must be an integer in [1, 100000] (got ${count})`);
  if (!(index >= 1 && index <= count)) throw new RangeError(`${name}: i must be an integer in [1, ${count}] (got ${index})`);
  return { index, count };
}

/**
 * Whether grid point `gridIndex` belongs to `shard`: round-robin (gridIndex mod N = i - 1), so that
 * every shard gets a similar mix of small and large instances. Deterministic; the shards partition the grid.
 */
export function inShard(gridIndex: number, shard: Shard): boolean {
  return gridIndex % shard.count === shard.index - 1;
}
