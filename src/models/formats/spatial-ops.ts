/**
 * Convolutions, zero padding, average and max pooling of a C x H x W tensor (flattened channel, row, column: the
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

/** The flat indices of the in-range cells of window (i, j) of channel c (padded cells left out). */
export function windowCells(input: Chw, c: number, i: number, j: number, kh: Axis, kw: Axis): number[] {
  const cells: number[] = [];
  for (let p = 0; p < kh.k; p++)
    for (let q = 0; q < kw.k; q++) {
      const y = i * kh.s - kh.before + p * kh.t;
      const x = j * kw.s - kw.before + q * kw.t;
      if (y >= 0 && y < input.h && x >= 0 && x < input.w) cells.push((c * input.h + y) * input.w + x);
    }
  return cells;
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
        const cells = windowCells(input, cc, i, j, kh, kw);
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

/**
 * Max pooling per channel (floor mode; padded cells ignored, as ONNX pads with -Infinity) as dense layers with
 * relu between them, exactly: the window's values play a tournament, max(a, b) = b + relu(a - b) with b carried
 * through the relu as relu(b) - relu(-b) (any sign), an odd one out carried the same way. `layers[0]` reads
 * the block's input, the last layer writes the pooled values; the activations between the layers are relu.
 * `lipschitz` is the block's l2 -> l2 constant bound sqrt(c), c the most windows that share one input cell (1
 * when the windows do not overlap): |max_S x - max_S y| <= max_{s in S} |x_s - y_s|, summed over the windows.
 * Entries are small integers (sums of +-1), so the matrices are exact.
 */
export function maxPoolBlock(input: Chw, kh: Axis, kw: Axis): { layers: DenseMap[]; out: Chw; lipschitz: number } | null {
  const { c: C, h: H, w: W } = input;
  const oh = slideLength(H, kh);
  const ow = slideLength(W, kw);
  const n = C * H * W;
  const cover = new Int32Array(n);
  // each window's values as linear functionals over the current layer's inputs (sparse: index -> coefficient)
  type Lin = Map<number, number>;
  let values: Lin[][] = [];
  for (let cc = 0; cc < C; cc++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const at = windowCells(input, cc, i, j, kh, kw);
        // a window entirely in the padding has no value (ONNX requires pads below the kernel)
        if (at.length === 0) return null;
        for (const a of at) cover[a]++;
        values.push(at.map((a) => new Map([[a, 1]])));
      }
  const layers: DenseMap[] = [];
  let inputs = n;
  const lin = (a: Lin, sa: number, b: Lin | null, sb: number): Lin => {
    const r = new Map<number, number>();
    for (const [k, v] of a) r.set(k, (r.get(k) ?? 0) + sa * v);
    if (b) for (const [k, v] of b) r.set(k, (r.get(k) ?? 0) + sb * v);
    return r;
  };
  while (values.some((v) => v.length > 1) || layers.length === 0) {
    // one level: the units (rows over the current inputs) and each window's new values over the units
    const rows: Lin[] = [];
    const unit = (row: Lin) => rows.push(row) - 1;
    const next: Lin[][] = values.map((cells) => {
      const out: Lin[] = [];
      for (let t = 0; t + 1 < cells.length; t += 2) {
        const [a, b] = [cells[t], cells[t + 1]];
        const d = unit(lin(a, 1, b, -1));
        const bp = unit(lin(b, 1, null, 0));
        const bm = unit(lin(b, -1, null, 0));
        out.push(new Map([[d, 1], [bp, 1], [bm, -1]]));
      }
      if (cells.length % 2 === 1) {
        const c = cells[cells.length - 1];
        out.push(new Map([[unit(lin(c, 1, null, 0)), 1], [unit(lin(c, -1, null, 0)), -1]]));
      }
      return out;
    });
    const weights = new Float64Array(rows.length * inputs);
    rows.forEach((row, r) => row.forEach((v, k) => (weights[r * inputs + k] = v)));
    layers.push({ weights, biases: new Float64Array(rows.length), inputs, outputs: rows.length, out: { c: 0, h: 0, w: 0 } });
    inputs = rows.length;
    values = next;
  }
  // the last layer: each window's value over the last units
  const outputs = values.length;
  const weights = new Float64Array(outputs * inputs);
  values.forEach(([v], r) => v.forEach((x, k) => (weights[r * inputs + k] = x)));
  const out = { c: C, h: oh, w: ow };
  layers.push({ weights, biases: new Float64Array(outputs), inputs, outputs, out });
  return { layers, out, lipschitz: Math.sqrt(Math.max(1, ...cover)) };
}
