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
 * A dense matrix (rows x C H W) with its columns moved between the C x H x W order and the channels-last order:
 * `to` 'channels-last' gives out[r, hwc(c, y, x)] = W[r, chw(c, y, x)] (the first spatial map, whose input is the
 * file's image), 'chw' the reverse (a Dense layer after a Flatten of an image in C x H x W order). Entrywise
 * error bounds move the same way.
 */
export function permuteColumns(W: Float64Array, rows: number, img: Chw, to: 'channels-last' | 'chw'): Float64Array {
  const n = img.c * img.h * img.w;
  const out = new Float64Array(rows * n);
  for (let c = 0; c < img.c; c++)
    for (let y = 0; y < img.h; y++)
      for (let x = 0; x < img.w; x++) {
        const chw = (c * img.h + y) * img.w + x;
        const hwc = hwcIndex(img, c, y, x);
        const [from, into] = to === 'channels-last' ? [chw, hwc] : [hwc, chw];
        for (let r = 0; r < rows; r++) out[r * n + into] = W[r * n + from];
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
