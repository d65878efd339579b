// Makes examples/digits-cnn/tfjs/: the PyTorch CNN's architecture (scripts/make-torch-cnn.py) as a Keras-style
// functional TF.js model of the shipped 8 x 8 digits (examples/digits/): Input(8, 8, 1) -> Conv2D(4, 3, same,
// relu) -> MaxPooling2D(2) -> Conv2D(8, 3, valid, relu) -> ZeroPadding2D(1) -> AveragePooling2D(2) -> Flatten
// -> Dense(10, softmax), channels-last, trained here and saved by tfjs
// itself (model.save: model.json + weights.bin), and test/fixtures/digits-cnn-tfjs-reference.json: 16 held-out
// images with tfjs's own logits (the reader's forward pass is tested against them). The held-out images are
// examples/digits-cnn/digits-200.npy (the PyTorch CNN's).
// Training: Adam on the softmax cross entropy, seeded initialisers; tfjs's shuffling and threaded kernels need
// not repeat bit for bit, so the committed files are the artifact.
//
// Run: npx tsx scripts/make-digits-cnn-tfjs.mjs   (needs @tensorflow/tfjs-node loadable)
import { mkdirSync, writeFileSync } from 'node:fs';
import { readDigits } from '../src/evidence/digits-source.ts';

process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
const tf = await import('@tensorflow/tfjs-node');
const OUT = 'examples/digits-cnn/tfjs';
const SEED = 2030;
const digits = readDigits();
const n = digits.n;
const X = Float32Array.from(digits.pixels, (v) => v / 16);
const TEST = 200;
const train = n - TEST;

const init = (k) => tf.initializers.heNormal({ seed: SEED + k });
function build(softmax) {
  const input = tf.input({ shape: [8, 8, 1], name: 'image' });
  const c1 = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), name: 'conv1' }).apply(input);
  const p = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(c1);
  const c2 = tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: init(4), name: 'conv2' }).apply(p);
  const z = tf.layers.zeroPadding2d({ padding: 1, name: 'pad' }).apply(c2);
  const a = tf.layers.averagePooling2d({ poolSize: 2, name: 'pool2' }).apply(z);
  const f = tf.layers.flatten({ name: 'flatten' }).apply(a);
  const out = tf.layers.dense({ units: 10, activation: softmax ? 'softmax' : 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: SEED + 5 }), name: 'probs' }).apply(f);
  return tf.model({ inputs: input, outputs: out });
}
const model = build(true);
model.compile({ optimizer: tf.train.adam(3e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const xs = tf.tensor4d(X.subarray(0, train * 64), [train, 8, 8, 1]);
const ys = tf.oneHot(tf.tensor1d(Int32Array.from(digits.digit.subarray(0, train)), 'int32'), 10).toFloat();
const h = await model.fit(xs, ys, { epochs: 30, batchSize: 64, shuffle: true, verbose: 0 });
console.log(`train accuracy ${h.history.acc.at(-1).toFixed(3)}`);
mkdirSync(OUT, { recursive: true });
await model.save(`file://${OUT}`);
const xt = tf.tensor4d(X.subarray(train * 64, n * 64), [TEST, 8, 8, 1]);
const acc = tf.metrics.categoricalAccuracy(tf.oneHot(tf.tensor1d(Int32Array.from(digits.digit.subarray(train)), 'int32'), 10).toFloat(), model.predict(xt)).mean().dataSync()[0];
console.log(`held-out accuracy ${acc.toFixed(3)}`);
const logitsModel = build(false);
logitsModel.setWeights(model.getWeights());
const K = 16;
const x16 = tf.tensor4d(X.subarray(train * 64, (train + K) * 64), [K, 8, 8, 1]);
const reference = {
  source: 'scripts/make-digits-cnn-tfjs.mjs: tfjs-node predict() in float32 on the first 16 rows of examples/digits-cnn/digits-200.npy',
  accuracy: acc,
  inputs: Array.from({ length: K }, (_, i) => Array.from(X.subarray((train + i) * 64, (train + i + 1) * 64))),
  logits: logitsModel.predict(x16).arraySync(),
};
writeFileSync('test/fixtures/digits-cnn-tfjs-reference.json', `${JSON.stringify(reference)}\n`);
console.log(`wrote ${OUT}/model.json, ${OUT}/weights.bin, test/fixtures/digits-cnn-tfjs-reference.json`);
