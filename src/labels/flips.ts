import { requireClosed } from '../core/validate.js';
import type { LabelModel } from './label-model.js';
import type { Teacher } from './teacher.js';

/**
 * Sign flips of a teacher: s(x) = sign(<u, x>) (sign(0) = +1); y = s(x) with probability 1 - eta and
 * -s(x) with probability eta. E[y|x] = (1 - 2 eta) s(x), Var(y|x) = 4 eta (1 - eta) (docs/science.md section 2).
 * @param eta flip rate in [0, 1]
 */
export function flips(eta: number, teacher: Teacher): LabelModel {
  requireClosed('flips', 'eta', eta, 0, 1);
  const s = (X: Float64Array, n: number, d: number): Float64Array => {
    const t = teacher.project(X, n, d);
    for (let i = 0; i < n; i++) t[i] = t[i] >= 0 ? 1 : -1;
    return t;
  };
  return {
    name: 'flips',
    sigma2: 4 * eta * (1 - eta),
    params: { eta },
    mean(X, n, d) {
      const t = s(X, n, d);
      for (let i = 0; i < n; i++) t[i] *= 1 - 2 * eta;
      return t;
    },
    sample(X, n, d, noise) {
      const t = s(X, n, d);
      for (let i = 0; i < n; i++) if (noise.uniform() < eta) t[i] = -t[i];
      return t;
    },
  };
}
