import { requireInt, requireOpen, requirePositive } from '../core/validate.js';

/** One threshold of {@link isoperimetryTailCheck}. */
export interface TailCheckRow {
  readonly t: number;
  /** Empirical P(|f - Ef| >= t). */
  readonly empirical: number;
  /** Definition 1.1's bound 2 exp(-d t^2 / (2 c L^2)), capped at 1. */
  readonly bound: number;
  /** Hoeffding margin sqrt(ln(m / alpha) / (2 N)) (union over the m thresholds). */
  readonly margin: number;
  /** empirical <= bound + margin. */
  readonly ok: boolean;
}

/**
 * Empirical check of c-isoperimetry (Definition 1.1, docs/science.md section 1) for one L-Lipschitz test
 * function f: given N i.i.d. values f(x_i) and the exact mean E f, compares the empirical tail
 * P(|f - Ef| >= t) with 2 exp(-d t^2 / (2 c L^2)) at each threshold t. Under the null (the measure is
 * c-isoperimetric), every row is `ok` with probability >= 1 - alpha (Hoeffding + union bound), so a
 * failure is evidence against c-isoperimetry at level alpha.
 */
export function isoperimetryTailCheck(values: Float64Array, mean: number, d: number, c: number, L: number, ts: readonly number[], alpha = 1e-9): TailCheckRow[] {
  const N = requireInt('isoperimetryTailCheck', 'values.length', values.length, 1);
  requireInt('isoperimetryTailCheck', 'd', d, 1);
  requirePositive('isoperimetryTailCheck', 'c', c);
  requirePositive('isoperimetryTailCheck', 'L', L);
  requireOpen('isoperimetryTailCheck', 'alpha', alpha, 0, 1);
  const margin = Math.sqrt(Math.log(ts.length / alpha) / (2 * N));
  return ts.map((t) => {
    requirePositive('isoperimetryTailCheck', 't', t);
    let count = 0;
    for (let i = 0; i < N; i++) if (Math.abs(values[i] - mean) >= t) count++;
    const empirical = count / N;
    const bound = Math.min(1, 2 * Math.exp((-d * t * t) / (2 * c * L * L)));
    return { t, empirical, bound, margin, ok: empirical <= bound + margin };
  });
}
