import { requirePositive } from '../core/validate.js';
import { solveKernel } from '../linalg/min-norm.js';
import { norm2 } from '../linalg/gram.js';
import { scaledProductQuotient, upperEnd } from '../linalg/pow2.js';
import { upperEstimate } from '../lipschitz/certificate.js';
import { domainName } from '../lipschitz/domain.js';
import { bumpsParameterCount } from './bumps.js';
import type { FitContext } from './fit-context.js';
import type { FunctionClass } from './function-class.js';
import { finishFit } from './fit-result.js';
import { BOUND_SLACK, ELEMENTARY, gamma, TINY } from './evaluation-error.js';
import { dataRadius, type FitResult, type Model } from './model.js';

/** Options of {@link fitGaussianKernel}. */
export interface GaussianKernelOptions {
  /** Bandwidth s > 0 (default: half the median pairwise distance). */
  readonly bandwidth?: number;
  /** Ridge lambda >= 0 (default 0: interpolation). */
  readonly ridge?: number;
}

/** A Gaussian kernel sum with its centres, weights and bandwidth exposed. */
export interface GaussianKernelModel extends Model {
  readonly centres: Float64Array;
  readonly alpha: Float64Array;
  readonly bandwidth: number;
}

/**
 * f(x) = sum_i alpha_i exp(-||x - c_i||^2 / (2 s^2)) with centres at the data, p = n (d + 1) (centres and
 * weights). grad f(x) = sum_i alpha_i k(x, c_i) (c_i - x) / s^2. Each term is Lipschitz with constant
 * |alpha_i| e^{-1/2} / s (docs/science.md section 3), so J = sqrt(2n) max(1, rho e^{-1/2} / s) over the parameter ball of radius rho = ||theta|| = W / 2 (derived
 * as for bumps).
 */
export function gaussianKernelModel(centres: Float64Array, alpha: Float64Array, d: number, s: number, radius = 1): GaussianKernelModel {
  const n = alpha.length;
  const inv2s2 = 1 / (2 * s * s);
  const evalAll = (X: Float64Array, m: number, wantGrad: boolean) => {
    const f = new Float64Array(m);
    const G = wantGrad ? new Float64Array(m * d) : f;
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < n; c++) {
        let s2 = 0;
        for (let t = 0; t < d; t++) {
          const v = X[i * d + t] - centres[c * d + t];
          s2 += v * v;
        }
        const kv = alpha[c] * Math.exp(-s2 * inv2s2);
        f[i] += kv;
        if (wantGrad) {
          const coef = kv / (s * s);
          for (let t = 0; t < d; t++) G[i * d + t] += coef * (centres[c * d + t] - X[i * d + t]);
        }
      }
    }
    return wantGrad ? G : f;
  };
  const sumAbs = alpha.reduce((t, a) => t + Math.abs(a), 0);
  // radius of the centred parameter ball that W describes: every weight in it is at most rho
  const rho = Math.sqrt(norm2(centres) ** 2 + norm2(alpha) ** 2);
  return {
    className: 'gaussian-kernel',
    d,
    p: bumpsParameterCount(n, d),
    description: `gaussian-kernel: ${n} centres, bandwidth ${s.toPrecision(4)}, d = ${d}`,
    W: 2 * rho,
    J: Math.sqrt(2 * n) * Math.max(1, (rho * Math.exp(-0.5)) / s),
    radius,
    smooth: true,
    params: { bandwidth: s },
    centres,
    alpha,
    bandwidth: s,
    exactLipschitz: () => null,
    // each term alpha_i exp(-||x - c_i||^2 / (2 s^2)) is |alpha_i| e^{-1/2} / s -Lipschitz
    // rounded up: the sum of n terms (gamma_n), e^{-1/2} (within an ulp), the product and quotient (scale-safe,
    // 2 u); computed plainly it was below the true value about half the time, and 0 for subnormal alpha
    upperLipschitz: (D) => upperEstimate(upperEnd(scaledProductQuotient(sumAbs, Math.exp(-0.5), s), gamma(n + 4)), domainName(D), 'kernel-sum', 'sum |alpha_i| e^{-1/2} / s', { sumAbsAlpha: sumAbs, bandwidth: s }),
    checkable: () => ({ kind: 'gaussian-kernel', d, centres, alpha, bandwidth: s }),
    predict: (X, m) => evalAll(X, m, false),
    // docs/science.md section 3, "Rounding": the exponent a = ||x - c||^2 / (2 s^2) carries relative error
    // gamma_{d+6}; exp(-a^) is off by at most k^ e^{e_a} e_a + ELEMENTARY k^; the sum adds gamma_{n+1} sum |alpha k^|
    evaluationError: (X, m) => {
      const E = new Float64Array(m);
      const ga = gamma(d + 6);
      const gs = gamma(n + 1);
      for (let i = 0; i < m; i++) {
        let err = 0;
        let mag = 0;
        for (let c = 0; c < n; c++) {
          let s2 = 0;
          for (let t = 0; t < d; t++) s2 += (X[i * d + t] - centres[c * d + t]) ** 2;
          const a = s2 * inv2s2;
          const ea = ga * a * (1 + ga);
          const kv = Math.exp(-a);
          err += Math.abs(alpha[c]) * (kv * Math.exp(ea) * ea + ELEMENTARY * kv + TINY);
          mag += Math.abs(alpha[c] * kv);
        }
        E[i] = (err + gs * mag + TINY) * BOUND_SLACK;
      }
      return E;
    },
    gradient: (X, m) => evalAll(X, m, true),
  };
}

/** Kernel interpolation (K + ridge I) alpha = y with K_ij = exp(-||x_i - x_j||^2 / (2 s^2)). */
export function fitGaussianKernel(X: Float64Array, n: number, d: number, y: Float64Array, options: GaussianKernelOptions, ctx: FitContext): FitResult {
  const t0 = performance.now();
  const D2 = new Float64Array(n * n);
  const dists: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s2 = 0;
      for (let t = 0; t < d; t++) {
        const v = X[i * d + t] - X[j * d + t];
        s2 += v * v;
      }
      D2[i * n + j] = s2;
      D2[j * n + i] = s2;
      dists.push(Math.sqrt(s2));
    }
  }
  dists.sort((u, v) => u - v);
  const median = dists.length > 0 ? dists[Math.floor(dists.length / 2)] : 1;
  const s = options.bandwidth === undefined ? median / 2 : requirePositive('fitGaussianKernel', 'bandwidth', options.bandwidth);
  const ridge = options.ridge ?? 0;
  const K = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) K[i] = Math.exp(-D2[i] / (2 * s * s));
  const sol = solveKernel(K, n, y, ridge, ctx.solver);
  const model = gaussianKernelModel(X.slice(), sol.coef, d, s, dataRadius(X, n, d));
  return finishFit(model, X, n, y, ctx.sigma2, t0, { condition: sol.condition, jitter: sol.jitter, details: { method: sol.method, medianDistance: median } });
}

/** Gaussian-kernel interpolation with centres at the data: p = n (d + 1) (centres and weights). */
export const GAUSSIAN_KERNEL: FunctionClass = {
  name: 'gaussian-kernel',
  summary: 'Gaussian-kernel interpolation, centres at the data (p = n (d + 1))',
  reads: ['bandwidth', 'ridge'],
  // squared distances, the kernel matrix and its Cholesky factor (n x n each), and the sorted distances
  workingFloats: ({ n }) => 3 * n * n + (n * (n - 1)) / 2,
  parameterCount: ({ n, d }) => bumpsParameterCount(n, d),
  fit: ({ X, n, d, y }, o, ctx) => fitGaussianKernel(X, n, d, y, { bandwidth: o.bandwidth, ridge: o.ridge }, ctx),
};
