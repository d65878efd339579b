/**
 * Membership of a witness point in the domain of a result, decided exactly (docs/science.md, "The independent
 * checker"): a double is an integer times 2^-1074, so ||x||^2 <= R^2 compares two integers (BigInt).
 * @module
 */

/** The domain of a result, with its exact radius. */
export interface CheckedDomain {
  readonly kind: string;
  readonly radius?: number;
}

/** x as the integer x 2^1074 (exact for every finite double). */
function scaled(x: number): bigint {
  const f = new Float64Array([Math.abs(x)]);
  const bits = new BigUint64Array(f.buffer)[0];
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  // subnormal: frac 2^-1074; normal: (2^52 + frac) 2^(exp - 1075)
  const mant = exp === 0 ? frac : frac | (1n << 52n);
  const shift = BigInt(exp === 0 ? 0 : exp - 1);
  return mant << shift;
}

/** A witness that certainly fails (outside the domain, a relu pattern contradicted): the bound is rejected. */
export interface Refuted {
  readonly refuted: string;
}

/**
 * Whether x lies in the domain: R^d always, a ball of radius R where ||x||^2 <= R^2 exactly; refuted where it
 * certainly lies outside; a reason why undecided for a domain the checker does not decide (a sphere, whose
 * points a double rarely hits).
 */
export function inDomain(D: CheckedDomain, x: readonly number[]): true | string | Refuted {
  if (!x.every(Number.isFinite)) return { refuted: 'a witness coordinate is not finite' };
  if (D.kind === 'Rd') return true;
  if (D.kind !== 'ball' || D.radius === undefined || !(D.radius >= 0)) return `a domain the checker does not decide (${D.kind})`;
  // certainly inside by a margin in f64 (the sum of squares within gamma_{d+1} above, R^2 within u below): no integers needed
  let f = 0;
  for (const v of x) f += v * v;
  const g = ((x.length + 2) * 2 ** -53) / (1 - (x.length + 2) * 2 ** -53);
  if (f * (1 + 2 * g) < D.radius * D.radius * (1 - 2 ** -51) && D.radius < 1e150 && D.radius > 1e-150 && x.every((v) => v === 0 || Math.abs(v) > 1e-150)) return true;
  let s = 0n;
  for (const v of x) s += scaled(v) ** 2n;
  const r = scaled(D.radius);
  return s <= r * r ? true : { refuted: `the witness lies outside the ball of radius ${D.radius}` };
}
