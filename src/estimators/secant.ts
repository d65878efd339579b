import type { Model } from '../models/model.js';
import { UNIT_ROUNDOFF } from '../lipschitz/certificate.js';
import { normRoundoff } from '../lipschitz/domain.js';
import { norm2 } from '../linalg/gram.js';
import { subnormalDown, subnormalUp } from '../linalg/pow2.js';
import type { LipEstimate } from '../lipschitz/estimate.js';

/**
 * The secant |f(a) - f(b)| / ||a - b||: a valid lower bound on Lip(f) over any domain containing a and b
 * (docs/science.md section 3). Evaluates f at both points. Certified against rounding: the computed
 * difference is lowered by the model's evaluation-error bounds E(a) + E(b) (`Model.evaluationError`, which
 * covers cancellation) and divided by the computed distance raised by its rounding, (d + 4) u relative.
 */
export function secant(model: Model, a: Float64Array, b: Float64Array, domain: string, method = 'secant'): LipEstimate {
  const d = model.d;
  const pts = new Float64Array(2 * d);
  pts.set(a, 0);
  pts.set(b, d);
  const f = model.predict(pts, 2);
  const E = model.evaluationError(pts, 2);
  // the distance scale-safe (a sum of squares of differences near 1e-162 is subnormal and loses its digits),
  // rounded up; the difference and the quotient rounded down, with two subnormal steps where they land there
  // (docs/science.md section 3, "Scale safety")
  const dist = norm2(Float64Array.from(a, (v, t) => v - b[t]));
  const allowance = subnormalUp((E[0] + E[1]) * (1 + 4 * UNIT_ROUNDOFF));
  const num = subnormalDown(Math.abs(f[0] - f[1]) * (1 - 2 * UNIT_ROUNDOFF)) - allowance;
  const value = dist > 0 && num > 0 ? subnormalDown((num / subnormalUp(dist * (1 + normRoundoff(d)))) * (1 - 2 * UNIT_ROUNDOFF)) : 0;
  return { kind: 'lower', value, witness: { type: 'pair', a: Array.from(a), b: Array.from(b), fa: f[0], fb: f[1], secant: value, allowance }, domain, evaluations: 2, method };
}

/**
 * Secant refinement at a point x with gradient g (for models with kinks, where an autodiff gradient may
 * not be in the generalised gradient): the secant between x - t u and x + t u, u = g / ||g||, trying
 * t = 1e-3, 1e-4, ..., 1e-7 (times scale) from the longest down, and returning the first whose secant
 * matches ||g|| to 1e-9 relative before its rounding allowance (no kink crossed, least rounding), and returning
 * the best certified secant seen up to there. At each t the
 * symmetric pair and both one-sided pairs (x - t u, x), (x, x + t u) are tried, those inside the domain
 * (x itself is taken to be inside). `inDomain` tests membership. Where none of them is inside (on a
 * sphere no straight segment is) and `toDomain` is given, the projected endpoints are paired instead:
 * any two points of the domain give a valid secant, here one along the domain's tangent direction.
 */
export function refineWithSecant(
  model: Model,
  x: Float64Array,
  g: Float64Array,
  scale: number,
  domain: string,
  inDomain: (p: Float64Array) => boolean,
  toDomain?: (p: Float64Array) => Float64Array,
): LipEstimate | null {
  const d = model.d;
  const gn = norm2(g.subarray(0, d));
  if (!(gn > 0)) return null;
  let best: LipEstimate | null = null;
  let evals = 0;
  for (const rel of [1e-3, 1e-4, 1e-5, 1e-6, 1e-7]) {
    const t = rel * scale;
    const a = new Float64Array(d);
    const b = new Float64Array(d);
    for (let q = 0; q < d; q++) {
      a[q] = x[q] - (t * g[q]) / gn;
      b[q] = x[q] + (t * g[q]) / gn;
    }
    // the symmetric pair and both one-sided pairs with x (at a kink, one side lies in one linear piece)
    const pairs: [Float64Array, Float64Array][] = [];
    const symmetric = inDomain(a) && inDomain(b);
    if (symmetric) pairs.push([a, b]);
    // one-sided pairs matter at kinks (one side lies in one linear piece); for a smooth f the symmetric
    // pair is the better secant (error O(t^2) against O(t)) wherever it is inside
    if (!(model.smooth && symmetric)) {
      if (inDomain(a)) pairs.push([a, x]);
      if (inDomain(b)) pairs.push([x, b]);
    }
    if (pairs.length === 0 && toDomain !== undefined) {
      const [pa, pb] = [toDomain(a), toDomain(b)];
      pairs.push([pa, pb], [pa, x], [x, pb]);
    }
    let matched = false;
    for (const [u, v] of pairs) {
      const s = secant(model, u, v, domain, 'secant-refinement');
      evals += 2;
      if (best === null || s.value > best.value) best = s;
      // "no kink crossed" is judged on the computed secant, before the rounding allowance lowers it
      const w = s.witness as { fa: number; fb: number };
      const dist = norm2(Float64Array.from(u, (uq, q) => uq - v[q]));
      if (Math.abs(w.fa - w.fb) / dist >= gn * (1 - 1e-9)) matched = true;
    }
    if (matched) break;
  }
  return best === null ? null : { ...best, evaluations: evals };
}
