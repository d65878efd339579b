/**
 * f(x) = w . x + b for the checker: Lip(f) = ||w|| exactly on any domain with an interior point
 * (docs/science.md section 3).
 * @module
 */
import { add, dot, norm, point } from '../interval.js';
import { f64s, type CheckedModel, type ModelJson, exactAsUpper } from '../checked-model.js';

/** The linear model of a certificate, or why not. */
export function linearModel(m: ModelJson): CheckedModel | string {
  const w = f64s(m.w);
  const b = m.b;
  if (w === null || typeof b !== 'number') return 'a linear model without w and b';
  const lip = norm(Array.from(w, point));
  const exact = (method: string) => (method === 'linear-norm' ? lip : `a linear model's ${method} is not checked`);
  return {
    inputs: w.length,
    outputs: 1,
    values: (x) => [add(point(b), dot(w.length, (i) => w[i], (i) => x[i]))],
    gradient: () => Array.from(w, point),
    exact,
    upper: (method) => exactAsUpper(exact(method)),
  };
}
