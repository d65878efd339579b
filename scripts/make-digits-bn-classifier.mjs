// Makes examples/digits-bn-classifier/: a Keras-style TF.js classifier of the shipped 8 x 8 digits
// (examples/digits/), Flatten -> Dense(32, relu) -> Dropout(0.2) -> BatchNormalization -> Dense(10, softmax),
// trained here and saved by tfjs itself (model.save: model.json + weights.bin), with
//   - digits-200.npy: 200 held-out images (n x 65 float32, pixels / 16, last column the digit), for check-model;
//   - test/fixtures/digits-bn-classifier-reference.json: 16 of those images with tfjs's own logits and
//     probabilities (the reader's forward pass is tested against them).
// Training: Adam on the softmax cross entropy, seeded initialisers; tfjs's shuffling and threaded kernels need
// not repeat bit for bit, so the committed files are the artifact.
//
// Run: npx tsx scripts/make-digits-bn-classifier.mjs   (needs @tensorflow/tfjs-node loadable)
import { mkdirSync, writeFileSync } from 'node:fs';
import { readDigits } from '../src/evidence/digits-source.ts';
import { npyBytes } from '../src/data/npy.ts';

process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
const tf = await import('@tensorflow/tfjs-node');
const OUT = 'examples/digits-bn-classifier';
const SEED = 2027;
const digits = readDigits();
const n = digits.n;
const X = Float32Array.from(digits.pixels, (v) => v / 16);
const TEST = 200;
const train = n - TEST;

const layers = (softmax) => [
  tf.layers.flatten({ inputShape: [8, 8], name: 'flatten' }),
  tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: SEED }), name: 'hidden' }),
  tf.layers.dropout({ rate: 0.2, seed: SEED, name: 'dropout' }),
  tf.layers.batchNormalization({ name: 'bn' }),
  tf.layers.dense({ units: 10, activation: softmax ? 'softmax' : 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: SEED + 1 }), name: 'probs' }),
];
const model = tf.sequential({ layers: layers(true) });
model.compile({ optimizer: tf.train.adam(3e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const xs = tf.tensor3d(X.subarray(0, train * 64), [train, 8, 8]);
const ys = tf.oneHot(tf.tensor1d(Int32Array.from(digits.digit.subarray(0, train)), 'int32'), 10).toFloat();
const h = await model.fit(xs, ys, { epochs: 25, batchSize: 64, shuffle: true, verbose: 0 });
console.log(`train accuracy ${h.history.acc.at(-1).toFixed(3)}`);
mkdirSync(OUT, { recursive: true });
await model.save(`file://${OUT}`);

// held-out images as .npy (pixels / 16 and the digit)
const rows = new Float64Array(TEST * 65);
for (let i = 0; i < TEST; i++) {
  for (let c = 0; c < 64; c++) rows[i * 65 + c] = X[(train + i) * 64 + c];
  rows[i * 65 + 64] = digits.digit[train + i];
}
writeFileSync(`${OUT}/digits-200.npy`, npyBytes(rows, [TEST, 65], 'f4'));
const xt = tf.tensor3d(X.subarray(train * 64, n * 64), [TEST, 8, 8]);
const acc = tf.metrics.categoricalAccuracy(tf.oneHot(tf.tensor1d(Int32Array.from(digits.digit.subarray(train)), 'int32'), 10).toFloat(), model.predict(xt)).mean().dataSync()[0];
console.log(`held-out accuracy ${acc.toFixed(3)}`);

// the logits: the same layers with a linear output, the same weights
const logitsModel = tf.sequential({ layers: layers(false) });
logitsModel.setWeights(model.getWeights());
const K = 16;
const x16 = tf.tensor3d(X.subarray(train * 64, (train + K) * 64), [K, 8, 8]);
const reference = {
  source: 'scripts/make-digits-bn-classifier.mjs: tfjs-node predict() in float32 on the first 16 rows of digits-200.npy',
  inputs: Array.from({ length: K }, (_, i) => Array.from(X.subarray((train + i) * 64, (train + i + 1) * 64))),
  logits: Array.from({ length: K }, (_, i) => Array.from(logitsModel.predict(x16).arraySync()[i])),
  probabilities: Array.from({ length: K }, (_, i) => Array.from(model.predict(x16).arraySync()[i])),
};
writeFileSync('test/fixtures/digits-bn-classifier-reference.json', `${JSON.stringify(reference)}\n`);
console.log(`wrote ${OUT}/model.json, ${OUT}/weights.bin, ${OUT}/digits-200.npy, test/fixtures/digits-bn-classifier-reference.json`);
