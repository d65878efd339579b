import { lbfgsDirection } from '../../linalg/lbfgs-direction.js';

/** A point of a LipSDP solver's smoothed objective: f_mu, lambda_max itself, and grad f_mu. */
export interface StagePoint {
  readonly value: number;
  readonly top: number;
  readonly grad: Float64Array | null;
}

/** Where a stage ended, and why it stopped early (null: it converged or ran its steps). */
export interface StageResult<P extends StagePoint> {
  readonly x: Float64Array;
  readonly cur: P;
  readonly best: { readonly x: Float64Array; readonly top: number };
  readonly stopped: 'iterations' | 'time' | null;
}

/**
 * One smoothing stage of the LipSDP solvers (docs/science.md section 9.4): L-BFGS (memory 10) on the
 * smoothed lambda_max f_mu from x, with Armijo backtracking (c = 1e-4, at most 40 halvings; the first
 * step scaled to 1 / sqrt(|slope| / f)), restarting on a non-descent direction, and ending when a step
 * gains less than 1e-10 relative, the slope is below 1e-14 relative, no step is accepted, `maxSteps` steps
 * were taken, or `budget()` (asked before every step) names a spent budget. Keeps the point of smallest
 * lambda_max seen (`best`): the solver's result is certified separately, so any point is usable.
 */
export function lbfgsStage<P extends StagePoint>(
  x: Float64Array,
  cur: P,
  evalAt: (x: Float64Array) => P | null,
  best: { readonly x: Float64Array; readonly top: number },
  maxSteps: number,
  budget: () => 'iterations' | 'time' | null,
): StageResult<P> {
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  for (let it = 0; it < maxSteps; it++) {
    const stopped = budget();
    if (stopped !== null) return { x, cur, best, stopped };
    const g = cur.grad!;
    let dir = lbfgsDirection(g, S, Y);
    let slope = 0;
    for (let q = 0; q < g.length; q++) slope += g[q] * dir[q];
    if (!(slope < 0)) {
      S.length = 0;
      Y.length = 0;
      dir = g.map((v) => -v);
      slope = -g.reduce((a, v) => a + v * v, 0);
    }
    if (slope > -1e-14 * Math.abs(cur.value)) break;
    let step = S.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope / Math.max(cur.value, 1e-300))) : 1;
    let next: P | null = null;
    let xn = x;
    for (let ls = 0; ls < 40; ls++) {
      xn = x.map((v, q) => v + step * dir[q]);
      next = evalAt(xn);
      if (next !== null && next.value <= cur.value + 1e-4 * step * slope) break;
      next = null;
      step /= 2;
    }
    if (next === null) break;
    S.push(xn.map((v, q) => v - x[q]));
    Y.push(next.grad!.map((v, q) => v - g[q]));
    if (S.length > 10) {
      S.shift();
      Y.shift();
    }
    const gain = cur.value - next.value;
    x = xn;
    cur = next;
    if (next.top < best.top) best = { x: xn, top: next.top };
    if (gain <= 1e-10 * Math.abs(cur.value)) break;
  }
  return { x, cur, best, stopped: null };
}
