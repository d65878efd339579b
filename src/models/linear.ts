import { requireNonNegative } from '../core/validate.js';
import { leastSquares } from '../linalg/min-norm.js';
import { norm2 } from '../linalg/gram.js';
import { upperEnd } from '../linalg/pow2.js';
import { exactEstimate, UNIT_ROUNDOFF, upperEstimate } from '../lipschitz/certificate.js';
import { domainName } from '../lipschitz/domain.js';
import type { FitContext } from './fit-context.js';
import type { FunctionClass } from './function-class.js';
import { finishFit } from './fit-result.js';
import { BOUND_SLACK, gamma, TINY } from './evaluation-error.js';
import { dataRadius, type FitResult, type Model } from './model.js';

/** Options of {@link fitLinear}. */
export interface LinearOptions {
  /** Ridge lambda >= 0 (default 0: min-norm least squares). */
  readonly ridge?: number;
}

/** A linear model with its weights exposed. */
export interface LinearModel extends Model {
  readonly weights: Float64Array;
  readonly bias: number;
}

/**
 * f(x) = w . x + b with p = d + 1 (docs/science.md section 4: min-norm linear interpolation). Lip(f) = ||w||
 * exactly. theta = (w, b), features phi(x) = (x, 1), so J = sup ||phi(x)|| = sqrt(R^2 + 1) on ||x|| <= R.
 */
export function linearModel(w: Float64Array, b: number, radius = 1): LinearModel {
  const d = w.length;
  const theta = norm2(w) ** 2 + b * b;
  return {
    className: 'linear',
    d,
    p: linearParameterCount(d),
    description: `linear f(x) = w.x + b, d = ${d}, ||w|| = ${norm2(w).toPrecision(4)}`,
    W: 2 * Math.sqrt(theta),
    J: Math.sqrt(radius * radius + 1),
    radius,
    smooth: true,
    params: {},
    // Lip(f) = ||w|| on any domain with an interior point (docs/science.md section 3)
    // ||w|| from d squares, their sum and a square root: relative rounding below (d + 2) u
    exactLipschitz: (D) => exactEstimate(norm2(w), domainName(D), 'linear-norm', '||w||_2', {}, (d + 2) * UNIT_ROUNDOFF * norm2(w)),
    // the same norm rounded up (relative (d + 2) u, two subnormal steps where it is subnormal): the computed
    // norm itself was below the true one about half the time
    upperLipschitz: (D) => upperEstimate(upperEnd(norm2(w), (d + 2) * UNIT_ROUNDOFF), domainName(D), 'linear-norm', '||w||_2', { normW: norm2(w) }),
    checkable: () => ({ kind: 'linear', w, b }),
    predict(X, m) {
      const out = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let s = b;
        for (let j = 0; j < d; j++) s += w[j] * X[i * d + j];
        out[i] = s;
      }
      return out;
    },
    // gamma_{d+1} (sum_t |w_t x_t| + |b|) (docs/science.md section 3, "Rounding")
    evaluationError(X, m) {
      const E = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let s = Math.abs(b);
        for (let j = 0; j < d; j++) s += Math.abs(w[j] * X[i * d + j]);
        E[i] = (gamma(d + 1) * s + TINY) * BOUND_SLACK;
      }
      return E;
    },
    gradient(_X, m) {
      const G = new Float64Array(m * d);
      for (let i = 0; i < m; i++) G.set(w, i * d);
      return G;
    },
    weights: w,
    bias: b,
  };
}

/** Fits the min-norm (or ridge) least-squares linear model. */
export function fitLinear(X: Float64Array, n: number, d: number, y: Float64Array, options: LinearOptions, ctx: FitContext): FitResult {
  const t0 = performance.now();
  const ridge = requireNonNegative('fitLinear', 'ridge', options.ridge ?? 0);
  const p = d + 1;
  const Phi = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    Phi.set(X.subarray(i * d, i * d + d), i * p);
    Phi[i * p + d] = 1;
  }
  const sol = leastSquares(Phi, n, p, y, ridge, ctx.solver);
  const model = linearModel(sol.coef.slice(0, d), sol.coef[d], dataRadius(X, n, d));
  const warnings = p < n && ridge === 0 ? [`p = ${p} < n = ${n}: least squares cannot interpolate (ill-posed as an interpolation problem)`] : [];
  return finishFit(model, X, n, y, ctx.sigma2, t0, { condition: sol.condition, jitter: sol.jitter, warnings, details: { method: sol.method, ridge } });
}

/** p = d + 1 (w and b). */
export function linearParameterCount(d: number): number {
  return d + 1;
}

/** The linear class: min-norm (or ridge) least squares, p = d + 1, Lip = ||w|| exactly. */
export const LINEAR: FunctionClass = {
  name: 'linear',
  summary: 'f(x) = w.x + b, min-norm least squares (p = d + 1)',
  reads: ['ridge'],
  parameterCount: ({ d }) => linearParameterCount(d),
  fit: ({ X, n, d, y }, o, ctx) => fitLinear(X, n, d, y, { ridge: o.ridge }, ctx),
};
