import { InputError } from '../core/input-error.js';
import type { Rng } from '../core/rng.js';
import { requireInt } from '../core/validate.js';

/** Images in the UCI "Optical Recognition of Handwritten Digits" test set (examples/digits/). */
export const DIGITS_N = 1797;
/** Pixels per image: 8 x 8 blocks, each a count in 0..16. */
export const DIGITS_D = 64;

/** The digits data set: raw pixel counts and the digit each image shows. */
export interface Digits {
  /** n x 64 pixel counts in 0..16, row-major. */
  readonly pixels: Float64Array;
  /** The digit 0..9 of each image. */
  readonly digit: Uint8Array;
  readonly n: number;
  readonly d: number;
}

/**
 * Parses the digits CSV (examples/digits/digits.csv.gz, unzipped): one image a line, 64 integer pixel
 * counts in 0..16 and the digit 0..9, comma-separated, no header. Throws an InputError naming the line
 * and field (context `source`) on anything else.
 */
export function parseDigitsCsv(text: string, source = 'digits.csv'): Digits {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const n = lines.length;
  if (n === 0) throw new InputError('digits', 'a CSV with one image a line', text, { context: source, shown: 'no lines' });
  const pixels = new Float64Array(n * DIGITS_D);
  const digit = new Uint8Array(n);
  lines.forEach((line, i) => {
    const f = line.split(',');
    if (f.length !== DIGITS_D + 1) throw new InputError(`digits line ${i + 1}`, `${DIGITS_D + 1} comma-separated integers`, line, { context: source, shown: `${f.length} fields` });
    f.forEach((s, j) => {
      const v = Number(s);
      const max = j < DIGITS_D ? 16 : 9;
      if (!(Number.isInteger(v) && v >= 0 && v <= max && s.trim() !== '')) throw new InputError(`digits line ${i + 1} field ${j + 1}`, `an integer in [0, ${max}]`, s, { context: source });
      if (j < DIGITS_D) pixels[i * DIGITS_D + j] = v;
      else digit[i] = v;
    });
  });
  return { pixels, digit, n, d: DIGITS_D };
}

/**
 * The images centred and scaled to mean squared norm 1: x_i = (p_i - pbar) / s with
 * s^2 = (1/n) sum_i ||p_i - pbar||^2, the scale of the built-in laws (E ||x||^2 = 1 on the sphere).
 */
export function normaliseImages(pixels: Float64Array, n: number, d: number): Float64Array {
  requireInt('normaliseImages', 'n', n, 2);
  if (pixels.length !== n * d) throw new InputError('pixels', `n x d = ${n * d} values`, pixels, { context: 'normaliseImages', shown: `${pixels.length}` });
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += pixels[i * d + j] / n;
  const X = new Float64Array(n * d);
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = pixels[i * d + j] - mean[j];
      X[i * d + j] = v;
      s2 += (v * v) / n;
    }
  }
  if (!(s2 > 0)) throw new InputError('pixels', 'images that are not all equal', pixels, { context: 'normaliseImages' });
  const s = Math.sqrt(s2);
  for (let i = 0; i < X.length; i++) X[i] /= s;
  return X;
}

/** m distinct indices of 0..n-1 drawn without replacement (a partial Fisher-Yates shuffle of `rng`), in drawn order. */
export function subsampleIndices(n: number, m: number, rng: Rng): Uint32Array {
  requireInt('subsampleIndices', 'm', m, 1, n);
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = rng.int(i, n - 1);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, m);
}

/**
 * Binary labels of the digits in [-1, 1]: the true label y = +1 for digits 5..9 and -1 for 0..4, each
 * flipped independently with probability eta (the `flips` label model of docs/science.md section 2, so
 * sigma^2 = 4 eta (1 - eta)); `random` draws y = +-1 with probability 1/2 each, ignoring the images
 * (sigma^2 = 1).
 */
export function digitLabels(digit: Uint8Array, kind: 'true' | 'random', eta: number, rng: Rng): { y: Float64Array; sigma2: number } {
  const y = new Float64Array(digit.length);
  if (kind === 'random') {
    for (let i = 0; i < y.length; i++) y[i] = rng.uniform() < 0.5 ? -1 : 1;
    return { y, sigma2: 1 };
  }
  if (!(eta >= 0 && eta <= 0.5)) throw new InputError('eta', 'a flip rate in [0, 0.5]', eta, { context: 'digitLabels' });
  for (let i = 0; i < y.length; i++) {
    const clean = digit[i] >= 5 ? 1 : -1;
    y[i] = rng.uniform() < eta ? -clean : clean;
  }
  return { y, sigma2: 4 * eta * (1 - eta) };
}
