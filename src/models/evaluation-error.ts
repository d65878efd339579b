import { norm2 } from '../linalg/gram.js';
import { gamma, UNIT_ROUNDOFF } from '../lipschitz/certificate.js';
import { matmulABt } from '../linalg/matmul.js';
import type { Activation } from '../activations/activation.js';
import type { TwoLayerWeights } from './two-layer-net.js';

/**
 * Rounding-error bounds for evaluating a model in f64: the ingredients every class's
 * `Model.evaluationError` is built from (docs/science.md section 3, "Rounding").
 *
 * A secant |f(a) - f(b)| / ||a - b|| is a lower bound on Lip(f) for the exact f; the harness only has
 * the computed values f^(a), f^(b). With |f^(x) - f(x)| <= E(x) for every x,
 *     |f(a) - f(b)| >= |f^(a) - f^(b)| - E(a) - E(b),
 * so the certified secant subtracts E(a) + E(b): a bound that covers cancellation (large terms of both
 * signs summing to a small value), which a fixed number of ulps of |f^| does not.
 */

/**
 * The Euclidean norms of W's rows (k rows of length d), made once per weight array (a model's weights are
 * not written after it is built). sum_t |w_jt x_t| <= ||w_j|| ||x|| (Cauchy-Schwarz) bounds the absolute
 * sums the error terms need without a second k x d matrix |W| (400 MB at k = 50,000, d = 1,000).
 */
const rowNormCache = new WeakMap<Float64Array, Float64Array>();
function rowNorms(W: Float64Array, k: number, d: number): Float64Array {
  let N = rowNormCache.get(W);
  if (N === undefined) {
    N = new Float64Array(k);
    for (let j = 0; j < k; j++) N[j] = norm2(W.subarray(j * d, j * d + d)) * (1 + gamma(d + 2));
    rowNormCache.set(W, N);
  }
  return N;
}

/** ||x_i|| of each row of X (m x d), raised by their rounding. */
function pointNorms(X: Float64Array, m: number, d: number): Float64Array {
  return Float64Array.from({ length: m }, (_, i) => norm2(X.subarray(i * d, i * d + d)) * (1 + gamma(d + 2)));
}

/** Unit roundoff u = 2^-53. */
const U = UNIT_ROUNDOFF;

/** gamma_k = k u / (1 - k u) (src/lipschitz/certificate.ts). */
export { gamma };

/**
 * Relative error allowed for one activation or profile value (Math.exp, tanh, log1p, cos, sqrt, and
 * softplus's log1p(exp(t)), two of them composed): V8's implementations (fdlibm ports) are within 1 ulp
 * each; the allowance is 8 u, twice the composed worst case, plus an absolute 2^-1060 for results near
 * the subnormal range.
 */
export const ELEMENTARY = 8 * U;
/** Absolute floor added to each elementary-function error. */
export const TINY = 2 ** -1060;

/** The final inflation applied to every error bound: covers the rounding of computing the bound itself. */
export const BOUND_SLACK = 1 + 64 * U;

/**
 * The evaluation error of an activation s at a computed pre-activation z^ whose own error is at most
 * ez: |s^(z^) - s(z)| <= sup |s'| on [|z^| - ez, |z^| + ez] ez + ELEMENTARY |s^(z^)| + a + TINY (a the
 * activation's absolute allowance, Activation.absoluteError).
 */
export function activationError(act: Activation, zHat: number, ez: number, sHat: number): number {
  const slope = ez > 0 ? act.supAbsDf(Math.abs(zHat) + ez) : 0;
  return slope * ez + ELEMENTARY * Math.abs(sHat) + (act.absoluteError ?? 0) + TINY;
}

/**
 * Evaluation error of the two-layer form f(x) = sum_j a_j s(w_j . x + b_j) + c at each row of X (m x d),
 * as computed by twoLayerPredict (docs/science.md section 3, "Rounding"):
 *   e_j = gamma_{d+2} (||w_j|| ||x|| + |b_j|)   (the pre-activation z_j; ||w_j|| ||x|| >= sum_t |w_jt x_t|)
 *   E   = sum_j |a_j| (sup|s'| e_j + ELEMENTARY |s^_j|) + gamma_{k+1} (sum_j |a_j s^_j| + |c|) + TINY,
 * inflated by BOUND_SLACK. One product of the size of the forward pass (X W^T) and W's row norms (cached).
 */
export function twoLayerEvaluationError(net: TwoLayerWeights, X: Float64Array, m: number): Float64Array {
  const { W, b, a, c, k, d, act } = net;
  const Z = matmulABt(X, m, d, W, k);
  const wn = rowNorms(W, k, d);
  const xn = pointNorms(X, m, d);
  const gz = gamma(d + 2);
  const gs = gamma(k + 1);
  const E = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let err = 0;
    let mag = Math.abs(c);
    for (let j = 0; j < k; j++) {
      const z = Z[i * k + j] + b[j];
      // sum_t |w_jt x_t| <= ||w_j|| ||x_i|| (the product's own rounding is inside gamma)
      const ez = gz * (wn[j] * xn[i] * (1 + gz) + Math.abs(b[j]));
      const s = act.f(z);
      const aj = Math.abs(a[j]);
      err += aj * activationError(act, z, ez, s);
      mag += aj * Math.abs(s);
    }
    E[i] = (err + gs * mag + TINY) * BOUND_SLACK;
  }
  return E;
}

/**
 * Evaluation error of an NTK feature model f(x) = scale sum_j s'(w_j . x) (theta_j . x) at each row of X:
 * with e_z, e_t = gamma_{d+1} sum_t |w_jt x_t| (resp. |theta_jt x_t|) the errors of z_j and t_j,
 * the error of s' at z^_j is sup|s''| e_z + ELEMENTARY |s'^| for a smooth s; for an s with kinks
 * (relu: s' jumps at 0) it is the whole |s'| range, 1, where |z^_j| <= e_z (the sign may be wrong)
 * and 0 elsewhere. Each term's error is then (|s'^| + e_s') e_t + |t^| e_s', the sum adds
 * gamma_{k+1} sum |s'^ t^|, and the scale adds 2 u.
 */
export function ntkEvaluationError(W: Float64Array, Theta: Float64Array, k: number, d: number, act: Activation, scale: number, X: Float64Array, m: number): Float64Array {
  const Z = matmulABt(X, m, d, W, k);
  const T = matmulABt(X, m, d, Theta, k);
  const wn = rowNorms(W, k, d);
  const tn = rowNorms(Theta, k, d);
  const xn = pointNorms(X, m, d);
  const g = gamma(d + 1);
  const gs = gamma(k + 1);
  const E = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let err = 0;
    let mag = 0;
    for (let j = 0; j < k; j++) {
      const z = Z[i * k + j];
      const t = T[i * k + j];
      const ez = g * wn[j] * xn[i] * (1 + g);
      const et = g * tn[j] * xn[i] * (1 + g);
      const ds = act.df(z);
      const eds = act.kinks ? (Math.abs(z) <= ez ? 2 * act.supAbsDf(Math.abs(z) + ez) : 0) : act.supAbsD2f(Math.abs(z) + ez) * ez + ELEMENTARY * Math.abs(ds) + TINY;
      err += (Math.abs(ds) + eds) * et + Math.abs(t) * eds;
      mag += Math.abs(ds * t);
    }
    E[i] = Math.abs(scale) * (err + gs * mag + TINY) * (1 + 2 * U) * BOUND_SLACK;
  }
  return E;
}

/** A dense layer as {@link layeredEvaluationError} reads it: W (outputs x inputs, row-major) and b. */
export interface DenseWeights {
  readonly weights: Float64Array;
  readonly biases: Float64Array;
  readonly inputs: number;
  readonly outputs: number;
  /** Entrywise bounds on the stored weights' and biases' distance from the exact network's (absent: exact). */
  readonly weightError?: Float64Array;
  readonly biasError?: Float64Array;
}

/**
 * Evaluation error of the first output of a dense network h_l = s_l(W_l h_{l-1} + b_l), f = W_D h_{D-1} + b_D,
 * at each row of X, by running error propagation (docs/science.md section 3, "Rounding"): with e the
 * error vector of h^_{l-1},
 *   |z^_r - z_r| <= gamma_{in+1} (|b_r| + sum_c |W_rc h^_c|) + sum_c |W_rc| e_c,
 *   e'_r = beta_l |z^_r - z_r| + ELEMENTARY |s(z^_r)| + a_l + TINY       (beta_l = sup |s_l'|, a_l the
 * activation's absolute allowance, Activation.absoluteError: gelu's argument rounding).
 */
export function layeredEvaluationError(layers: readonly DenseWeights[], acts: readonly { readonly s: (t: number) => number; readonly beta: number; readonly absoluteError?: number }[], X: Float64Array, m: number): Float64Array {
  const d = layers[0].inputs;
  const E = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let h: Float64Array = X.slice(i * d, i * d + d);
    let e = new Float64Array(d);
    for (let l = 0; l < layers.length; l++) {
      const L = layers[l];
      const g = gamma(L.inputs + 1);
      const z = new Float64Array(L.outputs);
      const ez = new Float64Array(L.outputs);
      for (let r = 0; r < L.outputs; r++) {
        let s = L.biases[r];
        let mag = Math.abs(L.biases[r]);
        let prop = 0;
        for (let c = 0; c < L.inputs; c++) {
          const w = L.weights[r * L.inputs + c];
          s += w * h[c];
          mag += Math.abs(w * h[c]);
          prop += Math.abs(w) * e[c];
          // the exact network's weight differs by at most E_rc: |E_rc| (|h_c| + e_c) more
          if (L.weightError) prop += L.weightError[r * L.inputs + c] * (Math.abs(h[c]) + e[c]);
        }
        if (L.biasError) prop += L.biasError[r];
        z[r] = s;
        ez[r] = (g * mag + prop) * BOUND_SLACK;
      }
      if (l === layers.length - 1) {
        E[i] = ez[0] + TINY;
        break;
      }
      const act = acts[l];
      h = z.map(act.s);
      const abs = act.absoluteError ?? 0;
      e = ez.map((v, r) => (act.beta * v + ELEMENTARY * Math.abs(h[r]) + abs + TINY) * BOUND_SLACK);
    }
  }
  return E;
}
