// Makes examples/mnist-mlp/: a 784-50-10 ReLU MLP trained offline on synthetic 28 x 28 digits, saved in the
// TensorFlow.js LayersModel format (model.json + weight shard, as tensorflowjs_converter writes a Keras
// model), and a test sample of the same digits as NumPy .npy (n x 785, float32, last column the class 0..9).
//
// The digits are seven-segment glyphs (0-9) drawn with a random shift, size, slant and stroke width,
// anti-aliased, with pixel noise: made here from a seed, no download. Training: Adam on the softmax cross
// entropy, tfjs-node (the optional native binding; the network is the artifact, and training order and
// initialisation are seeded, though TensorFlow's threaded kernels need not repeat bit for bit).
//
// Run: npx tsx scripts/make-mnist-mlp.mjs   (needs @tensorflow/tfjs-node loadable)
import { mkdirSync, writeFileSync } from 'node:fs';
import { Rng } from '../src/core/rng.ts';

process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
const tf = await import('@tensorflow/tfjs-node');

const OUT = 'examples/mnist-mlp';
const SEED = 2026;
const SIDE = 28;
const D = SIDE * SIDE;

// segments a..g of a seven-segment display in a unit box (x right, y down)
const SEG = {
  a: [0, 0, 1, 0], b: [1, 0, 1, 0.5], c: [1, 0.5, 1, 1], d: [0, 1, 1, 1], e: [0, 0.5, 0, 1], f: [0, 0, 0, 0.5], g: [0, 0.5, 1, 0.5],
};
const DIGITS = ['abcdef', 'bc', 'abged', 'abgcd', 'fgbc', 'afgcd', 'afgedc', 'abc', 'abcdefg', 'abcdfg'];

/** One digit image (784 values in [0, 1]) drawn into out at off. */
function drawDigit(rng, digit, out, off) {
  const w = 9 + 5 * rng.uniform();
  const h = 15 + 5 * rng.uniform();
  const cx = 14 + 4 * (rng.uniform() - 0.5) * 2 * 0.75;
  const cy = 14 + 4 * (rng.uniform() - 0.5) * 2 * 0.75;
  const slant = 0.35 * (rng.uniform() - 0.5);
  const t = 1.1 + 1.2 * rng.uniform();
  const segs = [...DIGITS[digit]].map((s) => {
    const [x0, y0, x1, y1] = SEG[s];
    const map = (x, y) => [cx + (x - 0.5) * w - slant * (y - 0.5) * h, cy + (y - 0.5) * h];
    return [...map(x0, y0), ...map(x1, y1)];
  });
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      const px = c + 0.5;
      const py = r + 0.5;
      let dist = Infinity;
      for (const [x0, y0, x1, y1] of segs) {
        const vx = x1 - x0;
        const vy = y1 - y0;
        const u = Math.max(0, Math.min(1, ((px - x0) * vx + (py - y0) * vy) / (vx * vx + vy * vy)));
        dist = Math.min(dist, Math.hypot(px - x0 - u * vx, py - y0 - u * vy));
      }
      const ink = Math.max(0, Math.min(1, t / 2 + 0.5 - dist));
      out[off + r * SIDE + c] = Math.max(0, Math.min(1, ink + 0.08 * rng.normal()));
    }
  }
}

function makeSet(rng, n) {
  const X = new Float32Array(n * D);
  const y = new Int32Array(n);
  const tmp = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    y[i] = i % 10;
    drawDigit(rng, y[i], tmp, 0);
    X.set(tmp, i * D);
  }
  return { X, y, n };
}

/** A .npy file (format 1.0) of a little-endian float32 matrix. */
function npy(data, rows, cols) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

const rng = new Rng(SEED);
const train = makeSet(rng, 6000);
const test = makeSet(rng, 1000);

const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 50, activation: 'relu', inputShape: [D], kernelInitializer: tf.initializers.glorotUniform({ seed: SEED }), name: 'hidden' }),
    tf.layers.dense({ units: 10, activation: 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: SEED + 1 }), name: 'logits' }),
  ],
});
const optimizer = tf.train.adam(2e-3);
const Xtr = tf.tensor2d(train.X, [train.n, D]);
const Ytr = tf.oneHot(tf.tensor1d(train.y, 'int32'), 10).toFloat();
const order = Array.from({ length: train.n }, (_, i) => i);
const BATCH = 64;
const EPOCHS = 12;
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
  const acc = tf.tidy(() => model.predict(tf.tensor2d(test.X, [test.n, D])).argMax(1).equal(tf.tensor1d(test.y, 'int32')).mean().dataSync()[0]);
  console.log(`epoch ${epoch + 1}: train loss ${(total / train.n).toFixed(4)}, test accuracy ${acc.toFixed(4)}`);
}

mkdirSync(OUT, { recursive: true });
await model.save(`file://${OUT}`);
// 200 test digits with their classes (the last column), 20 of each class
const m = 200;
const rows = new Float32Array(m * (D + 1));
for (let i = 0; i < m; i++) {
  rows.set(test.X.subarray(i * D, i * D + D), i * (D + 1));
  rows[i * (D + 1) + D] = test.y[i];
}
writeFileSync(`${OUT}/digits-200.npy`, npy(rows, m, D + 1));
console.log(`wrote ${OUT}/model.json, ${OUT}/weights.bin, ${OUT}/digits-200.npy`);
