import type { LabelModel } from './label-model.js';

/** Pure noise: y uniform on {-1, +1} independent of x. E[y|x] = 0, sigma^2 = 1 (docs/science.md section 2). */
export function signs(): LabelModel {
  return {
    name: 'signs',
    sigma2: 1,
    params: {},
    mean: (_X, n) => new Float64Array(n),
    sample(_X, n, _d, noise) {
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[i] = noise.sign();
      return y;
    },
  };
}
