import { InvalidArgumentError } from 'commander';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parses a CLI number strictly ("6e4", "0.5"; not "", "1,000", "0x10", "abc"); range checks come later. */
export function parseNumber(raw: string): number {
  const s = raw.trim();
  if (!NUMBER.test(s)) throw new InvalidArgumentError(`must be a finite number (got ${JSON.stringify(raw)})`);
  const v = Number(s);
  if (!Number.isFinite(v)) throw new InvalidArgumentError(`must be a finite number (got ${JSON.stringify(raw)})`);
  return v;
}

/** Parses a comma-separated list of numbers. */
export function parseNumberList(raw: string): number[] {
  return raw.split(',').map((part) => parseNumber(part));
}

/** Parses a comma-separated list of names. */
export function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A bad-input error raised by the CLI layer (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}
