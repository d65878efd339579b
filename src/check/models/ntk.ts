/**
 * NTK features for the checker: f(x) = scale sum_j s'(w_j . x) (theta_j . x), and their upper bound
 * (docs/science.md section 3): on ||x|| <= R, with S'_j, S''_j the sups of |s'|, |s''| on [-||w_j|| R, ||w_j|| R],
 *   scale min( ||W|| sqrt(sum_j (S''_j ||theta_j|| R)^2) + ||Theta|| sqrt(sum_j S'_j^2),
 *              sum_j (S''_j ||theta_j|| R ||w_j|| + S'_j ||theta_j||) ),
 * the spectral norms as the certificate states them, each proven (./spectral.ts).
 * @module
 */
import { add, dot, mul, norm, outerSum, point, sum, type Interval } from '../interval.js';
import { checkedActivation } from '../activations.js';
import { spectralCheck } from '../spectral.js';
import { quadraticExact } from '../quadratic.js';
import { ballRadius, count, f64s, type CheckedModel, type ModelJson, exactAsUpper } from '../checked-model.js';

/** The NTK-features model of a certificate, or why not. */
export function ntkModel(m: ModelJson): CheckedModel | string {
  const W = f64s(m.W);
  const Theta = f64s(m.Theta);
  const k = count(m.k);
  const d = count(m.d);
  const scale = m.scale;
  if (W === null || Theta === null || k === null || d === null || typeof scale !== 'number' || W.length !== k * d || Theta.length !== k * d) return 'NTK features without W, Theta, k, d and scale';
  const act = checkedActivation(String(m.activation));
  if (act === null) return `no enclosure of the activation ${String(m.activation)} in the checker`;
  const row = (M: Float64Array, j: number, x: readonly number[]) => dot(d, (t) => M[j * d + t], (t) => x[t]);
  const exact: CheckedModel['exact'] = (method, terms, data, D) => {
    if (method !== 'quadratic-trust-region' || m.activation !== 'square') return `NTK features' ${method} is not checked`;
    // s'(t) = t: f = scale sum_j (w_j . x) (theta_j . x), grad f = A x with A = scale sum_j (w_j theta_j^T + theta_j w_j^T)
    const M = outerSum(Array.from(W, point), Theta, k, d);
    const A = M.map((row, i) => row.map((v, l) => mul(point(scale), add(v, M[l][i]))));
    return quadraticExact(A, Array.from({ length: d }, () => point(0)), (x) => model.gradient(x, [1]), terms, data, D);
  };
  const model: CheckedModel = {
    inputs: d,
    outputs: 1,
    values: (x) => {
      const terms: Interval[] = [];
      for (let j = 0; j < k; j++) {
        const s1 = act.slope(row(W, j, x));
        if (s1 === null) return `unit ${j + 1} is at a kink of ${String(m.activation)}`;
        terms.push(mul(s1, row(Theta, j, x)));
      }
      return [mul(point(scale), sum(terms))];
    },
    gradient: (x) => {
      const g: Interval[] = Array.from({ length: d }, () => point(0));
      for (let j = 0; j < k; j++) {
        const z = row(W, j, x);
        const s1 = act.slope(z);
        const s2 = act.curvatures?.(z);
        if (s1 === null || s2 === undefined) return `no enclosure of s' and s'' of ${String(m.activation)} at unit ${j + 1}`;
        const c2 = mul(s2, row(Theta, j, x));
        for (let t = 0; t < d; t++) g[t] = add(g[t], add(mul(c2, point(W[j * d + t])), mul(s1, point(Theta[j * d + t]))));
      }
      return g.map((v) => mul(point(scale), v));
    },
    exact,
    upper: (method, terms, data, D) => {
      if (method === 'quadratic-trust-region') return exactAsUpper(exact(method, terms, data, D));
      const R = ballRadius(D);
      if ((method !== 'ntk-spectral' && method !== 'ntk-sum') || R === null || !Number.isFinite(R)) return { reason: `${method} on this domain is not checked`, rejected: false };
      const a: Interval[] = [];
      const b: Interval[] = [];
      const sums: Interval[] = [];
      for (let j = 0; j < k; j++) {
        const wn = norm(Array.from(W.subarray(j * d, j * d + d), point));
        const tn = norm(Array.from(Theta.subarray(j * d, j * d + d), point));
        const zr = mul(wn, point(R)).hi;
        const s1 = act.slopes({ lo: -zr, hi: zr });
        const s2 = act.curvatures?.({ lo: -zr, hi: zr });
        if (s2 === undefined) return { reason: `no enclosure of s'' of ${String(m.activation)} in the checker`, rejected: false };
        const S1 = point(Math.max(Math.abs(s1.lo), Math.abs(s1.hi)));
        const S2 = point(Math.max(Math.abs(s2.lo), Math.abs(s2.hi)));
        a.push(mul(mul(S2, tn), point(R)));
        b.push(S1);
        sums.push(add(mul(mul(mul(S2, tn), point(R)), wn), mul(S1, tn)));
      }
      let best = sum(sums).hi;
      const [nW, nT] = [terms.normW, terms.normTheta];
      if (typeof nW === 'number' && typeof nT === 'number' && spectralCheck(W, k, d, nW) === true && spectralCheck(Theta, k, d, nT) === true) best = Math.min(best, add(mul(point(nW), norm(a)), mul(point(nT), norm(b))).hi);
      return { bound: mul(point(scale), point(best)).hi };
    },
  };
  return model;
}
