import { requireInt, requireNonNegative, requireOneOf } from '../core/validate.js';
import { matmulABt, transpose } from '../linalg/matmul.js';
import { productUpper, subnormalUp } from '../linalg/pow2.js';
import { leastSquares, solveKernel } from '../linalg/min-norm.js';
import { gram, norm2 } from '../linalg/gram.js';
import { ACTIVATION, ACTIVATIONS, type Activation, type ActivationName } from '../activations/activation.js';
import type { Rng } from '../core/rng.js';
import { spectralNorm } from '../linalg/spectral-norm.js';
import { gamma, UNIT_ROUNDOFF, upperEstimate } from '../lipschitz/certificate.js';
import { quadraticLipschitz, type AffineGradientField } from '../lipschitz/quadratic-trust-region.js';
import { tighterUpper } from '../lipschitz/sdp/network-bounds.js';
import { domainName, withinBall, type Domain } from '../lipschitz/domain.js';
import type { LipEstimate } from '../lipschitz/estimate.js';
import type { FitContext } from './fit-context.js';
import type { FunctionClass, WidthRule } from './function-class.js';
import { finishFit } from './fit-result.js';
import { ntkEvaluationError } from './evaluation-error.js';
import { dataRadius, type FitResult, type Model } from './model.js';

/** Options of {@link fitNtkFeatures}. */
export interface NtkFeaturesOptions {
  /** Number of hidden units k (p = d k), integer >= 1 (default max(2, ceil(4n / d))). */
  readonly k?: number;
  /** Activation s (default square; even activations meet the law). */
  readonly activation?: ActivationName;
  /** Ridge lambda >= 0 (default 0). */
  readonly ridge?: number;
}

/** NTK-feature weights: f(x) = sum_j s'(w_j . x) (theta_j . x) / sqrt(k). */
export interface NtkWeights {
  /** Fixed first layer, k x d. */
  readonly W: Float64Array;
  /** Trained coefficients theta, k x d (theta_j is row j). */
  readonly Theta: Float64Array;
  readonly k: number;
  readonly d: number;
  readonly act: Activation<ActivationName>;
  /** 1 / sqrt(k). */
  readonly scale: number;
}

/** An NTK-features model with its weights exposed. */
export interface NtkModel extends Model {
  readonly ntk: NtkWeights;
}

/**
 * NTK features phi(x) = x (tensor) s'(W x) / sqrt(k), p = d k (docs/science.md section 4), w_j ~ N(0, I_d) from
 * the `init` stream, no bias (the even/odd symmetry matters). Min-norm interpolation through the kernel
 * K(x, x') = (x . x') sum_j s'(w_j . x) s'(w_j . x') / k when p >= n; explicit normal equations otherwise.
 * With an even s (square, cos) the interpolant's Lipschitz constant falls like sqrt(n d / p); with relu
 * or tanh it stays flat (Bombari, Kiyani, Mondelli 2023).
 */
export function fitNtkFeatures(X: Float64Array, n: number, d: number, y: Float64Array, options: NtkFeaturesOptions, ctx: FitContext): FitResult {
  const t0 = performance.now();
  const fn = 'fitNtkFeatures';
  const k = requireInt(fn, 'k', options.k ?? NTK_WIDTH.defaultWidth(n, d), 1);
  const actName = requireOneOf(fn, 'activation', options.activation ?? 'square', ACTIVATIONS);
  const ridge = requireNonNegative(fn, 'ridge', options.ridge ?? 0);
  const act = ACTIVATION[actName];
  const W = ctx.init.fillNormal(new Float64Array(k * d));
  const scale = 1 / Math.sqrt(k);
  const p = d * k;
  const S = matmulABt(X, n, d, W, k); // n x k pre-activations
  for (let i = 0; i < S.length; i++) S[i] = act.df(S[i]);
  let Theta: Float64Array;
  let condition: number;
  let jitter: number;
  let method: string;
  if (p >= n) {
    const Ks = gram(S, n, k);
    const Kx = gram(X, n, d);
    for (let i = 0; i < n * n; i++) Ks[i] *= (Kx[i] * scale * scale);
    const sol = solveKernel(Ks, n, y, ridge, ctx.solver);
    // theta_j = sum_i alpha_i s'(w_j . x_i) x_i / sqrt(k)
    Theta = new Float64Array(k * d);
    for (let i = 0; i < n; i++) {
      const al = sol.coef[i] * scale;
      for (let j = 0; j < k; j++) {
        const c = al * S[i * k + j];
        if (c === 0) continue;
        for (let t = 0; t < d; t++) Theta[j * d + t] += c * X[i * d + t];
      }
    }
    ({ condition, jitter, method } = sol);
  } else {
    const Phi = new Float64Array(n * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) Phi[i * p + j * d + t] = scale * S[i * k + j] * X[i * d + t];
    const sol = leastSquares(Phi, n, p, y, ridge, ctx.solver);
    Theta = sol.coef;
    ({ condition, jitter, method } = sol);
  }
  const radius = dataRadius(X, n, d);
  const model = ntkModel({ W, Theta, k, d, act, scale }, radius, { k, activation: actName, ridge });
  const warnings = p < n && ridge === 0 ? [`p = d k = ${p} < n = ${n}: cannot interpolate`] : [];
  return finishFit(model, X, n, y, ctx.sigma2, t0, { condition, jitter, warnings, details: { method } });
}

/**
 * Wraps NTK weights as a {@link Model}. grad f(x) = sum_j [s''(w_j . x) (theta_j . x) w_j + s'(w_j . x) theta_j] / sqrt(k).
 * J = sup ||phi(x)|| <= R sqrt(sum_j S'_j^2) / sqrt(k), with S'_j = sup |s'| on [-||w_j|| R, ||w_j|| R].
 */
export function ntkModel(ntk: NtkWeights, radius: number, params: Record<string, number | string>): NtkModel {
  const { W, Theta, k, d, act, scale } = ntk;
  let sumS2 = 0;
  for (let j = 0; j < k; j++) {
    let wn = 0;
    for (let t = 0; t < d; t++) wn += W[j * d + t] ** 2;
    sumS2 += act.supAbsDf(Math.sqrt(wn) * radius) ** 2;
  }
  const square = act.name === 'square' ? quadraticLipschitz(() => ntkSquareField(ntk), k * d * d) : null;
  const both = (X: Float64Array, m: number, wantGrad: boolean) => {
    const Z = matmulABt(X, m, d, W, k);
    const T = matmulABt(X, m, d, Theta, k);
    const f = new Float64Array(m);
    const G = wantGrad ? new Float64Array(m * d) : f;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) {
        const z = Z[i * k + j];
        const tx = T[i * k + j];
        s += act.df(z) * tx;
        if (wantGrad) {
          const c1 = scale * act.d2f(z) * tx;
          const c2 = scale * act.df(z);
          for (let t = 0; t < d; t++) G[i * d + t] += c1 * W[j * d + t] + c2 * Theta[j * d + t];
        }
      }
      f[i] = scale * s;
    }
    return wantGrad ? G : f;
  };
  return {
    className: 'ntk-features',
    d,
    p: ntkParameterCount(k, d),
    description: `ntk-features: x (x) ${act.name}'(W x), k = ${k}, p = d k = ${d * k}`,
    W: 2 * norm2(Theta),
    J: radius * scale * Math.sqrt(sumS2),
    radius,
    smooth: !act.kinks,
    params,
    ntk,
    // the square activation makes f quadratic: its exact value on balls by the trust-region certificate
    exactLipschitz: (D) => square?.exact(D) ?? null,
    searchGradient: (kernels) => kernels.residentNtk?.(Float32Array.from(W), Float32Array.from(Theta), k, d, act.name, scale) ?? null,
    upperLipschitz: (D, rng) => tighterUpper(ntkUpper(ntk, D, withinBall(D, radius) ? radius : Number.POSITIVE_INFINITY, rng), square?.upperOnSphere(D) ?? null),
    checkable: () => ({ kind: 'ntk-features', activation: act.name, k, d, W, Theta, scale }),
    predict: (X, m) => both(X, m, false),
    evaluationError: (X, m) => ntkEvaluationError(W, Theta, k, d, act, scale, X, m),
    gradient: (X, m) => both(X, m, true),
  };
}

/**
 * NTK features f = sum_j s'(w_j . x) (theta_j . x) / sqrt(k), grad = sum_j [s''(z_j)(theta_j . x) w_j + s'(z_j) theta_j] / sqrt(k).
 * On ||x|| <= R, with S'_j, S''_j the sups of |s'|, |s''| on [-||w_j|| R, ||w_j|| R] (docs/science.md section 3):
 *   min( ||W||_op sqrt(sum S''_j^2 ||theta_j||^2 R^2) + ||Theta||_op sqrt(sum S'_j^2),
 *        sum_j (S''_j ||theta_j|| R ||w_j|| + S'_j ||theta_j||) ) / sqrt(k).
 * relu: s' jumps, f is discontinuous, no finite bound (Infinity); likewise on an unbounded domain.
 */
function ntkUpper(ntk: NtkWeights, D: Domain, R: number, rng: Rng): LipEstimate | null {
  const { W, Theta, k, d, act, scale } = ntk;
  const name = domainName(D);
  if (act.kinks || !Number.isFinite(R)) {
    return upperEstimate(Number.POSITIVE_INFINITY, name, 'ntk-none', act.kinks ? "relu NTK features are discontinuous (s' jumps)" : 'unbounded domain: |theta_j . x| is unbounded', {});
  }
  // S''_j ||theta_j|| R and S'_j per unit, and the sum bound's terms, each product rounded up without
  // underflow on the way (productUpper): squaring them in place turned ||theta_j|| <= 1e-162 into 0 and
  // dropped the whole ||W|| term (docs/science.md section 3, "Scale safety")
  const aT = new Float64Array(k);
  const bT = new Float64Array(k);
  let sum = 0;
  for (let j = 0; j < k; j++) {
    // the rows' norms scale-safe, rounded up
    const wn = norm2(W.subarray(j * d, j * d + d)) * (1 + (d + 4) * UNIT_ROUNDOFF);
    const tn = norm2(Theta.subarray(j * d, j * d + d)) * (1 + (d + 4) * UNIT_ROUNDOFF);
    const s1 = act.supAbsDf(wn * R * (1 + UNIT_ROUNDOFF));
    const s2 = act.supAbsD2f(wn * R * (1 + UNIT_ROUNDOFF));
    aT[j] = productUpper([s2, tn, R]);
    bT[j] = s1;
    sum += productUpper([s2, tn, R, wn]) + productUpper([s1, tn]);
  }
  // sqrt(sum of squares) scale-safe (norm2, relative (k + 2) u), raised past its own subnormal rounding; it is
  // 0 only when every term is exactly 0
  const root = (v: Float64Array) => subnormalUp(norm2(v) * (1 + (k + 4) * UNIT_ROUNDOFF));
  // an unavailable spectral certificate (not finitely computable) leaves the sum bound; never Infinity * 0
  // the spectral norms' certified upper ends are kept in the terms: the independent checker re-proves them
  const norms: number[] = [];
  const term = (M: Float64Array, weight: number) => {
    const sn = spectralNorm(M, k, d, rng);
    norms.push(sn.upper);
    return weight === 0 ? 0 : sn.available ? productUpper([sn.upper, weight]) : Number.POSITIVE_INFINITY;
  };
  // sums of k terms, products, roots and the scale rounded up (gamma_{k+10} relative, two subnormal steps where
  // they land there): a certificate never rests on a rounding in its favour
  const up = (v: number) => subnormalUp(v * (1 + gamma(k + 10)));
  const spec = up(term(W, root(aT)) + term(Theta, root(bT)));
  const sumUp = up(sum);
  const value = up(productUpper([scale, Math.min(spec, sumUp)]));
  if (!Number.isFinite(value)) return null;
  return upperEstimate(value, name, spec <= sumUp ? 'ntk-spectral' : 'ntk-sum', "min(||W|| sqrt(sum S''^2 ||theta_j||^2 R^2) + ||Theta|| sqrt(sum S'^2), sum (S'' ||theta_j|| R ||w_j|| + S' ||theta_j||)) / sqrt(k)", {
    spectral: up(productUpper([scale, spec])),
    sum: up(productUpper([scale, sumUp])),
    normW: norms[0],
    normTheta: norms[1],
    R,
  });
}

/**
 * The gradient field of NTK features with the square activation (s' (t) = t): f(x) = scale sum_j (w_j . x)
 * (theta_j . x) = x^T M x scale with M = W^T Theta, so grad f(x) = A x with A = scale (M + M^T), g = 0
 * (docs/science.md section 9.7). M by the matrix kernel: |M - M^| <= gamma_k |W|^T |Theta| entrywise, Frobenius
 * at most gamma_k sum_j ||w_j|| ||theta_j||; the sum M + M^T and the product by the double `scale` (the one the
 * model multiplies by) round by 2 u more; plus an absolute 2^-1074 per product for underflow.
 */
export function ntkSquareField(ntk: NtkWeights): AffineGradientField {
  const { W, Theta, k, d, scale } = ntk;
  const M = matmulABt(transpose(W, k, d), d, k, transpose(Theta, k, d), d);
  const A = new Float64Array(d * d);
  for (let r = 0; r < d; r++) for (let c = r; c < d; c++) A[r * d + c] = A[c * d + r] = scale * (M[r * d + c] + M[c * d + r]);
  let sum = 0;
  for (let j = 0; j < k; j++) sum += norm2(W.subarray(j * d, j * d + d)) * norm2(Theta.subarray(j * d, j * d + d));
  const errA = (2 * scale * (gamma(k + 2) * sum * (1 + gamma(d + 4)) + (k + 2) * d * d * Number.MIN_VALUE) + 3 * UNIT_ROUNDOFF * norm2(A)) * (1 + 1e-6);
  return { d, A, g: new Float64Array(d), errA, errG: 0 };
}

/** p = d k: one theta_j in R^d per hidden unit. */
export function ntkParameterCount(k: number, d: number): number {
  return d * k;
}

const NTK_WIDTH: WidthRule = {
  min: 1,
  defaultWidth: (n: number, d: number) => Math.max(2, Math.ceil((4 * n) / d)),
  forParameters: (p: number, d: number) => Math.max(1, Math.round(p / d)),
};

/** NTK features x (tensor) s'(W x) / sqrt(k), min-norm coefficients: p = d k (docs/science.md section 4). */
export const NTK_FEATURES: FunctionClass = {
  name: 'ntk-features',
  summary: "NTK features x (x) s'(W x) / sqrt(k), min-norm coefficients (p = d k)",
  reads: ['k', 'activation', 'ridge'],
  width: NTK_WIDTH,
  activations: ACTIVATIONS,
  parameterCount: ({ n, d, options }) => ntkParameterCount(options.k ?? NTK_WIDTH.defaultWidth(n, d), d),
  fit: ({ X, n, d, y }, o, ctx) => fitNtkFeatures(X, n, d, y, { k: o.k, activation: o.activation, ridge: o.ridge }, ctx),
};
