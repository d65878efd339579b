/**
 * `npm run example:digits`: rebuilds examples/digits/data.json and examples/digits/net.json from the
 * committed digits file (examples/digits/SOURCE.md): 500 images (seed 17), true labels with 20% flipped,
 * and a 64-512-1 ReLU network trained on them by the project's two-layer fit. Deterministic: the same
 * files on every run (the f64 cpu path).
 * @module
 */
import { writeFileAtomic } from '../core/atomic-write.js';
import { Streams } from '../core/streams.js';
import { fitTwoLayer } from '../models/two-layer.js';
import { digitsSample, readDigits } from './digits-source.js';

/** The example's sizes and seed (examples/digits/SOURCE.md). */
export const DIGITS_EXAMPLE = { n: 500, seed: 17, eta: 0.2, width: 512, maxIter: 5000 } as const;

const rows = (a: Float64Array, r: number, c: number): number[][] => Array.from({ length: r }, (_, i) => Array.from(a.subarray(i * c, (i + 1) * c)));

function main(): void {
  const { n, seed, eta, width, maxIter } = DIGITS_EXAMPLE;
  const s0 = digitsSample(readDigits(), n, seed, eta);
  // The file stores 6 significant digits; the network is trained on exactly what the file holds.
  const s = { ...s0, X: s0.X.map((v) => Number(v.toPrecision(6))) };
  const labels = s.labelSets[0];
  const streams = new Streams(seed);
  // the class's own fit, whose model is a TwoLayerModel (fitClass, for any class, returns a Model)
  const fit = fitTwoLayer(s.X, n, s.d, labels.y, { k: width, activation: 'relu', maxIter }, { init: streams.stream('init/net'), solver: streams.stream('solver/net'), sigma2: labels.sigma2 });
  const net = fit.model.net;
  process.stderr.write(`trained ${net.k} relu units: train MSE ${fit.trainMse.toPrecision(4)} after ${String(fit.details.iterations)} Adam steps (${fit.seconds.toFixed(1)} s)\n`);
  writeFileAtomic(
    'examples/digits/data.json',
    `${JSON.stringify({ format: 'robustlaw-data/1', source: 'examples/digits/SOURCE.md: 500 UCI digits (seed 17), centred and scaled to mean squared norm 1, 6 significant digits; y = +1 for 5..9, -1 for 0..4, 20% flipped', X: rows(s.X, n, s.d), y: Array.from(labels.y), sigma2: labels.sigma2 })}\n`,
  );
  writeFileAtomic(
    'examples/digits/net.json',
    `${JSON.stringify({ format: 'robustlaw-mlp/1', activation: 'relu', source: `examples/digits/SOURCE.md: two-layer fit, ${net.k} relu units, seed ${seed}, train MSE ${fit.trainMse}`, layers: [{ weights: rows(net.W, net.k, net.d), biases: Array.from(net.b) }, { weights: [Array.from(net.a)], biases: [net.c] }] })}\n`,
  );
}

main();
