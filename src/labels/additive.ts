import { InputError } from '../core/input-error.js';
import { requireOneOf, requirePositive } from '../core/validate.js';
import type { LabelModel } from './label-model.js';
import type { Teacher } from './teacher.js';

/** Noise laws of {@link additive}. */
export const ADDITIVE_NOISES = ['uniform', 'rademacher'] as const;

/**
 * Bounded additive noise on a bounded teacher: y = g(x) + z, |g| <= A, z independent of x with mean 0,
 * either uniform on [-a, a] (Var z = a^2 / 3) or +-a (Var z = a^2). sigma^2 = Var(z) (docs/science.md section 2).
 * Rejects A + a > 1, since then |y| <= 1 is not guaranteed.
 * @param a noise amplitude > 0
 */
export function additive(a: number, law: (typeof ADDITIVE_NOISES)[number], teacher: Teacher): LabelModel {
  requirePositive('additive', 'noise', a);
  requireOneOf('additive', 'law', law, ADDITIVE_NOISES);
  if (teacher.amplitude + a > 1) {
    throw new InputError('noise', `at most 1 - the teacher's amplitude ${teacher.amplitude}, so that |y| <= 1`, a, { context: 'additive' });
  }
  return {
    name: 'additive',
    sigma2: law === 'uniform' ? (a * a) / 3 : a * a,
    params: { noise: a, amplitude: teacher.amplitude, slope: teacher.slope },
    mean: (X, n, d) => teacher.evaluate(X, n, d),
    sample(X, n, d, noise) {
      const y = teacher.evaluate(X, n, d);
      for (let i = 0; i < n; i++) y[i] += law === 'uniform' ? a * (2 * noise.uniform() - 1) : a * noise.sign();
      return y;
    },
  };
}
