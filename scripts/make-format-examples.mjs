// Makes examples/formats/: two small networks, each in the three formats `--model` reads, holding the same
// float32 weights (so the three files compute the same function):
//   classifier: 4-8-3 relu (3 outputs, a classifier's logits)
//   regressor:  3-6-5-1, tanh then sigmoid (one output)
// as robustlaw-mlp/1 JSON (only relu or tanh hidden layers: the regressor's JSON has no sigmoid, so it is
// written in the two other formats only), a TensorFlow.js LayersModel written by tfjs itself
// (tf.LayersModel.save, through @tensorflow/tfjs-node) and an ONNX model shaped as torch.onnx.export
// writes nn.Sequential(Linear, ReLU, ...) (Gemm with transB = 1, float32 initializers).
// Also examples/formats/regressor-data.{csv,npy,json}: 40 points x in [-1, 1]^3 with labels in [-1, 1], and
// examples/mnist-mlp/model.onnx: the trained 784-50-10 network (scripts/make-mnist-mlp.mjs) in ONNX.
//
// Run: npx tsx scripts/make-format-examples.mjs   (needs @tensorflow/tfjs-node loadable)
import { mkdirSync, writeFileSync } from 'node:fs';
import { Rng } from '../src/core/rng.ts';
import { encodeOnnx } from '../src/models/formats/onnx.ts';
import { mlpNetwork } from '../src/models/mlp.ts';
import { readNetworkFile } from '../src/models/formats/read-network.ts';
import { npyBytes } from '../src/data/npy.ts';

process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
const tf = await import('@tensorflow/tfjs-node');
const OUT = 'examples/formats';
mkdirSync(OUT, { recursive: true });
const rng = new Rng(14);
const f32 = (x) => Math.fround(x);

/** Dense layers of the given widths with float32-exact Gaussian weights (scale 1/sqrt(in)) and biases. */
function layersOf(widths) {
  return widths.slice(1).map((out, l) => {
    const inputs = widths[l];
    const weights = Float64Array.from({ length: out * inputs }, () => f32(rng.normal() / Math.sqrt(inputs)));
    const biases = Float64Array.from({ length: out }, () => f32(0.1 * rng.normal()));
    return { weights, biases, inputs, outputs: out };
  });
}

function writeJson(name, layers, activation) {
  const rows = (L) => Array.from({ length: L.outputs }, (_, r) => Array.from(L.weights.subarray(r * L.inputs, (r + 1) * L.inputs)));
  const json = { format: 'robustlaw-mlp/1', activation, layers: layers.map((L) => ({ weights: rows(L), biases: Array.from(L.biases) })) };
  writeFileSync(`${OUT}/${name}.json`, `${JSON.stringify(json)}\n`);
}

async function writeTfjs(name, layers, activations) {
  const model = tf.sequential();
  layers.forEach((L, l) => model.add(tf.layers.dense({ units: L.outputs, activation: l < activations.length ? activations[l] : 'linear', ...(l === 0 ? { inputShape: [L.inputs] } : {}), name: `dense_${l + 1}` })));
  model.setWeights(layers.flatMap((L) => {
    // Keras kernels are inputs x units
    const K = new Float32Array(L.inputs * L.outputs);
    for (let u = 0; u < L.outputs; u++) for (let c = 0; c < L.inputs; c++) K[c * L.outputs + u] = L.weights[u * L.inputs + c];
    return [tf.tensor2d(K, [L.inputs, L.outputs]), tf.tensor1d(Float32Array.from(L.biases))];
  }));
  mkdirSync(`${OUT}/${name}-tfjs`, { recursive: true });
  await model.save(`file://${OUT}/${name}-tfjs`);
  return model;
}

const classifier = layersOf([4, 8, 3]);
writeJson('classifier', classifier, 'relu');
await writeTfjs('classifier', classifier, ['relu']);
writeFileSync(`${OUT}/classifier.onnx`, encodeOnnx(classifier, ['relu'], 'robustlaw scripts/make-format-examples.mjs'));

const regressor = layersOf([3, 6, 5, 1]);
const regActs = ['tanh', 'sigmoid'];
const tfReg = await writeTfjs('regressor', regressor, regActs);
writeFileSync(`${OUT}/regressor.onnx`, encodeOnnx(regressor, regActs, 'robustlaw scripts/make-format-examples.mjs'));

// data for the regressor: its own outputs, centred and scaled into [-0.8, 0.8], plus noise of variance 0.01
const n = 40;
const X = Float64Array.from({ length: n * 3 }, () => f32(2 * rng.uniform() - 1));
const fx = mlpNetwork(regressor, regActs).forward(X, n);
const tfOut = tfReg.predict(tf.tensor2d(Float32Array.from(X), [n, 3])).dataSync();
let worst = 0;
for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(tfOut[i] - fx[i]));
console.log(`regressor: tfjs and the tool's forward pass agree to ${worst.toExponential(2)} (float32 vs float64)`);
const lo = Math.min(...fx);
const hi = Math.max(...fx);
const y = Float64Array.from(fx, (v) => f32(Math.max(-1, Math.min(1, -0.8 + (1.6 * (v - lo)) / (hi - lo) + 0.1 * rng.normal()))));
const rows = Array.from({ length: n }, (_, i) => [...X.subarray(3 * i, 3 * i + 3), y[i]]);
writeFileSync(`${OUT}/regressor-data.csv`, `x1,x2,x3,y\n${rows.map((r) => r.join(',')).join('\n')}\n`);
writeFileSync(`${OUT}/regressor-data.npy`, npyBytes(Float64Array.from(rows.flat()), [n, 4], 'f8'));
writeFileSync(`${OUT}/regressor-data.json`, `${JSON.stringify({ format: 'robustlaw-data/1', X: rows.map((r) => r.slice(0, 3)), y: Array.from(y), sigma2: 0.01 })}\n`);
console.log(`wrote ${OUT}/`);
const mnist = readNetworkFile('examples/mnist-mlp/model.json');
writeFileSync('examples/mnist-mlp/model.onnx', encodeOnnx(mnist.layers, mnist.activations, 'robustlaw scripts/make-format-examples.mjs (from model.json)'));
console.log('wrote examples/mnist-mlp/model.onnx');
