/**
 * Argument validation shared by every public function. Each checker throws before any work starts,
 * with a message of the form `fn: name must be <range> (got <value>)`.
 * @module
 */

/** Formats a value for an error message: keeps -0, NaN and Infinity visible. */
export function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? `array(${value.length})` : 'object';
  return String(value);
}

function requireNumber(fn: string, name: string, value: unknown, range: string): number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number ${range} (got ${show(value)})`);
  if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be a finite number ${range} (got ${show(value)})`);
  return value;
}

/** Requires an integer in [min, max] (max defaults to Number.MAX_SAFE_INTEGER). */
export function requireInt(fn: string, name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
  const v = requireNumber(fn, name, value, range);
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${fn}: ${name} must be an integer ${range} (got ${show(v)})`);
  return v;
}

/** Requires a finite number in the open interval (lo, hi). */
export function requireOpen(fn: string, name: string, value: unknown, lo: number, hi: number): number {
  const range = `in (${lo}, ${hi})`;
  const v = requireNumber(fn, name, value, range);
  if (!(v > lo && v < hi)) throw new RangeError(`${fn}: ${name} must be ${range} (got ${show(v)})`);
  return v;
}

/** Requires a finite number in the closed interval [lo, hi]. */
export function requireClosed(fn: string, name: string, value: unknown, lo: number, hi: number): number {
  const range = `in [${lo}, ${hi}]`;
  const v = requireNumber(fn, name, value, range);
  if (!(v >= lo && v <= hi)) throw new RangeError(`${fn}: ${name} must be ${range} (got ${show(v)})`);
  return v;
}

/** Requires a finite number > 0. */
export function requirePositive(fn: string, name: string, value: unknown): number {
  const v = requireNumber(fn, name, value, '> 0');
  if (!(v > 0)) throw new RangeError(`${fn}: ${name} must be a finite number > 0 (got ${show(v)})`);
  return v;
}

/** Requires a finite number >= 0 (and not -0). */
export function requireNonNegative(fn: string, name: string, value: unknown): number {
  const v = requireNumber(fn, name, value, '>= 0');
  if (!(v >= 0)) throw new RangeError(`${fn}: ${name} must be a finite number >= 0 (got ${show(v)})`);
  return v + 0; // folds -0 to +0
}

/** Requires one of a fixed set of strings. */
export function requireOneOf<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`${fn}: ${name} must be one of ${allowed.join(', ')} (got ${show(value)})`);
  }
  return value as T;
}

/** Requires a Float64Array of the given length whose entries are all finite. */
export function requireFiniteArray(fn: string, name: string, value: unknown, length: number): Float64Array {
  if (!(value instanceof Float64Array)) throw new TypeError(`${fn}: ${name} must be a Float64Array (got ${show(value)})`);
  if (value.length !== length) throw new RangeError(`${fn}: ${name} must have length ${length} (got ${value.length})`);
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i])) throw new RangeError(`${fn}: ${name}[${i}] must be finite (got ${show(value[i])})`);
  }
  return value;
}
