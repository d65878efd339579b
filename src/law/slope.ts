import { InputError } from '../core/input-error.js';

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom (standard tables). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** The 0.975 quantile of Student's t with `df` degrees of freedom (table to 30, then 40/60/120, then 1.96). */
export function tQuantile975(df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) throw new InputError('df', 'an integer >= 1', df, { context: 'tQuantile975' });
  if (df <= 30) return T975[df - 1];
  if (df <= 40) return 2.021;
  if (df <= 60) return 2.0;
  if (df <= 120) return 1.98;
  return 1.96;
}

/** A least-squares slope with its 95% confidence interval. */
export interface SlopeFit {
  readonly slope: number;
  /** 95% interval slope -/+ t(0.975, m - 2) SE (null with fewer than 3 points). */
  readonly lo: number | null;
  readonly hi: number | null;
  readonly intercept: number;
  /** Points used. */
  readonly m: number;
}

/**
 * Ordinary least squares of log y on log x: slope b = S_xy / S_xx, SE = sqrt(SSE / ((m - 2) S_xx)), with a
 * 95% t interval. This is how the law's exponent is read off a sweep (docs/science.md section 4: Lip ~ p^(-1/2)
 * between p = n and p = n d). Points with x <= 0 or y <= 0 are dropped. Null when fewer than 2 distinct x.
 */
export function logLogSlope(x: readonly number[], y: readonly number[]): SlopeFit | null {
  if (x.length !== y.length) throw new InputError('y', `as long as x (${x.length})`, y, { context: 'logLogSlope', shown: `length ${y.length}` });
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] > 0 && y[i] > 0 && Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      lx.push(Math.log(x[i]));
      ly.push(Math.log(y[i]));
    }
  }
  const m = lx.length;
  if (m < 2) return null;
  const mx = lx.reduce((s, v) => s + v, 0) / m;
  const my = ly.reduce((s, v) => s + v, 0) / m;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < m; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  if (m < 3) return { slope, lo: null, hi: null, intercept, m };
  let sse = 0;
  for (let i = 0; i < m; i++) sse += (ly[i] - intercept - slope * lx[i]) ** 2;
  const half = tQuantile975(m - 2) * Math.sqrt(sse / ((m - 2) * sxx));
  return { slope, lo: slope - half, hi: slope + half, intercept, m };
}
