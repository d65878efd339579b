/**
 * Exact powers of two and binary scaling of f64 values (the scale-safe certificates of spectral-norm.ts
 * scale by 2^k, which is exact in floating point unless the result leaves the normal range).
 */

const view = new DataView(new ArrayBuffer(8));

/** 2^e exactly, for integer e in [-1074, 1023] (built from its bits, not by Math.pow). */
export function pow2(e: number): number {
  if (!Number.isInteger(e) || e < -1074 || e > 1023) throw new RangeError(`pow2: exponent must be an integer in [-1074, 1023] (got ${e})`);
  if (e >= -1022) {
    view.setUint32(0, (e + 1023) << 20);
    view.setUint32(4, 0);
  } else {
    // subnormal: mantissa bit (e + 1074) of 52
    const bit = e + 1074;
    view.setUint32(0, bit >= 32 ? 1 << (bit - 32) : 0);
    view.setUint32(4, bit < 32 ? 2 ** bit : 0);
  }
  return view.getFloat64(0);
}

/**
 * x 2^e, with e an integer. Scaling up goes in steps of at most 2^1023 (exact while the result is
 * finite); scaling down first applies the part of e above -1022, then 2^-1022, so that for |x| >= 2^-52
 * and e >= -2044 the only rounding is the last multiplication (where the result may be subnormal).
 */
export function ldexp(x: number, e: number): number {
  while (e > 1023) {
    x *= pow2(1023);
    e -= 1023;
  }
  while (e < -1022) {
    const step = Math.max(e + 1022, -1022);
    x *= pow2(step);
    e -= step;
  }
  return x * pow2(e);
}

/** The exponent e with 2^e <= x < 2^(e+1), for finite x > 0 (subnormals included: e >= -1074). */
export function exponentOf(x: number): number {
  if (!(x > 0 && x <= Number.MAX_VALUE)) throw new RangeError(`exponentOf: x must be finite and positive (got ${x})`);
  view.setFloat64(0, x);
  const biased = (view.getUint32(0) >>> 20) & 0x7ff;
  if (biased > 0) return biased - 1023;
  // subnormal: position of the highest set mantissa bit
  const hi = view.getUint32(0) & 0xfffff;
  const lo = view.getUint32(4);
  return hi !== 0 ? -1074 + 32 + (31 - Math.clz32(hi)) : -1074 + (31 - Math.clz32(lo));
}

/** The next f64 above x, for finite x >= 0. */
export function nextUp(x: number): number {
  if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) throw new RangeError(`nextUp: x must be finite and non-negative (got ${x})`);
  if (x === 0) return Number.MIN_VALUE;
  view.setFloat64(0, x);
  const lo = view.getUint32(4);
  if (lo === 0xffffffff) {
    view.setUint32(4, 0);
    view.setUint32(0, view.getUint32(0) + 1);
  } else view.setUint32(4, lo + 1);
  return view.getFloat64(0);
}

/** A finite double as an exact integer multiple of 2^-1074 (every finite double is one): x = exactScaled(x) 2^-1074. */
export function exactScaled(x: number): bigint {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const e = (hi >>> 20) & 0x7ff;
  const m = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  const mag = e === 0 ? m : (m | (1n << 52n)) << BigInt(e - 1);
  return hi >>> 31 ? -mag : mag;
}

/**
 * An upper bound on the exact product of non-negative doubles that neither underflows nor overflows on the
 * way (docs/science.md section 3, "Scale safety"): each factor is split as m 2^e with m in [1, 2), the
 * mantissas multiplied (renormalised after every step, each product rounding by at most u relative), the
 * result raised by 2 (n + 1) u to cover those roundings and scaled back by 2^(sum e); a result that lands in
 * the subnormal range is moved up one step. 0 when a factor is 0, +Infinity when one is not finite or the
 * product exceeds the largest double. Multiplying the factors one after another instead turns
 * 2^-700 2^-700 2^700 2^700 into 0.
 */
export function productUpper(factors: readonly number[]): number {
  let m = 1;
  let e = 0;
  for (const v of factors) {
    if (!(v >= 0)) return Number.NaN;
    if (v === 0) return 0;
    if (v === Number.POSITIVE_INFINITY) return v;
    const k = exponentOf(v);
    m *= ldexp(v, -k);
    const km = exponentOf(m);
    m = ldexp(m, -km);
    e += k + km;
  }
  m *= 1 + 2 * (factors.length + 1) * 2 ** -53;
  const r = ldexp(m, e);
  if (r === Number.POSITIVE_INFINITY) return r;
  return r < 2 ** -1022 ? nextUp(r) : r;
}

/**
 * A computed non-negative value that should be rounded down, kept below the exact one in the subnormal range
 * too: there rounding is absolute (up to 2^-1075), so a relative lowering such as x (1 - 2 u) may round back to
 * x; two subnormal steps are taken off below 2^-1021. Unchanged above (bit for bit).
 */
export function subnormalDown(x: number): number {
  return x < 2 ** -1021 ? Math.max(0, x - 2 * Number.MIN_VALUE) : x;
}

/** The upper counterpart of {@link subnormalDown}: two subnormal steps added below 2^-1021, unchanged above. */
export function subnormalUp(x: number): number {
  return x < 2 ** -1021 ? x + 2 * Number.MIN_VALUE : x;
}

/**
 * A lower bound on an exact value known to lie in [v (1 - rel), v (1 + rel)] for a computed v >= 0, that stays
 * below it in the subnormal range too: v (1 - rel - u), then {@link subnormalDown}. Scales exactly with v while
 * v (1 - rel) is a normal number.
 */
export function lowerEnd(v: number, rel: number): number {
  return subnormalDown(v * (1 - rel - 2 ** -53));
}

/** The upper counterpart of {@link lowerEnd}: v (1 + rel + 2 u), then {@link subnormalUp}. */
export function upperEnd(v: number, rel: number): number {
  return subnormalUp(v * (1 + rel + 2 ** -52));
}

/**
 * x y / z for x, y >= 0 and z > 0, on the mantissas and scaled back by the exact power of two (docs/science.md
 * section 3, "Scale safety"): nothing underflows or overflows on the way, so 2^-1074 / 2.5 is 2^-1074 / 2.5
 * rounded, not 0, and 1e-200 1e-200 / 1e-300 is 1e-100. Error: at most 2 u relative where the result is
 * normal, 2^-1075 absolute where it is subnormal (so {@link upperEnd} with rel = 2 u covers it); +Infinity
 * where it exceeds the largest double; NaN for other inputs.
 */
export function scaledProductQuotient(x: number, y: number, z: number): number {
  if (!(x >= 0 && y >= 0 && z > 0 && x < Number.POSITIVE_INFINITY && y < Number.POSITIVE_INFINITY && z < Number.POSITIVE_INFINITY)) return Number.NaN;
  if (x === 0 || y === 0) return 0;
  const ex = exponentOf(x);
  const ey = exponentOf(y);
  const ez = exponentOf(z);
  return ldexp((ldexp(x, -ex) * ldexp(y, -ey)) / ldexp(z, -ez), ex + ey - ez);
}
