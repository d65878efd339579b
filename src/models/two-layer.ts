import { requireInt, requireNonNegative, requireOneOf, requirePositive } from '../core/validate.js';
import { ACTIVATION, type ActivationName } from '../activations/activation.js';
import type { FitContext } from './fit-context.js';
import type { FunctionClass, WidthRule } from './function-class.js';
import { finishFit } from './fit-result.js';
import { dataRadius, type FitResult } from './model.js';
import { twoLayerModel, twoLayerParameterCount, type TwoLayerModel } from './random-features.js';
import { preActivations, type TwoLayerWeights } from './two-layer-net.js';

/** Activations a trained two-layer net may use (1-Lipschitz, so the paper's J applies). */
/** The most Adam iterations a two-layer fit takes (`maxIter`): a budget a machine runs in hours at most; the
 * sweep spec and the CLI take their limit from here. */
export const TWO_LAYER_MAX_ITER = 1_000_000;
export const TWO_LAYER_ACTIVATIONS = ['relu', 'tanh', 'softplus'] as const;

/** Options of {@link fitTwoLayer}. */
export interface TwoLayerOptions {
  /** Neurons k (p = k (d + 2) + 1), default max(8, ceil(4 n / (d + 2))). */
  readonly k?: number;
  /** One of TWO_LAYER_ACTIVATIONS (checked by fitTwoLayer). */
  readonly activation?: ActivationName;
  /** Input-gradient penalty lambda >= 0: loss = MSE + lambda mean_i ||grad_x f(x_i)||^2 (default 0). */
  readonly penalty?: number;
  /** Stop when train MSE <= target (default 1e-3). */
  readonly targetMse?: number;
  /** Iteration budget (default 5000). */
  readonly maxIter?: number;
  /** Adam learning rate (default 0.01). */
  readonly lr?: number;
}

/**
 * Two-layer net f(x) = sum_j a_j s(w_j . x + b_j) + c with ALL weights trained, p = k (d + 2) + 1
 * (docs/science.md sections 1 and 4), by full-batch Adam on the MSE with analytic gradients, optionally with an
 * input-gradient penalty (the smoothness-seeking adversary). Init from the `init` stream:
 * w_j ~ N(0, I_d), b_j = 0, a_j ~ N(0, 1/k), c = 0. Bit-reproducible from the seed: no data-dependent
 * order, no parallel reduction.
 *
 * Penalty gradients, with g_i = sum_j a_j s'(z_ij) w_j and u_ij = g_i . w_j:
 *   dP/da_j = 2 sum_i s'(z_ij) u_ij,  dP/dw_j = 2 sum_i a_j (s'(z_ij) g_i + s''(z_ij) u_ij x_i),
 *   dP/db_j = 2 sum_i a_j s''(z_ij) u_ij   (all times lambda / n).
 * J over the parameter ball of radius rho = ||theta|| and inputs ||x|| <= R (derived by Cauchy-Schwarz):
 *   J = sqrt(1 + k (|s(0)| + rho sqrt(R^2 + 1))^2 + rho^2 (R^2 + 1)).
 */
export function fitTwoLayer(X: Float64Array, n: number, d: number, y: Float64Array, options: TwoLayerOptions, ctx: FitContext): FitResult<TwoLayerModel> {
  const t0 = performance.now();
  const fn = 'fitTwoLayer';
  const k = requireInt(fn, 'k', options.k ?? TWO_LAYER_WIDTH.defaultWidth(n, d), 1);
  const actName = requireOneOf(fn, 'activation', options.activation ?? 'tanh', TWO_LAYER_ACTIVATIONS);
  const lambda = requireNonNegative(fn, 'penalty', options.penalty ?? 0);
  const target = requireNonNegative(fn, 'targetMse', options.targetMse ?? 1e-3);
  const maxIter = requireInt(fn, 'maxIter', options.maxIter ?? 5000, 1, TWO_LAYER_MAX_ITER);
  const lr = requirePositive(fn, 'lr', options.lr ?? 0.01);
  const act = ACTIVATION[actName as ActivationName];

  // Parameter vector layout: [W (k d) | b (k) | a (k) | c (1)].
  const P = k * d + 2 * k + 1;
  const theta = new Float64Array(P);
  const W = theta.subarray(0, k * d);
  const b = theta.subarray(k * d, k * d + k);
  const a = theta.subarray(k * d + k, k * d + 2 * k);
  ctx.init.fillNormal(W);
  ctx.init.fillNormal(a, 1 / Math.sqrt(k));
  const grad = new Float64Array(P);
  const gW = grad.subarray(0, k * d);
  const gb = grad.subarray(k * d, k * d + k);
  const ga = grad.subarray(k * d + k, k * d + 2 * k);
  const m1 = new Float64Array(P);
  const m2 = new Float64Array(P);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const net = (): TwoLayerWeights => ({ W, b, a, c: theta[P - 1], k, d, act });
  const dZ = new Float64Array(n * k);
  const gi = new Float64Array(d);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    const Z = preActivations(net(), X, n);
    grad.fill(0);
    let mse = 0;
    let gc = 0;
    for (let i = 0; i < n; i++) {
      let f = theta[P - 1];
      for (let j = 0; j < k; j++) f += a[j] * act.f(Z[i * k + j]);
      const r = f - y[i];
      mse += r * r;
      const g = (2 * r) / n;
      gc += g;
      for (let j = 0; j < k; j++) {
        const z = Z[i * k + j];
        ga[j] += g * act.f(z);
        dZ[i * k + j] = g * a[j] * act.df(z);
      }
    }
    mse /= n;
    if (mse <= target && lambda === 0) break;
    grad[P - 1] = gc;
    if (lambda > 0) {
      const cst = (2 * lambda) / n;
      for (let i = 0; i < n; i++) {
        gi.fill(0);
        for (let j = 0; j < k; j++) {
          const s1 = a[j] * act.df(Z[i * k + j]);
          if (s1 === 0) continue;
          for (let t = 0; t < d; t++) gi[t] += s1 * W[j * d + t];
        }
        for (let j = 0; j < k; j++) {
          const z = Z[i * k + j];
          let u = 0;
          for (let t = 0; t < d; t++) u += gi[t] * W[j * d + t];
          const s1 = act.df(z);
          const s2 = act.d2f(z);
          ga[j] += cst * s1 * u;
          gb[j] += cst * a[j] * s2 * u;
          const cg = cst * a[j] * s1;
          const cx = cst * a[j] * s2 * u;
          for (let t = 0; t < d; t++) gW[j * d + t] += cg * gi[t] + cx * X[i * d + t];
        }
      }
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        const g = dZ[i * k + j];
        if (g === 0) continue;
        gb[j] += g;
        for (let t = 0; t < d; t++) gW[j * d + t] += g * X[i * d + t];
      }
    }
    const c1 = 1 - beta1 ** (iter + 1);
    const c2 = 1 - beta2 ** (iter + 1);
    for (let q = 0; q < P; q++) {
      m1[q] = beta1 * m1[q] + (1 - beta1) * grad[q];
      m2[q] = beta2 * m2[q] + (1 - beta2) * grad[q] * grad[q];
      theta[q] -= (lr * (m1[q] / c1)) / (Math.sqrt(m2[q] / c2) + 1e-8);
    }
  }
  const radius = dataRadius(X, n, d);
  let rho = 0;
  for (let q = 0; q < P; q++) rho += theta[q] * theta[q];
  rho = Math.sqrt(rho);
  const R2 = radius * radius + 1;
  const J = Math.sqrt(1 + k * (Math.abs(act.f(0)) + rho * Math.sqrt(R2)) ** 2 + rho * rho * R2);
  const final = { W: W.slice(), b: b.slice(), a: a.slice(), c: theta[P - 1], k, d, act };
  const model = twoLayerModel('two-layer', final, radius, theta.slice(), 1, { k, activation: actName, penalty: lambda }, J);
  const warnings: string[] = [];
  if (iter >= maxIter) warnings.push(`iteration budget ${maxIter} exhausted before train MSE <= ${target}`);
  return finishFit(model, X, n, y, ctx.sigma2, t0, { condition: Number.NaN, warnings, details: { iterations: iter, lr, targetMse: target } });
}

const TWO_LAYER_WIDTH: WidthRule = {
  min: 2,
  defaultWidth: (n: number, d: number) => Math.max(8, Math.ceil((4 * n) / (d + 2))),
  forParameters: (p: number, d: number) => Math.max(2, Math.round((p - 1) / (d + 2))),
};

/** Two-layer nets with every weight trained by Adam, optionally with a gradient penalty: p = k (d + 2) + 1. */
export const TWO_LAYER: FunctionClass = {
  name: 'two-layer',
  summary: 'two-layer net, all weights trained by full-batch Adam, optional gradient penalty (p = k (d + 2) + 1)',
  reads: ['k', 'activation', 'penalty', 'targetMse', 'maxIter', 'lr'],
  width: TWO_LAYER_WIDTH,
  activations: TWO_LAYER_ACTIVATIONS,
  workFactor: 20,
  parameterCount: ({ n, d, options }) => twoLayerParameterCount(options.k ?? TWO_LAYER_WIDTH.defaultWidth(n, d), d),
  fit: ({ X, n, d, y }, o, ctx) =>
    fitTwoLayer(X, n, d, y, { k: o.k, activation: o.activation, penalty: o.penalty, targetMse: o.targetMse, maxIter: o.maxIter, lr: o.lr }, ctx),
  savedWith: ['relu', 'tanh'],
};
