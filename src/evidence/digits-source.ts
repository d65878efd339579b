import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Streams } from '../core/streams.js';
import { digitLabels, normaliseImages, parseDigitsCsv, subsampleIndices, type Digits } from '../data/digits.js';
import type { LabelSet } from './real-data-study.js';

/** The committed digits file (examples/digits/SOURCE.md says where it comes from and its licence). */
export const DIGITS_FILE = 'examples/digits/digits.csv.gz';

/** Reads and parses the committed digits file (gzip-compressed CSV). */
export function readDigits(path = DIGITS_FILE): Digits {
  return parseDigitsCsv(gunzipSync(readFileSync(path)).toString('utf8'), path);
}

/** A seeded subsample of the digits, normalised over all images, with its true and random labellings. */
export interface DigitsSample {
  /** n x 64, centred and scaled to mean squared norm 1 over all 1797 images. */
  readonly X: Float64Array;
  readonly n: number;
  readonly d: number;
  /** Indices into the file (0-based), in drawn order. */
  readonly rows: Uint32Array;
  readonly digit: Uint8Array;
  /** `true` (5..9 vs 0..4, a share eta flipped) and `random` (independent signs). */
  readonly labelSets: readonly LabelSet[];
}

/**
 * n images drawn without replacement from the `data` stream of `seed`, their true labels with a share
 * `eta` flipped (the `noise/true` stream) and random signs (the `noise/random` stream).
 */
export function digitsSample(all: Digits, n: number, seed: number, eta: number): DigitsSample {
  const Xall = normaliseImages(all.pixels, all.n, all.d);
  const streams = new Streams(seed);
  const rows = subsampleIndices(all.n, n, streams.stream('data'));
  const d = all.d;
  const X = new Float64Array(n * d);
  const digit = new Uint8Array(n);
  rows.forEach((r, i) => {
    X.set(Xall.subarray(r * d, (r + 1) * d), i * d);
    digit[i] = all.digit[r];
  });
  const t = digitLabels(digit, 'true', eta, streams.stream('noise/true'));
  const rnd = digitLabels(digit, 'random', 0, streams.stream('noise/random'));
  return { X, n, d, rows, digit, labelSets: [{ name: 'true', ...t }, { name: 'random', ...rnd }] };
}
