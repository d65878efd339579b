/**
 * A classifier's margin judged by the law (docs/science.md section 3, "A classifier's verdict"): the law is
 * stated for a real function fitting labels in [-1, 1] below the noise level, and a trained classifier's
 * margin f = f_i - f_j is far outside [-1, 1] (its squared error against labels +-1 is large, so eps < 0
 * and the law says nothing). The clipped, rescaled margin g = clip(f / m, -1, 1) is in the law's setting:
 * it fits every point with y f >= m exactly, and Lip(g) <= Lip(f) / m. The law for the class of such g
 * (p parameters, as f) then bounds Lip(f) from below by m eps_m sqrt(n d / p), eps_m = sigma^2 - MSE(g).
 * @module
 */
import { InputError } from '../core/input-error.js';

/** The scales m tried: 2^(j / 4) for integers j, a grid fixed before the data are seen (a union bound over
 * the values tried costs the law's probability a factor of their count, docs/science.md). */
export const MARGIN_SCALE_STEP = 2 ** 0.25;

/** At most this many grid values are tried (the margins' range is then cut from below). */
const MAX_GRID = 400;

/** The scale of {@link marginScale} and what it gives. */
export interface MarginScale {
  /** m: the margin is judged through clip(f / m, -1, 1). */
  readonly scale: number;
  /** The train MSE of clip(f / m, -1, 1) against the labels. */
  readonly mse: number;
  /** eps_m = sigma^2 - MSE, the fit of the clipped margin below the noise level (> 0). */
  readonly eps: number;
  /** How many grid values were tried (the union bound's factor). */
  readonly grid: number;
}

/** clip(x, -1, 1). */
export function clip1(x: number): number {
  return x > 1 ? 1 : x < -1 ? -1 : x;
}

/** The train MSE of clip(f / m, -1, 1) against y. */
export function clippedMse(f: Float64Array, y: Float64Array, n: number, m: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (clip1(f[i] / m) - y[i]) ** 2;
  return s / n;
}

/**
 * The scale m of the grid {@link MARGIN_SCALE_STEP}^j that gives the law's strongest claim on Lip(f), the
 * largest m (sigma^2 - MSE(clip(f / m, -1, 1))), among the scales whose clipped margin fits in the law's
 * regime (`inRegime(eps)`: eps >= 0.1 and n eps^2 >= 8 k, src/law/law-regime.ts); null when none does.
 * The regime is what keeps the claim honest: as m grows, m eps_m tends to 2 mean(y f) (g is then f / m, not
 * clipped) while eps_m tends to sigma^2 - mean(y^2), about 0 for labels +-1, a fit no longer below the noise
 * level by any margin the law is tested at. The grid spans the margins' magnitudes at the data (|f_i| > 0),
 * from one step below the smallest (every nonzero margin clipped to its sign) to 2^8 times the largest, at
 * most 400 values. Labels must lie in [-1, 1].
 */
export function marginScale(f: Float64Array, y: Float64Array, n: number, sigma2: number, inRegime: (eps: number) => boolean): MarginScale | null {
  for (let i = 0; i < n; i++) if (!(Math.abs(y[i]) <= 1)) throw new InputError('y', 'labels in [-1, 1] (the law\'s setting)', y[i], { context: 'marginScale', shown: `label ${y[i]} at point ${i + 1}` });
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(f[i]);
    if (!Number.isFinite(a)) throw new InputError('f', 'finite margins', f[i], { context: 'marginScale', shown: `margin ${f[i]} at point ${i + 1}` });
    if (a > 0) {
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
    }
  }
  if (hi === 0) return null;
  const jHi = Math.ceil(Math.log2(hi) * 4) + 32;
  const jLo = Math.max(Math.floor(Math.log2(lo) * 4) - 1, jHi - MAX_GRID + 1);
  let best: { scale: number; mse: number; eps: number } | null = null;
  for (let j = jLo; j <= jHi; j++) {
    const m = 2 ** (j / 4);
    const mse = clippedMse(f, y, n, m);
    const eps = sigma2 - mse;
    if (inRegime(eps) && (best === null || m * eps > best.scale * best.eps)) best = { scale: m, mse, eps };
  }
  return best === null ? null : { ...best, grid: jHi - jLo + 1 };
}
