import { matmulABt, transpose } from '../linalg/matmul.js';
import type { Activation, ActivationName } from '../activations/activation.js';

/** f(x) = sum_j a_j s(w_j . x + b_j) + c: the form shared by random features and two-layer nets. */
export interface TwoLayerWeights {
  /** First layer W, k x d row-major. */
  readonly W: Float64Array;
  /** Biases b, length k. */
  readonly b: Float64Array;
  /** Output weights a, length k. */
  readonly a: Float64Array;
  /** Output bias c. */
  readonly c: number;
  readonly k: number;
  readonly d: number;
  readonly act: Activation<ActivationName>;
}

/** Pre-activations Z = X W^T + b (m x k). */
export function preActivations(net: TwoLayerWeights, X: Float64Array, m: number): Float64Array {
  const Z = matmulABt(X, m, net.d, net.W, net.k);
  for (let i = 0; i < m; i++) for (let j = 0; j < net.k; j++) Z[i * net.k + j] += net.b[j];
  return Z;
}

/** f(x_i) = sum_j a_j s(Z_ij) + c. */
export function twoLayerPredict(net: TwoLayerWeights, X: Float64Array, m: number): Float64Array {
  const Z = preActivations(net, X, m);
  const out = new Float64Array(m);
  const { k, a, act } = net;
  for (let i = 0; i < m; i++) {
    let s = net.c;
    for (let j = 0; j < k; j++) s += a[j] * act.f(Z[i * k + j]);
    out[i] = s;
  }
  return out;
}

/** W^T (d x k) of each net object, made at its first gradient: a net's weights are not written after it is built. */
const transposedW = new WeakMap<TwoLayerWeights, Float64Array>();

/** grad f(x_i) = sum_j a_j s'(Z_ij) w_j (m x d), i.e. (s'(Z) diag(a)) W, as Z' (W^T)^T with W^T cached per net. */
export function twoLayerGradient(net: TwoLayerWeights, X: Float64Array, m: number): Float64Array {
  const Z = preActivations(net, X, m);
  const { k, a, act } = net;
  for (let i = 0; i < m * k; i++) Z[i] = a[i % k] * act.df(Z[i]);
  let Wt = transposedW.get(net);
  if (Wt === undefined) transposedW.set(net, (Wt = transpose(net.W, k, net.d)));
  return matmulABt(Z, m, k, Wt, net.d);
}
