/**
 * Convolutions, zero padding and average pooling of a C x H x W tensor (flattened channel, row, column: the
 * order of PyTorch's and ONNX's NCHW, and of a Flatten after them), each as the dense matrix of its linear map
 * (docs/science.md section 3, "Convolutional networks"). Every certificate of dense networks then applies as
 * it is: the operator norm of the dense matrix is the convolution's own, computed, not estimated. Sizes stay
 * small for the networks this is meant for (an 8 x 8 digit CNN: at most a few hundred thousand entries).
 * @module
 */
import { UNIT_ROUNDOFF } from '../../lipschitz/certificate.js';

/** A C x H x W tensor's shape. */
export interface Chw {
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

/** A linear or affine map as a dense layer (outputs x inputs, row-major), with entrywise error bounds where an entry is rounded. */
export interface DenseMap {
  readonly weights: Float64Array;
  readonly biases: Float64Array;
  readonly inputs: number;
  readonly outputs: number;
  readonly weightError?: Float64Array;
  readonly out: Chw;
}

/** Geometry of a sliding window along one axis: kernel k, stride s, dilation t, padding before and after. */
export interface Axis {
  readonly k: number;
  readonly s: number;
  readonly t: number;
  readonly before: number;
  readonly after: number;
}

/** Output length of a window sliding over n (floor mode): floor((n + before + after - t (k - 1) - 1) / s) + 1. */
export function slideLength(n: number, a: Axis): number {
  return Math.floor((n + a.before + a.after - a.t * (a.k - 1) - 1) / a.s) + 1;
}

/**
 * A 2-D convolution (groups 1): weights M x C x kH x kW (row-major), bias M (or none), on a C x H x W input:
 * out[m, i, j] = b[m] + sum_{c, p, q} K[m, c, p, q] x[c, i sH - pt + p dH, j sW - pl + q dW] over in-range
 * positions (zero padding). Each dense entry is one kernel weight (a kernel position meets an input pixel
 * once per output pixel), so the matrix is exact.
 */
export function convDense(kernel: Float64Array, m: number, bias: Float64Array | null, input: Chw, kh: Axis, kw: Axis): DenseMap {
  const { c: C, h: H, w: W } = input;
  const oh = slideLength(H, kh);
  const ow = slideLength(W, kw);
  const inputs = C * H * W;
  const outputs = m * oh * ow;
  const weights = new Float64Array(outputs * inputs);
  const biases = new Float64Array(outputs);
  for (let mm = 0; mm < m; mm++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const row = (mm * oh + i) * ow + j;
        biases[row] = bias ? bias[mm] : 0;
        for (let cc = 0; cc < C; cc++)
          for (let p = 0; p < kh.k; p++) {
            const y = i * kh.s - kh.before + p * kh.t;
            if (y < 0 || y >= H) continue;
            for (let q = 0; q < kw.k; q++) {
              const x = j * kw.s - kw.before + q * kw.t;
              if (x < 0 || x >= W) continue;
              weights[row * inputs + (cc * H + y) * W + x] = kernel[((mm * C + cc) * kh.k + p) * kw.k + q];
            }
          }
      }
  return { weights, biases, inputs, outputs, out: { c: m, h: oh, w: ow } };
}

/** Zero padding of a C x H x W tensor by (top, left, bottom, right): a 0/1 selection matrix, exact. */
export function padDense(input: Chw, top: number, left: number, bottom: number, right: number): DenseMap {
  const { c: C, h: H, w: W } = input;
  const h = H + top + bottom;
  const w = W + left + right;
  const inputs = C * H * W;
  const outputs = C * h * w;
  const weights = new Float64Array(outputs * inputs);
  for (let cc = 0; cc < C; cc++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const yy = y + top;
        const xx = x + left;
        if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
        weights[((cc * h + yy) * w + xx) * inputs + (cc * H + y) * W + x] = 1;
      }
  return { weights, biases: new Float64Array(outputs), inputs, outputs, out: { c: C, h, w } };
}

/**
 * Average pooling per channel (floor mode): each output the mean of its window's in-range inputs, divided
 * by the whole window's size when `countPad` (ONNX count_include_pad = 1) and by the in-range count
 * otherwise. 1 / count is exact for a power of two; otherwise each entry carries its rounding, u 1 / count.
 */
export function avgPoolDense(input: Chw, kh: Axis, kw: Axis, countPad: boolean): DenseMap {
  const { c: C, h: H, w: W } = input;
  const oh = slideLength(H, kh);
  const ow = slideLength(W, kw);
  const inputs = C * H * W;
  const outputs = C * oh * ow;
  const weights = new Float64Array(outputs * inputs);
  const weightError = new Float64Array(outputs * inputs);
  let inexact = false;
  for (let cc = 0; cc < C; cc++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const row = (cc * oh + i) * ow + j;
        const cells: number[] = [];
        for (let p = 0; p < kh.k; p++)
          for (let q = 0; q < kw.k; q++) {
            const y = i * kh.s - kh.before + p * kh.t;
            const x = j * kw.s - kw.before + q * kw.t;
            if (y >= 0 && y < H && x >= 0 && x < W) cells.push((cc * H + y) * W + x);
          }
        const count = countPad ? kh.k * kw.k : cells.length;
        if (count === 0) continue;
        const v = 1 / count;
        const exact = Number.isInteger(Math.log2(count));
        for (const col of cells) {
          weights[row * inputs + col] += v;
          if (!exact) {
            weightError[row * inputs + col] += UNIT_ROUNDOFF * v;
            inexact = true;
          }
        }
      }
  return { weights, biases: new Float64Array(outputs), inputs, outputs, ...(inexact ? { weightError } : {}), out: { c: C, h: oh, w: ow } };
}
