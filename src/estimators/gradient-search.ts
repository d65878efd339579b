import type { ResidentGradient } from '../backends/resident.js';
import type { Model } from '../models/model.js';
import { certifyingGradients, type Domain } from '../lipschitz/domain.js';

/**
 * How the estimators evaluate gradients while they search (gradients at the data and at fresh draws,
 * every step of the multi-start ascent): the model's own f64 gradient, or f32 on an accelerated backend.
 * f32 values only rank candidate points and steer the ascent; {@link certifyTop} re-evaluates the best
 * candidates in f64, and only f64 values are reported (docs/science.md section 3).
 */
export interface GradientSearch {
  /** Gradients at the rows of P (m x d), returned as f64 arrays (of f32 precision when not `certifies`). */
  gradient(P: Float64Array, m: number): Float64Array;
  /** Whether these are the model's own f64 gradients, which certify as they are. */
  readonly certifies: boolean;
  /** Where the search ran: backend name, what ran, and its precision. */
  readonly backend: string;
  readonly mode: string;
  readonly precision: 'f64' | 'f32';
}

/** The search on the model's own f64 gradient (the cpu reference). */
export function referenceSearch(model: Model): GradientSearch {
  return { gradient: (P, m) => model.gradient(P, m), certifies: true, backend: 'cpu', mode: 'f64', precision: 'f64' };
}

/** The search on a resident f32 kernel. */
export function residentSearch(resident: ResidentGradient): GradientSearch {
  return {
    gradient: (P, m) => Float64Array.from(resident.gradients(Float32Array.from(P), m)),
    certifies: false,
    backend: resident.backend,
    mode: resident.mode,
    precision: 'f32',
  };
}

/** How many of the best f32 candidates are re-evaluated in f64. */
export const CERTIFY_TOP = 8;

/**
 * The best certified point among the rows of P (m x d) ranked by their search norms: the `top` rows with
 * the largest search norms are re-evaluated by the model in f64 (only the part of the gradient that
 * certifies over D counts), and the largest f64 norm wins. With an f64 search the ranking norms are
 * already certified and returned as they are.
 */
export function certifyTop(model: Model, D: Domain | undefined, P: Float64Array, norms: Float64Array, m: number, search: GradientSearch, top = CERTIFY_TOP): { index: number; norm: number; evaluations: number } {
  const d = model.d;
  if (search.certifies || m === 0) {
    let bi = 0;
    for (let i = 1; i < m; i++) if (norms[i] > norms[bi]) bi = i;
    return { index: bi, norm: m > 0 ? norms[bi] : 0, evaluations: 0 };
  }
  const order = Array.from(norms.keys()).sort((a, b) => norms[b] - norms[a]).slice(0, Math.min(top, m));
  const Q = new Float64Array(order.length * d);
  order.forEach((i, q) => Q.set(P.subarray(i * d, i * d + d), q * d));
  const raw = model.gradient(Q, order.length);
  const G = D === undefined ? raw : certifyingGradients(D, Q, raw, order.length, d);
  let best = -1;
  let bestNorm = -1;
  order.forEach((i, q) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += G[q * d + t] ** 2;
    const v = Math.sqrt(s);
    if (v > bestNorm) [best, bestNorm] = [i, v];
  });
  return { index: best, norm: bestNorm, evaluations: order.length };
}
