/**
 * Polynomials for the checker (docs/science.md section 4): in the scaled monomial basis
 * phi_a(x) = sqrt(|a|! / prod a_i!) x^a, whose kernel is K(x, x') = sum_{t <= q} (x . x')^t, either
 * f = sum_i alpha_i K(x, c_i) (kernel form; ||theta||^2 = alpha^T K alpha) or f = sum_a theta_a phi_a(x) (the
 * monomials as sorted variable-index tuples, depth first). On ||x|| <= R, ||grad f|| <= ||theta|| ||Jac phi||_F
 * = ||theta|| sqrt(sum_{t=1..q} t (d + t - 1) ||x||^(2t - 2)).
 * @module
 */
import { add, dot, mul, point, sqrt, sum, type Interval } from '../interval.js';
import { ballRadius, count, f64s, type CheckedModel, type ModelJson } from '../checked-model.js';

/** The monomials of degree <= q in d variables, depth first, each with its exact scale's square |a|! / prod a_i!. */
function monomials(d: number, q: number): { vars: number[]; scale2: number }[] {
  const out: { vars: number[]; scale2: number }[] = [];
  const rec = (start: number, vars: number[]) => {
    // |a|! / prod a_i! as the product of (position / run length): an integer below 2^53 for q <= 12
    let m = 1;
    let run = 0;
    vars.forEach((v, i) => {
      run = i > 0 && v === vars[i - 1] ? run + 1 : 1;
      m = (m * (i + 1)) / run;
    });
    out.push({ vars: vars.slice(), scale2: Math.round(m) });
    if (vars.length === q) return;
    for (let v = start; v < d; v++) rec(v, [...vars, v]);
  };
  rec(0, []);
  return out;
}

/** x^t for t = 0..q. */
const powers = (g: Interval, q: number): Interval[] => {
  const out = [point(1)];
  for (let t = 1; t <= q; t++) out.push(mul(out[t - 1], g));
  return out;
};

/** The polynomial of a certificate, or why not. */
export function polynomialModel(m: ModelJson): CheckedModel | string {
  const coef = f64s(m.coefficients);
  const d = count(m.d);
  const q = count(m.q);
  if (coef === null || d === null || q === null || q > 12) return 'a polynomial without its coefficients, d and q';
  let value: (x: readonly number[]) => Interval;
  let gradient: (x: readonly number[]) => Interval[];
  let thetaNorm: () => Interval;
  if (m.form === 'kernel') {
    const C = f64s(m.centres);
    if (C === null || C.length !== coef.length * d) return 'a kernel polynomial without its centres';
    const n = coef.length;
    const g = (x: (t: number) => number, i: number) => dot(d, x, (t) => C[i * d + t]);
    value = (x) => sum(Array.from(coef, (a, i) => mul(point(a), sum(powers(g((t) => x[t], i), q)))));
    gradient = (x) => {
      const out: Interval[] = Array.from({ length: d }, () => point(0));
      coef.forEach((a, i) => {
        const pw = powers(g((t) => x[t], i), q);
        // sum_{t >= 1} t g^(t-1)
        const dk = sum(pw.slice(0, q).map((v, t) => mul(point(t + 1), v)));
        const c = mul(point(a), dk);
        for (let t = 0; t < d; t++) out[t] = add(out[t], mul(c, point(C[i * d + t])));
      });
      return out;
    };
    // ||theta||^2 = sum_ij alpha_i alpha_j K(c_i, c_j), each product an interval
    thetaNorm = () => {
      const terms: Interval[] = [];
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) terms.push(mul(mul(point(i === j ? 1 : 2), mul(point(coef[i]), point(coef[j]))), sum(powers(g((t) => C[j * d + t], i), q))));
      return sqrt(sum(terms));
    };
  } else if (m.form === 'monomials') {
    const monos = monomials(d, q);
    if (monos.length !== coef.length) return 'a polynomial whose coefficients are not one per monomial';
    const scales = monos.map((mo) => sqrt(point(mo.scale2)));
    const term = (x: readonly number[], a: number, skip: number) => monos[a].vars.reduce((v, j, pos) => (pos === skip ? v : mul(v, point(x[j]))), mul(point(coef[a]), scales[a]));
    value = (x) => sum(monos.map((_, a) => term(x, a, -1)));
    gradient = (x) => {
      const out: Interval[] = Array.from({ length: d }, () => point(0));
      monos.forEach((mo, a) => mo.vars.forEach((j, pos) => (out[j] = add(out[j], term(x, a, pos)))));
      return out;
    };
    thetaNorm = () => sqrt(sum(Array.from(coef, (c) => mul(point(c), point(c)))));
  } else return `a polynomial of form ${String(m.form)} is not checked`;
  return {
    inputs: d,
    outputs: 1,
    values: (x) => [value(x)],
    gradient: (x) => gradient(x),
    exact: (method) => `a polynomial's ${method} is not checked`,
    upper: (method, _terms, _data, D) => {
      const R = ballRadius(D);
      if (method !== 'polynomial-frobenius' || R === null || !Number.isFinite(R)) return { reason: `${method} on this domain is not checked`, rejected: false };
      const r2 = mul(point(R), point(R));
      const s = sum(Array.from({ length: q }, (_, i) => mul(point((i + 1) * (d + i)), powers(r2, q)[i])));
      return { bound: mul(thetaNorm(), sqrt(s)).hi };
    },
  };
}
