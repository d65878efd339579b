import { requireInt, requireNonNegative, requireOneOf } from '../core/validate.js';
import { leastSquares } from '../linalg/min-norm.js';
import { norm2 } from '../linalg/gram.js';
import { ACTIVATION, ACTIVATIONS, type ActivationName } from '../activations/activation.js';
import type { FitContext } from './fit-context.js';
import type { FunctionClass, WidthRule } from './function-class.js';
import { twoLayerExact, twoLayerSquareField, twoLayerUpper } from './two-layer-lipschitz.js';
import { quadraticLipschitz } from '../lipschitz/quadratic-trust-region.js';
import { tighterUpper } from '../lipschitz/sdp/network-bounds.js';
import { finishFit } from './fit-result.js';
import { twoLayerEvaluationError } from './evaluation-error.js';
import { dataRadius, type FitResult, type Model } from './model.js';
import { preActivations, twoLayerGradient, twoLayerPredict, type TwoLayerWeights } from './two-layer-net.js';

/** Options of {@link fitRandomFeatures}. */
export interface RandomFeaturesOptions {
  /** Number of features k = p, integer >= 1 (default 4n). */
  readonly k?: number;
  /** Activation (default relu). */
  readonly activation?: ActivationName;
  /** Ridge lambda >= 0 (default 0: min-norm interpolation when k >= n). */
  readonly ridge?: number;
}

/** A model in the two-layer form, with its weights exposed for the Lipschitz upper bounds. */
export interface TwoLayerModel extends Model {
  readonly net: TwoLayerWeights;
}

/**
 * Random features f(x) = sum_j theta_j s(w_j . x + b_j) / sqrt(k), p = k (docs/science.md section 4): first
 * layer fixed, w_j ~ N(0, I_d), b_j ~ N(0, 1), drawn from the `init` stream; output weights trained by
 * min-norm least squares. NOT tight for the law: Lip plateaus near sqrt(n) (Bombari et al. 2023).
 * J = sqrt(sum_j S_j^2) / sqrt(k) with S_j = sup |s| on [-(||w_j|| R + |b_j|), ||w_j|| R + |b_j|].
 */
export function fitRandomFeatures(X: Float64Array, n: number, d: number, y: Float64Array, options: RandomFeaturesOptions, ctx: FitContext): FitResult {
  const t0 = performance.now();
  const fn = 'fitRandomFeatures';
  const k = requireInt(fn, 'k', options.k ?? RANDOM_FEATURES_WIDTH.defaultWidth(n, d), 1);
  const actName = requireOneOf(fn, 'activation', options.activation ?? 'relu', ACTIVATIONS);
  const ridge = requireNonNegative(fn, 'ridge', options.ridge ?? 0);
  const act = ACTIVATION[actName];
  const W = ctx.init.fillNormal(new Float64Array(k * d));
  const b = ctx.init.fillNormal(new Float64Array(k));
  const scale = 1 / Math.sqrt(k);
  const proto: TwoLayerWeights = { W, b, a: new Float64Array(k), c: 0, k, d, act };
  // s(X W^T + b) is kept: the model's predictions at the data are sum_j a_j s(z_ij) in this same order
  // (twoLayerPredict), so the training error needs no second feature map (bit-identical to predict)
  const S = preActivations(proto, X, n);
  const Phi = new Float64Array(S.length);
  const f = act.f;
  for (let i = 0; i < S.length; i++) {
    const s = f(S[i]);
    S[i] = s;
    Phi[i] = scale * s;
  }
  const sol = leastSquares(Phi, n, k, y, ridge, ctx.solver);
  const a = sol.coef.map((t) => t * scale);
  const predictions = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < k; j++) f += a[j] * S[i * k + j];
    predictions[i] = f;
  }
  const radius = dataRadius(X, n, d);
  const model = twoLayerModel('random-features', { W, b, a, c: 0, k, d, act }, radius, sol.coef, scale, { k, activation: actName, ridge });
  const warnings = k < n && ridge === 0 ? [`k = ${k} < n = ${n}: cannot interpolate (least squares on too few features)`] : [];
  return finishFit(model, X, n, y, ctx.sigma2, t0, { condition: sol.condition, jitter: sol.jitter, warnings, details: { method: sol.method }, predictions });
}

/**
 * Wraps two-layer weights as a {@link Model}. `theta` is the trained parameter vector used for W (its
 * diameter bound); J is computed for the linear-in-theta parametrisation theta -> sum theta_j scale s(.).
 */
export function twoLayerModel(
  className: 'random-features' | 'two-layer',
  net: TwoLayerWeights,
  radius: number,
  theta: Float64Array,
  featureScale: number,
  params: Record<string, number | string>,
  J?: number,
): TwoLayerModel {
  let sumS2 = 0;
  for (let j = 0; j < net.k; j++) {
    let wn = 0;
    for (let t = 0; t < net.d; t++) wn += net.W[j * net.d + t] ** 2;
    sumS2 += net.act.supAbs(Math.sqrt(wn) * radius + Math.abs(net.b[j])) ** 2;
  }
  const p = className === 'random-features' ? randomFeaturesParameterCount(net.k) : twoLayerParameterCount(net.k, net.d);
  const square = net.act.name === 'square' ? quadraticLipschitz(() => twoLayerSquareField(net), net.k * net.d * net.d) : null;
  return {
    className,
    d: net.d,
    p,
    description: `${className}: ${net.k} ${net.act.name} units in d = ${net.d}${className === 'random-features' ? ' (first layer fixed)' : ''}`,
    W: 2 * norm2(theta),
    J: J ?? featureScale * Math.sqrt(sumS2),
    radius,
    smooth: !net.act.kinks,
    params,
    net,
    // the square activation makes f quadratic: its exact value on balls by the trust-region certificate
    exactLipschitz: (D) => square?.exact(D) ?? twoLayerExact(net, D),
    searchGradient: (kernels) => kernels.residentTwoLayer?.(Float32Array.from(net.W), Float32Array.from(net.b), Float32Array.from(net.a), net.k, net.d, net.act.name) ?? null,
    upperLipschitz: (D, rng) => tighterUpper(twoLayerUpper(net, D, radius, rng), square?.upperOnSphere(D) ?? null),
    // f(x) = a . s(W x + b) + c: two dense layers
    network: () => ({ layers: [{ weights: net.W, biases: net.b, inputs: net.d, outputs: net.k }, { weights: net.a, biases: Float64Array.of(net.c), inputs: net.k, outputs: 1 }], activation: net.act.name }),
    checkable: () => ({ kind: 'network', activation: net.act.name, layers: [{ weights: net.W, biases: net.b, inputs: net.d, outputs: net.k }, { weights: net.a, biases: Float64Array.of(net.c), inputs: net.k, outputs: 1 }] }),
    predict: (X, m) => twoLayerPredict(net, X, m),
    evaluationError: (X, m) => twoLayerEvaluationError(net, X, m),
    gradient: (X, m) => twoLayerGradient(net, X, m),
  };
}

/** p = k: only the output weights are parameters (the first layer is fixed). */
export function randomFeaturesParameterCount(k: number): number {
  return k;
}

/** p = k (d + 2) + 1: W (k d), b (k), a (k) and c. */
export function twoLayerParameterCount(k: number, d: number): number {
  return k * (d + 2) + 1;
}

const RANDOM_FEATURES_WIDTH: WidthRule = {
  min: 1,
  defaultWidth: (n: number) => 4 * n,
  forParameters: (p: number) => Math.max(1, Math.round(p)),
};

/** Random features, min-norm output weights: p = k (docs/science.md section 4). */
export const RANDOM_FEATURES: FunctionClass = {
  name: 'random-features',
  summary: 'random features s(w.x + b) / sqrt(k), first layer fixed, min-norm output weights (p = k)',
  reads: ['k', 'activation', 'ridge'],
  width: RANDOM_FEATURES_WIDTH,
  activations: ACTIVATIONS,
  parameterCount: ({ n, d, options }) => randomFeaturesParameterCount(options.k ?? RANDOM_FEATURES_WIDTH.defaultWidth(n, d)),
  fit: ({ X, n, d, y }, o, ctx) => fitRandomFeatures(X, n, d, y, { k: o.k, activation: o.activation, ridge: o.ridge }, ctx),
  savedWith: ['relu', 'tanh'],
};
