/**
 * A BatchNormalization layer in inference mode, y = gamma (x - mean) / sqrt(var + eps) + beta, is the affine
 * map y = a x + c per unit (a = gamma / sqrt(var + eps), c = beta - a mean); the readers fold it into the
 * neighbouring dense layer. The fold is computed in f64, so the folded weights carry error bounds that the
 * certificates use (docs/science.md section 3, "Inexact weights").
 * @module
 */
import { gamma as gammaK, UNIT_ROUNDOFF } from '../../lipschitz/certificate.js';
import type { DenseLayer } from '../mlp.js';

const u = UNIT_ROUNDOFF;
const TINY = 4 * Number.MIN_VALUE;

/** The per-unit affine map of a BatchNormalization layer with bounds on its computed a and c. */
export interface BatchNormAffine {
  readonly a: Float64Array;
  readonly c: Float64Array;
  /** |a* - a| <= aError, |c* - c| <= cError entrywise (a*, c* the exact values). */
  readonly aError: Float64Array;
  readonly cError: Float64Array;
}

/**
 * a = gamma / sqrt(var + eps) and c = beta - a mean, with their rounding: var + eps, the root and the
 * quotient round by u, u/2 and u relative (a within 3u of a*, taken as 4u), c = beta - a mean by at most
 * 6 u (|c| + |a mean|). Null where a value is not finite or var + eps is not positive.
 */
export function batchNormAffine(gammas: Float64Array, betas: Float64Array, mean: Float64Array, variance: Float64Array, eps: number): BatchNormAffine | null {
  const n = gammas.length;
  const a = new Float64Array(n);
  const c = new Float64Array(n);
  const aError = new Float64Array(n);
  const cError = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = variance[i] + eps;
    if (!(s > 0) || !Number.isFinite(s)) return null;
    a[i] = gammas[i] / Math.sqrt(s);
    const am = a[i] * mean[i];
    c[i] = betas[i] - am;
    aError[i] = 4 * u * Math.abs(a[i]) + TINY;
    cError[i] = 6 * u * (Math.abs(c[i]) + Math.abs(am)) + Math.abs(mean[i]) * aError[i] + TINY;
    if (!Number.isFinite(a[i]) || !Number.isFinite(c[i]) || !Number.isFinite(cError[i])) return null;
  }
  return { a, c, aError, cError };
}

/**
 * The layer followed by the normalization, y = a (W x + b) + c, as one layer: W' = diag(a) W, b' = a b + c,
 * with error bounds covering a's and c's, the products' and the sums' rounding and the layer's own errors.
 */
export function foldAfter(L: DenseLayer, bn: BatchNormAffine): DenseLayer {
  const { inputs: n, outputs: m } = L;
  const weights = new Float64Array(m * n);
  const weightError = new Float64Array(m * n);
  const biases = new Float64Array(m);
  const biasError = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const a = bn.a[r];
    for (let j = 0; j < n; j++) {
      const w = L.weights[r * n + j];
      weights[r * n + j] = a * w;
      // |a* w* - fl(a w)| <= |w| |a* - a| + u |a w| + |a*| |w* - w|
      weightError[r * n + j] = (Math.abs(w) * bn.aError[r] + u * Math.abs(a * w) + (Math.abs(a) + bn.aError[r]) * (L.weightError?.[r * n + j] ?? 0)) * (1 + 4 * u) + TINY;
    }
    const ab = a * L.biases[r];
    biases[r] = ab + bn.c[r];
    biasError[r] = (Math.abs(L.biases[r]) * bn.aError[r] + u * Math.abs(ab) + bn.cError[r] + u * Math.abs(biases[r]) + (Math.abs(a) + bn.aError[r]) * (L.biasError?.[r] ?? 0)) * (1 + 4 * u) + TINY;
  }
  return { weights, biases, inputs: n, outputs: m, weightError, biasError };
}

/**
 * The normalization followed by the layer, y = W (a x + c) + b, as one layer: W' = W diag(a), b' = b + W c,
 * with error bounds covering a's and c's, the products' and the sums' rounding and the layer's own errors.
 */
export function foldBefore(L: DenseLayer, bn: BatchNormAffine): DenseLayer {
  const { inputs: n, outputs: m } = L;
  const weights = new Float64Array(m * n);
  const weightError = new Float64Array(m * n);
  const biases = new Float64Array(m);
  const biasError = new Float64Array(m);
  const g = gammaK(n + 2);
  for (let r = 0; r < m; r++) {
    let s = L.biases[r];
    let mag = Math.abs(L.biases[r]);
    let err = L.biasError?.[r] ?? 0;
    for (let j = 0; j < n; j++) {
      const w = L.weights[r * n + j];
      const e = L.weightError?.[r * n + j] ?? 0;
      weights[r * n + j] = w * bn.a[j];
      weightError[r * n + j] = (Math.abs(w) * bn.aError[j] + u * Math.abs(w * bn.a[j]) + (Math.abs(bn.a[j]) + bn.aError[j]) * e) * (1 + 4 * u) + TINY;
      const wc = w * bn.c[j];
      s += wc;
      mag += Math.abs(wc);
      // |w* c* - w c| <= |w| |c* - c| + |c*| |w* - w|
      err += Math.abs(w) * bn.cError[j] + (Math.abs(bn.c[j]) + bn.cError[j]) * e;
    }
    biases[r] = s;
    biasError[r] = (err + g * mag) * (1 + 4 * u) + (n + 2) * TINY;
  }
  return { weights, biases, inputs: n, outputs: m, weightError, biasError };
}
