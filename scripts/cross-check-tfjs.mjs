// Cross-checks the tool's TF.js LayersModel reader against TensorFlow.js itself: each example model.json
// loaded by tf.loadLayersModel and evaluated by model.predict (float32), and by the tool's forward pass
// (float64 on the same float32 weights), on 200 seeded random points; prints the largest difference
// relative to the outputs' scale, and fails beyond float32 rounding.
//
// Needs @tensorflow/tfjs-node loadable (the optional dependency; npm run setup:tfjs-node):
//   npx tsx scripts/cross-check-tfjs.mjs
import { Rng } from '../src/core/rng.ts';
import { readNetworkFile } from '../src/models/formats/read-network.ts';
import { mlpNetwork } from '../src/models/mlp.ts';

process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
const tf = await import('@tensorflow/tfjs-node');
const FILES = ['examples/formats/classifier-tfjs/model.json', 'examples/formats/regressor-tfjs/model.json', 'examples/mnist-mlp/model.json'];
let worstAll = 0;
for (const file of FILES) {
  const net = readNetworkFile(file);
  const n = 200;
  const rng = new Rng(7);
  const X = Float64Array.from({ length: n * net.d }, () => Math.fround(rng.normal()));
  const mine = net.forward(X, n);
  const model = await tf.loadLayersModel(`file://${file}`);
  const theirs = model.predict(tf.tensor2d(Float32Array.from(X), [n, net.d])).dataSync();
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < mine.length; i++) {
    scale = Math.max(scale, Math.abs(mine[i]));
    worst = Math.max(worst, Math.abs(mine[i] - theirs[i]));
  }
  worstAll = Math.max(worstAll, worst / scale);
  // the comparison can fail: a network with one first-layer bias moved by 1e-3 differs beyond the tolerance
  const [L0, ...rest] = net.layers;
  const moved = mlpNetwork([{ ...L0, biases: L0.biases.map((b, r) => (r === 0 ? b + 1e-3 : b)) }, ...rest], net.activations).forward(X, n);
  const miss = moved.reduce((m, v, i) => Math.max(m, Math.abs(v - theirs[i])), 0) / scale;
  if (!(miss >= 1e-5)) throw new Error(`${file}: a moved bias went unnoticed (${miss})`);
  console.log(`${file}: ${net.description}; ${n} points x ${net.outputs} outputs; max |tool - tfjs| = ${worst.toExponential(2)}, relative to max |f| = ${(worst / scale).toExponential(2)}`);
}
if (!(worstAll < 1e-5)) {
  console.error(`FAIL: a relative difference of ${worstAll.toExponential(2)} is beyond float32 rounding`);
  process.exit(1);
}
console.log('ok: the tool and TensorFlow.js agree to float32 rounding');
