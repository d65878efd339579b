/**
 * TensorFlow.js and Keras images are channels-last (batch x H x W x C, flattened row, column, channel) where
 * the spatial maps (spatial-ops.ts) work on C x H x W. These helpers translate: a kernel's layout, a window's
 * 'valid' or 'same' padding, and the permutation of a dense matrix's columns between the two flat orders (a
 * permutation: exact, and no change to any operator norm).
 * @module
 */
import type { Axis, Chw } from './spatial-ops.js';

/** The flat index of (c, y, x) in the channels-last order (y W + x) C + c. */
const hwcIndex = (img: Chw, c: number, y: number, x: number) => (y * img.w + x) * img.c + c;

/**
 * A dense matrix (rows x C H W, columns in C x H x W order) with its columns moved to the channels-last
 * order: out[r, hwc(c, y, x)] = W[r, chw(c, y, x)]. `error`, an entrywise bound of the same shape, moves with it.
 */
export function columnsToChannelsLast(W: Float64Array, rows: number, img: Chw): Float64Array {
  const n = img.c * img.h * img.w;
  const out = new Float64Array(rows * n);
  for (let c = 0; c < img.c; c++)
    for (let y = 0; y < img.h; y++)
      for (let x = 0; x < img.w; x++) {
        const from = (c * img.h + y) * img.w + x;
        const to = hwcIndex(img, c, y, x);
        for (let r = 0; r < rows; r++) out[r * n + to] = W[r * n + from];
      }
  return out;
}

/**
 * A dense matrix whose columns are in the channels-last order (a Dense layer after a Flatten of an image)
 * with its columns moved to the C x H x W order: out[r, chw(c, y, x)] = W[r, hwc(c, y, x)].
 */
export function columnsFromChannelsLast(W: Float64Array, rows: number, img: Chw): Float64Array {
  const n = img.c * img.h * img.w;
  const out = new Float64Array(rows * n);
  for (let c = 0; c < img.c; c++)
    for (let y = 0; y < img.h; y++)
      for (let x = 0; x < img.w; x++) {
        const to = (c * img.h + y) * img.w + x;
        const from = hwcIndex(img, c, y, x);
        for (let r = 0; r < rows; r++) out[r * n + to] = W[r * n + from];
      }
  return out;
}

/** A Conv2D kernel kH x kW x C x M (TF.js) as M x C x kH x kW (spatial-ops.ts's convDense). */
export function kernelFromHwio(K: Float64Array, kh: number, kw: number, c: number, m: number): Float64Array {
  const out = new Float64Array(K.length);
  for (let p = 0; p < kh; p++)
    for (let q = 0; q < kw; q++)
      for (let i = 0; i < c; i++)
        for (let o = 0; o < m; o++) out[((o * c + i) * kh + p) * kw + q] = K[((p * kw + q) * c + i) * m + o];
  return out;
}

/**
 * One axis of a TF.js window: size k, stride s, dilation t over a length n with padding 'valid' (none) or
 * 'same' (the output ceil(n / s) long: padding max((out - 1) s + (k - 1) t + 1 - n, 0), the smaller half before,
 * as TensorFlow places it).
 */
export function tfAxis(n: number, k: number, s: number, t: number, padding: 'valid' | 'same'): Axis {
  if (padding === 'valid') return { k, s, t, before: 0, after: 0 };
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + (k - 1) * t + 1 - n, 0);
  const before = Math.floor(total / 2);
  return { k, s, t, before, after: total - before };
}
