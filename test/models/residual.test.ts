/**
 * Residual blocks y = s + F(s) read from ONNX as dense layers that carry s (docs/science.md section 3, "Residual
 * blocks"): PyTorch exports (test/fixtures/torch-residual-*.json, made by scripts/make-torch-residual.py) against
 * PyTorch's outputs; the certified upper bound against the largest gradient norm PyTorch's autograd found and
 * against TensorFlow.js gradients on random residual nets (fast-check), each with a broken block bound caught.
 */
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { ball } from '../../src/lipschitz/domain.js';
import { encodeOnnx, parseOnnx } from '../../src/models/formats/onnx.js';
import { readNetworkFile } from '../../src/models/formats/read-network.js';
import { parseTfjsLayersModel } from '../../src/models/formats/tfjs-layers.js';
import { savedTfjs } from './saved-tfjs.js';
import { residualLayers } from '../../src/models/formats/residual.js';
import { mlpNetwork, type DenseLayer, type MlpNetwork } from '../../src/models/mlp.js';
import type { NetworkActivation } from '../../src/models/network-activations.js';
import onnxProto from 'onnx-proto';

const onnx = onnxProto.onnx;
const ref = JSON.parse(readFileSync('test/fixtures/torch-residual-reference.json', 'utf8')) as {
  mlp: { inputs: number[][]; outputs: number[][]; ascentGradNorm: number };
  resnet: { inputs: number[][]; logits: number[][] };
};

function gap(net: MlpNetwork, inputs: number[][], outputs: number[][]): number {
  const F = net.forward(Float64Array.from(inputs.flat()), inputs.length);
  let g = 0;
  outputs.forEach((row, i) => row.forEach((v, j) => (g = Math.max(g, Math.abs(F[i * net.outputs + j] - v) / Math.max(1, Math.abs(v))))));
  return g;
}

/** The network with every residual block's bound lowered by 1 (Lip(F) for 1 + Lip(F): the planted fault). */
function withoutTheOne(net: MlpNetwork): MlpNetwork {
  const ids = new Map<object, object>();
  const layers = net.layers.map((L) => {
    if (!L.block?.coversErrors) return L;
    if (!ids.has(L.block.id)) ids.set(L.block.id, {});
    return { ...L, block: { ...L.block, id: ids.get(L.block.id)!, lipschitz: L.block.lipschitz - 1 } };
  });
  expect(ids.size).toBeGreaterThan(0);
  return mlpNetwork(layers, net.activations);
}

const upperOf = (net: MlpNetwork, output = 0) => net.head(Float64Array.from({ length: net.outputs }, (_, i) => (i === output ? 1 : 0)), `output ${output}`).upperLipschitz(ball(1), new Rng(1))!.value;

describe('residual blocks of a functional TF.js model', () => {
  // Input -> Dense(6, relu) -> [Dense(5, relu) -> Dense(6)] + skip -> ReLU -> [ReLU -> Dense(6)] + skip -> Dense(2)
  const build = (seed: number) => {
    const init = (k: number) => tf.initializers.randomNormal({ stddev: 0.6, seed: seed + k });
    const x = tf.input({ shape: [4], name: 'x' });
    const h = tf.layers.dense({ units: 6, activation: 'relu', kernelInitializer: init(1), biasInitializer: init(2), name: 'h' }).apply(x) as tf.SymbolicTensor;
    const f1 = tf.layers.dense({ units: 5, activation: 'relu', kernelInitializer: init(3), biasInitializer: init(4), name: 'f1' }).apply(h) as tf.SymbolicTensor;
    const f2 = tf.layers.dense({ units: 6, kernelInitializer: init(5), name: 'f2' }).apply(f1) as tf.SymbolicTensor;
    const a1 = tf.layers.add({ name: 'add1' }).apply([f2, h]) as tf.SymbolicTensor;
    const r = tf.layers.reLU({ name: 'r' }).apply(a1) as tf.SymbolicTensor;
    const g0 = tf.layers.activation({ activation: 'relu', name: 'pre' }).apply(r) as tf.SymbolicTensor;
    const g1 = tf.layers.dense({ units: 6, kernelInitializer: init(6), name: 'g1' }).apply(g0) as tf.SymbolicTensor;
    const a2 = tf.layers.add({ name: 'add2' }).apply([r, g1]) as tf.SymbolicTensor;
    const y = tf.layers.dense({ units: 2, kernelInitializer: init(7), name: 'y' }).apply(a2) as tf.SymbolicTensor;
    return tf.model({ inputs: x, outputs: y });
  };
  it("computes TF.js's predict, and its upper bound is above TF.js's gradient norms", async () => {
    const model = build(11);
    const { json, shard } = await savedTfjs(model);
    const net = parseTfjsLayersModel(json, () => shard);
    const X = new Rng(2).fillNormal(new Float64Array(10 * 4));
    const want = (model.predict(tf.tensor2d(Float32Array.from(X), [10, 4])) as tf.Tensor).dataSync();
    const got = net.forward(X, 10);
    want.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
    expect(net.p).toBe(model.countParams());
    const upper = upperOf(net);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(model.apply(x) as tf.Tensor, tf.tensor2d([[1, 0]]))));
    const rng = new Rng(3);
    for (let i = 0; i < 40; i++) {
      const x = rng.fillNormal(new Float64Array(4));
      const s = (0.99 * rng.uniform()) / Math.hypot(...x);
      expect(upper).toBeGreaterThanOrEqual(Math.hypot(...g(tf.tensor2d([Array.from(x, (v) => v * s)])).dataSync()) * (1 - 1e-4));
    }
  });
  it('an Add of two unrelated layers (not the one before it) is refused naming the layer', async () => {
    const { json, shard } = await savedTfjs(build(1));
    const layers = (json as { modelTopology: { config: { layers: { name: string; inbound_nodes: unknown[] }[] } } }).modelTopology.config.layers;
    const add = layers.find((l) => l.name === 'add1')!;
    add.inbound_nodes = [[['f1', 0, 0, {}], ['h', 0, 0, {}]]];
    expect(() => parseTfjsLayersModel(json, () => shard)).toThrow(/inbound_nodes must be a chain of layers, each taking the one before it \(no branches but residual blocks ending in an Add\)/);
  });
});

describe('residual blocks from PyTorch exports', () => {
  it("an MLP with a post- and a pre-activation block computes PyTorch's outputs, and its bound is above PyTorch's largest gradient", () => {
    const net = readNetworkFile('test/fixtures/torch-residual-mlp.onnx');
    expect(gap(net, ref.mlp.inputs, ref.mlp.outputs)).toBeLessThan(1e-5);
    // p is the file's: 6 x 8 + 8, 2 (8 x 8 + 8), 8 x 8 + 8, 8 x 3 + 3 (the carried rows add none)
    expect(net.p).toBe(56 + 144 + 72 + 27);
    const upper = upperOf(net);
    expect(upper).toBeGreaterThanOrEqual(ref.mlp.ascentGradNorm);
    // the known bad: the block bound without its 1 goes below what autograd found
    expect(upperOf(withoutTheOne(net))).toBeLessThan(ref.mlp.ascentGradNorm);
  });

  it("a digits ResNet (Conv, Relu, [Conv, BatchNorm folded, Relu, Conv] + x, Relu, MaxPool, Flatten, Gemm) computes PyTorch's logits", () => {
    const net = readNetworkFile('examples/digits-resnet/model.onnx');
    expect(net.d).toBe(64);
    expect(gap(net, ref.resnet.inputs, ref.resnet.logits)).toBeLessThan(1e-5);
    expect(net.p).toBe(40 + 2 * 148 + 650);
  });

  it('a branch through tanh is refused naming the Add and why; so is an Add of values of two shapes', () => {
    const layers: DenseLayer[] = [
      { weights: Float64Array.of(1, 0, 0, 1), biases: Float64Array.of(0, 0), inputs: 2, outputs: 2 },
      { weights: Float64Array.of(1, 2, 3, 4), biases: Float64Array.of(0, 0), inputs: 2, outputs: 2 },
      { weights: Float64Array.of(1, -1), biases: Float64Array.of(0), inputs: 2, outputs: 1 },
    ];
    const model = onnx.ModelProto.decode(encodeOnnx(layers, ['relu', 'tanh']));
    const nodes = model.graph!.node!;
    // y = h + tanh(W2 h) in place of tanh(W2 h): an Add of the tanh's output and the relu's
    const tanhOut = nodes[3].output![0];
    nodes.splice(4, 0, onnx.NodeProto.create({ name: '/res/Add', opType: 'Add', input: [tanhOut, nodes[1].output![0]], output: ['sum'] }));
    nodes[5].input![0] = 'sum';
    expect(() => parseOnnx(onnx.ModelProto.encode(model).finish(), 'm.onnx')).toThrow(/graph\.node\[4\] \(Add "\/res\/Add"\) must be relu or no activation inside a residual branch \(got tanh: s cannot pass it unchanged\)/);
  });
});

// random residual nets x -> W0 x -> relu -> s + W2 relu(W1 s + b1) + b2 -> relu -> c^T (...): our layers, and TF.js ops
const resArb = fc.record({ seed: fc.integer({ min: 1, max: 10_000 }), width: fc.integer({ min: 2, max: 6 }), hidden: fc.integer({ min: 1, max: 6 }), scale: fc.constantFrom(0.1, 0.5, 1.5) });
function resNet(p: { seed: number; width: number; hidden: number; scale: number }) {
  const rng = new Rng(p.seed);
  const d = 4;
  const lay = (o: number, i: number, s: number): DenseLayer => ({ weights: rng.fillNormal(new Float64Array(o * i), s / Math.sqrt(i)), biases: rng.fillNormal(new Float64Array(o), 0.1), inputs: i, outputs: o });
  const L0 = lay(p.width, d, 1);
  const W1 = lay(p.hidden, p.width, p.scale);
  const W2 = lay(p.width, p.hidden, p.scale);
  const Lc = lay(1, p.width, 1);
  const block = residualLayers({ layers: [W1, W2], acts: ['relu'], final: null }, p.width);
  if (typeof block === 'string') throw new Error(block);
  const net = mlpNetwork([L0, ...block.layers, Lc], ['relu', ...block.acts, 'relu'] as NetworkActivation[]);
  const t = (L: DenseLayer) => [tf.tensor2d(Float32Array.from(L.weights), [L.outputs, L.inputs]), tf.tensor1d(Float32Array.from(L.biases))] as const;
  const aff = (x: tf.Tensor, L: DenseLayer) => {
    const [W, b] = t(L);
    return tf.add(tf.matMul(x as tf.Tensor2D, W, false, true), b);
  };
  const f = (x: tf.Tensor) => {
    const s = tf.relu(aff(x, L0));
    const y = tf.add(s, aff(tf.relu(aff(s, W1)), W2));
    return tf.sum(aff(tf.relu(y), Lc));
  };
  return { net, f, d };
}

describe('upper bounds of residual nets never undercut TF.js autograd gradients', () => {
  const check = (p: { seed: number; width: number; hidden: number; scale: number }, bad = false) => {
    const { net, f, d } = resNet(p);
    const upper = upperOf(bad ? withoutTheOne(net) : net);
    const g = tf.grad(f);
    const rng = new Rng(p.seed + 1);
    let best = 0;
    for (let i = 0; i < 60; i++) {
      const x = rng.fillNormal(new Float64Array(d));
      const s = (0.99 * rng.uniform()) / Math.hypot(...x);
      best = Math.max(best, Math.hypot(...g(tf.tensor2d([Array.from(x, (v) => v * s)])).dataSync()));
    }
    expect(upper, JSON.stringify({ p, best, upper })).toBeGreaterThanOrEqual(best * (1 - 1e-4));
  };
  test.prop([resArb], { numRuns: 10 })('carried layers with the block bound 1 + Lip(F)', (p) => check(p));
  it('the block bound without its 1 is caught on a block of small weights (the known bad input)', () => {
    expect(() => check({ seed: 3, width: 4, hidden: 4, scale: 0.1 }, true)).toThrow();
  });
  it('the carried layers compute s + F(s) exactly (their entries are 0 and +-1)', () => {
    const { net } = resNet({ seed: 5, width: 3, hidden: 2, scale: 1 });
    for (const L of net.layers.slice(1, 3)) expect(L.weightError).toBeUndefined();
  });
});
