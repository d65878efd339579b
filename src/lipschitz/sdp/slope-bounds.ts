import { exponentOf, ldexp } from '../../linalg/pow2.js';
import { UNIT_ROUNDOFF } from '../certificate.js';
import { activationNamed } from '../../activations/family.js';

/**
 * An interval [lo, hi] containing every slope (s(u) - s(v)) / (u - v) of the activation named `act` for u, v
 * in [zlo, zhi] (docs/science.md section 9.1): the table's `slopeOn` (src/activations/activation.ts, family.ts); null where the slope
 * is not bounded there (square on an unbounded interval) or the name is not an activation.
 */
export function slopeInterval(act: string, zlo: number, zhi: number): [number, number] | null {
  return activationNamed(act)?.slopeOn(zlo, zhi) ?? null;
}

/**
 * Outward intervals [lo_j, hi_j] containing w_j . x + b_j for every x with ||x|| <= R (R = Infinity: all of
 * R^d): b_j -/+ ||w_j|| R, with the norm and the product rounded up (relative (d + 4) u) and the sums
 * widened by two ulps. A unit with w_j = 0 has the single point b_j.
 */
export function preActivationRanges(W: Float64Array, b: Float64Array, k: number, d: number, R: number): { lo: Float64Array; hi: Float64Array } {
  const lo = new Float64Array(k);
  const hi = new Float64Array(k);
  const u = UNIT_ROUNDOFF;
  for (let j = 0; j < k; j++) {
    // the norm of the row scaled by a power of two (exact), so that it neither overflows nor underflows and
    // scales exactly with the weights
    let mx = 0;
    for (let t = 0; t < d; t++) mx = Math.max(mx, Math.abs(W[j * d + t]));
    if (mx === 0) {
      lo[j] = hi[j] = b[j];
      continue;
    }
    const e = exponentOf(mx);
    let s = 0;
    for (let t = 0; t < d; t++) s += ldexp(W[j * d + t], -e) ** 2;
    const rad = ldexp(Math.sqrt(s) * (1 + (d + 6) * u), e) * R * (1 + 2 * u) + Number.MIN_VALUE;
    const l = b[j] - rad;
    const h = b[j] + rad;
    lo[j] = l - Math.abs(l) * 2 * u - Number.MIN_VALUE;
    hi[j] = h + Math.abs(h) * 2 * u + Number.MIN_VALUE;
  }
  return { lo, hi };
}
