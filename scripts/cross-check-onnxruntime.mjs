// Cross-checks the tool's ONNX reader against ONNX Runtime: the example .onnx files evaluated by
// onnxruntime-node (float32) and by the tool's own forward pass (float64 on the same float32 weights) on
// 200 seeded random points; prints the largest difference relative to the outputs' scale.
//
// onnxruntime-node is not a dependency of the project (288 MB; its install script downloads from a host
// outside the npm registry). Install it anywhere with scripts skipped and point ORT at it:
//   npm install --prefix /tmp/ort --ignore-scripts onnxruntime-node@1.30.0
//   ORT=/tmp/ort/node_modules/onnxruntime-node npx tsx scripts/cross-check-onnxruntime.mjs
import { createRequire } from 'node:module';
import { Rng } from '../src/core/rng.ts';
import { readNetworkFile } from '../src/models/formats/read-network.ts';
import { mlpNetwork } from '../src/models/mlp.ts';

if (!process.env.ORT) throw new Error('set ORT to the path of an onnxruntime-node install (see the comment at the top)');
const ort = createRequire(import.meta.url)(process.env.ORT);
const FILES = ['examples/formats/classifier.onnx', 'examples/formats/regressor.onnx', 'examples/mnist-mlp/model.onnx'];
let worstAll = 0;
for (const file of FILES) {
  const net = readNetworkFile(file);
  const n = 200;
  const rng = new Rng(7);
  // inputs float32-exact, so both evaluate the same points
  const X = Float64Array.from({ length: n * net.d }, () => Math.fround(rng.normal()));
  const mine = net.forward(X, n);
  const session = await ort.InferenceSession.create(file);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(X), [n, net.d]) });
  const theirs = out[session.outputNames[0]].data;
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
  console.log(`${file}: ${net.description}; ${n} points x ${net.outputs} outputs; max |tool - onnxruntime| = ${worst.toExponential(2)}, relative to max |f| = ${(worst / scale).toExponential(2)}`);
}
if (!(worstAll < 1e-5)) {
  console.error(`FAIL: a relative difference of ${worstAll.toExponential(2)} is beyond float32 rounding`);
  process.exit(1);
}
console.log('ok: the tool and ONNX Runtime agree to float32 rounding');
