import { InvalidArgumentError } from 'commander';
import { truncate } from '../core/input-error.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parses a CLI number strictly ("6e4", "0.5"; not "", "1,000", "0x10", "abc", "1e400"); range checks come
 * later (main adds the flag's range, from its description, to this message). */
export function parseNumber(raw: string): number {
  const s = raw.trim();
  if (!NUMBER.test(s)) throw new InvalidArgumentError(`must be a decimal number such as 3, 0.5 or 6e4 (got ${JSON.stringify(truncate(raw))})`);
  const v = Number(s);
  if (!Number.isFinite(v)) throw new InvalidArgumentError(`must be a finite number; ${JSON.stringify(truncate(raw))} is beyond the largest double (1.8e308)`);
  return v;
}

/** Parses a comma-separated list of numbers. */
export function parseNumberList(raw: string): number[] {
  return raw.split(',').map((part) => parseNumber(part));
}

/** Parses a comma-separated list of names. */
export function parseList(raw: string): string[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.length === 0) throw new InvalidArgumentError(`must list at least one name, comma-separated (got ${JSON.stringify(truncate(raw))})`);
  return list;
}

/** Caps on the effort flags (the sweep spec's own caps for the estimator): a run stays within its size limits. */
export const MAX_STARTS = 10_000;
export const MAX_STEPS = 100_000;
export const MAX_ROUNDS = 20;
/** lip --fresh: fresh draws from the data law. */
export const MAX_FRESH = 1_000_000;
/** bench --iterations and search --budget (the two-layer --max-iter: TWO_LAYER_MAX_ITER, src/models/two-layer.ts). */
export const MAX_BENCH_ITERATIONS = 1000;
export const MAX_SEARCH_BUDGET = 100_000;

/** A bad-input error raised by the CLI layer (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}
