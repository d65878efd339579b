/**
 * Argument validation shared by every public function. Each checker throws an {@link InputError} before
 * any work starts, naming the input (`name`), the rule and the value, with `fn` as the context:
 * `fn: name must be <rule> (got <value>)`.
 * @module
 */
import { InputError, show } from './input-error.js';

export { InputError, show };

function requireNumber(fn: string, name: string, value: unknown, range: string): number {
  if (typeof value !== 'number') throw new InputError(name, `a number ${range}`, value, { context: fn });
  if (!Number.isFinite(value)) throw new InputError(name, `a finite number ${range}`, value, { context: fn });
  return value;
}

/** Requires an integer in [min, max] (max defaults to Number.MAX_SAFE_INTEGER). */
export function requireInt(fn: string, name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
  const v = requireNumber(fn, name, value, range);
  if (!Number.isInteger(v) || v < min || v > max) throw new InputError(name, `an integer ${range}`, v, { context: fn });
  return v;
}

/** Requires a finite number in the open interval (lo, hi). */
export function requireOpen(fn: string, name: string, value: unknown, lo: number, hi: number): number {
  const range = `in (${lo}, ${hi})`;
  const v = requireNumber(fn, name, value, range);
  if (!(v > lo && v < hi)) throw new InputError(name, range, v, { context: fn });
  return v;
}

/** Requires a finite number in the closed interval [lo, hi]. */
export function requireClosed(fn: string, name: string, value: unknown, lo: number, hi: number): number {
  const range = `in [${lo}, ${hi}]`;
  const v = requireNumber(fn, name, value, range);
  if (!(v >= lo && v <= hi)) throw new InputError(name, range, v, { context: fn });
  return v;
}

/** Requires a finite number > 0. */
export function requirePositive(fn: string, name: string, value: unknown): number {
  const v = requireNumber(fn, name, value, '> 0');
  if (!(v > 0)) throw new InputError(name, 'a finite number > 0', v, { context: fn });
  return v;
}

/** Requires a finite number >= 0 (and not -0). */
export function requireNonNegative(fn: string, name: string, value: unknown): number {
  const v = requireNumber(fn, name, value, '>= 0');
  if (!(v >= 0)) throw new InputError(name, 'a finite number >= 0', v, { context: fn });
  return v + 0; // folds -0 to +0
}

/** Requires one of a fixed set of strings. */
export function requireOneOf<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InputError(name, `one of ${allowed.join(', ')}`, value, { context: fn });
  }
  return value as T;
}

/** Requires a Float64Array of the given length whose entries are all finite. */
export function requireFiniteArray(fn: string, name: string, value: unknown, length: number): Float64Array {
  if (!(value instanceof Float64Array)) throw new InputError(name, 'a Float64Array', value, { context: fn });
  if (value.length !== length) throw new InputError(name, `a Float64Array of length ${length}`, value, { context: fn, shown: `length ${value.length}` });
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i])) throw new InputError(`${name}[${i}]`, 'finite', value[i], { context: fn });
  }
  return value;
}
