/**
 * A Gaussian kernel sum for the checker: f(x) = sum_i alpha_i exp(-||x - c_i||^2 / (2 s^2)); each term is
 * |alpha_i| e^{-1/2} / s -Lipschitz, so sum_i |alpha_i| e^{-1/2} / s bounds Lip(f) on R^d (docs/science.md section 3).
 * @module
 */
import { add, div, exp, mul, neg, point, sq, sub, sum, type Interval } from '../interval.js';
import { count, f64s, type CheckedModel, type ModelJson } from '../checked-model.js';

/** The kernel model of a certificate, or why not. */
export function kernelModel(m: ModelJson): CheckedModel | string {
  const c = f64s(m.centres);
  const alpha = f64s(m.alpha);
  const d = count(m.d);
  const s = m.bandwidth;
  if (c === null || alpha === null || d === null || typeof s !== 'number' || !(s > 0) || c.length !== alpha.length * d) return 'a kernel model without centres, weights and bandwidth';
  const twoS2 = mul(point(2), sq(point(s)));
  /** k(x, c_i) enclosed, and (c_i - x) as intervals. */
  const term = (x: readonly number[], i: number): [Interval, Interval[]] => {
    const diff = Array.from({ length: d }, (_, t) => sub(point(c[i * d + t]), point(x[t])));
    return [exp(neg(div(sum(diff.map(sq)), twoS2))), diff];
  };
  return {
    inputs: d,
    outputs: 1,
    values: (x) => [sum(Array.from(alpha, (a, i) => mul(point(a), term(x, i)[0])))],
    // grad f(x) = sum_i alpha_i k(x, c_i) (c_i - x) / s^2
    gradient: (x) => {
      const g: Interval[] = Array.from({ length: d }, () => point(0));
      alpha.forEach((a, i) => {
        const [kv, diff] = term(x, i);
        const coef = div(mul(point(a), kv), sq(point(s)));
        diff.forEach((v, t) => (g[t] = add(g[t], mul(coef, v))));
      });
      return g;
    },
    exact: (method) => `a kernel model's ${method} is not checked`,
    upper: (method) => {
      if (method !== 'kernel-sum') return { reason: `${method} is not checked`, rejected: false };
      const total = sum(Array.from(alpha, (a) => point(Math.abs(a))));
      return { bound: div(mul(total, exp(point(-0.5))), point(s)).hi };
    },
  };
}
