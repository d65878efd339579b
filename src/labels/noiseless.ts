import type { LabelModel } from './label-model.js';
import type { Teacher } from './teacher.js';

/**
 * No noise: y = g(x) for a bounded teacher, sigma^2 = 0. The theorem's premise cannot hold; it is the
 * first counterexample regime (docs/science.md section 5.1).
 */
export function noiseless(teacher: Teacher): LabelModel {
  return {
    name: 'noiseless',
    sigma2: 0,
    params: { amplitude: teacher.amplitude, slope: teacher.slope },
    mean: (X, n, d) => teacher.evaluate(X, n, d),
    sample: (X, n, d) => teacher.evaluate(X, n, d),
  };
}
