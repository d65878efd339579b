import { exponentOf, ldexp } from '../../linalg/pow2.js';
import { UNIT_ROUNDOFF } from '../certificate.js';

/** Activations whose slope interval {@link slopeInterval} knows. */
export type SlopeActivation = 'relu' | 'tanh' | 'sigmoid' | 'softplus' | 'cos' | 'square' | 'linear';

/** Absolute widening of a computed slope (the library's tanh, exp and sin are accurate to a few ulps of values <= 1). */
const WIDEN = 1e-15;

/**
 * An interval [lo, hi] containing every slope (s(u) - s(v)) / (u - v) of the activation for u, v in
 * [zlo, zhi] (docs/science.md section 9.1): by the mean value theorem, the range of s' on the interval
 * (relu: its one-sided derivatives). Computed values of s' are widened by 1e-15 and clamped to the
 * activation's global slope range, so the interval is outward. Returns null when the slope is not bounded
 * there (square on an unbounded interval) or the activation is not known.
 *   relu: [0, 1], or [1, 1] when zlo >= 0, [0, 0] when zhi <= 0;
 *   tanh (s' = 1 - tanh^2), sigmoid (s' = sigma (1 - sigma)): even, decreasing in |z|: max at the point
 *     nearest 0, min at the farthest end;
 *   softplus (s' = sigma, increasing): [sigma(zlo), sigma(zhi)];
 *   cos (s' = -sin): the range of -sin over the interval ([-1, 1] when it is 2 pi wide or more);
 *   square (s(z) = z^2 / 2, s' = z): [zlo, zhi];  linear: [1, 1].
 */
export function slopeInterval(act: string, zlo: number, zhi: number): [number, number] | null {
  const widen = (lo: number, hi: number, min: number, max: number): [number, number] => [Math.max(min, lo - WIDEN), Math.min(max, hi + WIDEN)];
  const near = zlo <= 0 && zhi >= 0 ? 0 : Math.min(Math.abs(zlo), Math.abs(zhi));
  const far = Math.max(Math.abs(zlo), Math.abs(zhi));
  switch (act) {
    case 'linear':
      return [1, 1];
    case 'relu':
      return zlo >= 0 ? [1, 1] : zhi <= 0 ? [0, 0] : [0, 1];
    case 'tanh': {
      const ds = (z: number) => (Number.isFinite(z) ? 1 - Math.tanh(z) ** 2 : 0);
      return widen(ds(far), ds(near), 0, 1);
    }
    case 'sigmoid': {
      const ds = (z: number) => (Number.isFinite(z) ? sigmoid(z) * (1 - sigmoid(z)) : 0);
      return widen(ds(far), ds(near), 0, 0.25);
    }
    case 'softplus':
      return widen(sigmoid(zlo), sigmoid(zhi), 0, 1);
    case 'cos': {
      if (!(zhi - zlo < 2 * Math.PI)) return [-1, 1];
      let lo = Math.min(-Math.sin(zlo), -Math.sin(zhi));
      let hi = Math.max(-Math.sin(zlo), -Math.sin(zhi));
      // critical points of -sin: z = pi/2 + n pi (-sin = -1 for even n, +1 for odd n)
      for (let n = Math.ceil((zlo - Math.PI / 2) / Math.PI) - 1; Math.PI / 2 + n * Math.PI <= zhi + 1e-9; n++) {
        const z = Math.PI / 2 + n * Math.PI;
        if (z < zlo - 1e-9) continue;
        if (n % 2 === 0) lo = -1;
        else hi = 1;
      }
      return widen(lo, hi, -1, 1);
    }
    case 'square':
      return Number.isFinite(zlo) && Number.isFinite(zhi) ? [zlo, zhi] : null;
    default:
      return null;
  }
}

function sigmoid(t: number): number {
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
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
