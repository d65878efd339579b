/**
 * Leaky relu, elu and gelu in networks read from files (docs/science.md, "Activations of networks"): a
 * PyTorch export (LeakyReLU, ELU, GELU decomposed as PyTorch writes it) against PyTorch's own outputs
 * (test/fixtures/torch-activations-reference.json, made by scripts/make-torch-activations.py), a TF.js
 * Sequential (LeakyReLU and ELU layers, Dense 'gelu' and 'elu') saved by TensorFlow.js against its own
 * predict, and the certified upper bound of such networks against gradient norms that TensorFlow.js's autograd
 * finds, with a deliberately broken bound shown to fail.
 */
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { savedTfjs } from './saved-tfjs.js';
import { Rng } from '../../src/core/rng.js';
import { ball } from '../../src/lipschitz/domain.js';
import { encodeOnnx, parseOnnx } from '../../src/models/formats/onnx.js';
import { readNetworkFile } from '../../src/models/formats/read-network.js';
import { parseTfjsLayersModel } from '../../src/models/formats/tfjs-layers.js';
import { mlpNetwork, type DenseLayer, type MlpNetwork } from '../../src/models/mlp.js';


/** The largest relative gap between the read network's outputs and the framework's. */
function gap(net: MlpNetwork, inputs: number[][], outputs: number[][]): number {
  const m = net.outputs;
  const F = net.forward(Float64Array.from(inputs.flat()), inputs.length);
  let g = 0;
  outputs.forEach((row, i) => row.forEach((v, j) => (g = Math.max(g, Math.abs(F[i * m + j] - v) / Math.max(1, Math.abs(v))))));
  return g;
}

function tfjsModel(seed: number, scale: number): tf.Sequential {
  const init = (s: number) => tf.initializers.randomNormal({ stddev: scale, seed: seed + s });
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 7, inputShape: [4], kernelInitializer: init(1), biasInitializer: init(2) }));
  model.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  model.add(tf.layers.dense({ units: 6, activation: 'gelu', kernelInitializer: init(3), biasInitializer: init(4) }));
  model.add(tf.layers.dense({ units: 5, activation: 'elu', kernelInitializer: init(5), biasInitializer: init(6) }));
  model.add(tf.layers.dense({ units: 5, kernelInitializer: init(7) }));
  model.add(tf.layers.elu());
  model.add(tf.layers.dense({ units: 1, kernelInitializer: init(8) }));
  return model;
}

describe('networks with leaky relu, elu and gelu, read as their exporters write them', () => {
  it("a PyTorch export (opset 13: LeakyRelu, Elu, gelu as Div, Erf, Add, Mul, Mul) computes PyTorch's outputs (float32 there: within 1e-5)", () => {
    const ref = JSON.parse(readFileSync('test/fixtures/torch-activations-reference.json', 'utf8')) as { inputs: number[][]; outputs: number[][] };
    const net = readNetworkFile('test/fixtures/torch-activations.onnx');
    // the file's float32 alphas; the gelu's sqrt 2 moved into the layers around it
    expect(net.activations).toEqual([`leaky-relu(${Math.fround(0.01)})`, 'elu(0.5)', 'gelu']);
    expect(net.p).toBe(6 * 8 + 8 + 2 * (8 * 8 + 8) + 8 * 3 + 3);
    expect(gap(net, ref.inputs, ref.outputs)).toBeLessThan(1e-5);
    // the known bad reading: gelu taken as relu misses PyTorch's outputs
    const bytes = readFileSync('test/fixtures/torch-activations.onnx');
    const asRelu = mlpNetwork(net.layers, [net.activations[0], net.activations[1], 'relu']);
    expect(gap(asRelu, ref.inputs, ref.outputs)).toBeGreaterThan(1e-3);
    expect(parseOnnx(bytes).activations).toEqual(net.activations);
  });

  it('a gelu whose constants are not those of the pattern is refused, naming the node', () => {
    const layers: DenseLayer[] = [
      { weights: Float64Array.of(1, 2, 3, 4), biases: Float64Array.of(0, 1), inputs: 2, outputs: 2 },
      { weights: Float64Array.of(1, -1), biases: Float64Array.of(0), inputs: 2, outputs: 1 },
    ];
    const good = encodeOnnx(layers, ['gelu']);
    expect(parseOnnx(good).activations).toEqual(['gelu']);
    // the Add of 1 made an Add of 2 (float32 2 = 0x40000000; 1 = 0x3f800000): not a gelu
    const bad = Buffer.from(good);
    const one = Buffer.from(Float32Array.of(1).buffer);
    const at = bad.indexOf(one);
    expect(at).toBeGreaterThan(0);
    Buffer.from(Float32Array.of(2).buffer).copy(bad, at);
    expect(() => parseOnnx(bad)).toThrow(/graph\.node\[\d+\] \(Div "\/act0\/Div"\).*Erf/);
  });

  it('a TF.js Sequential (Dense, LeakyReLU, Dense gelu, Dense elu, Dense, ELU, Dense) saved by TensorFlow.js computes its predict (within 1e-5)', async () => {
    const model = tfjsModel(3, 0.8);
    const { json, shard } = await savedTfjs(model);
    const net = parseTfjsLayersModel(json, () => shard);
    expect(net.activations).toEqual([`leaky-relu(${0.2})`, 'gelu', 'elu(1)', 'elu(1)']);
    const X = new Rng(5).fillNormal(new Float64Array(12 * 4));
    const inputs = Array.from({ length: 12 }, (_, i) => Array.from(X.subarray(4 * i, 4 * i + 4)));
    const outputs = (model.predict(tf.tensor2d(inputs)) as tf.Tensor).arraySync() as number[][];
    expect(gap(net, inputs, outputs)).toBeLessThan(1e-5);
  });

  it('refuses a ReLU with a cap and an ELU without a positive alpha, naming the layer', async () => {
    const { json, shard } = await savedTfjs(tfjsModel(1, 1));
    const layers = (json as { modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } }).modelTopology.config.layers;
    layers[1] = { class_name: 'ReLU', config: { max_value: 6, name: 're_lu' } };
    expect(() => parseTfjsLayersModel(json, () => shard)).toThrow(/tfjs\.modelTopology\.config\.layers\[1\]\.config\.max_value/);
    layers[1] = { class_name: 'ELU', config: { alpha: 0, name: 'elu_0' } };
    expect(() => parseTfjsLayersModel(json, () => shard)).toThrow(/tfjs\.modelTopology\.config\.layers\[1\]\.config\.alpha.*> 0/);
    layers[1] = { class_name: 'Activation', config: { activation: 'swish', name: 'act' } };
    expect(() => parseTfjsLayersModel(json, () => shard)).toThrow(/gelu, elu, linear \(or the layers LeakyReLU, ELU\)/);
  });
});

describe('upper bounds of leaky relu, elu and gelu networks never undercut a gradient norm found by an independent autograd', () => {
  const check = async (p: { seed: number; scale: number }, shrink = 1) => {
    const model = tfjsModel(p.seed, p.scale);
    const { json, shard } = await savedTfjs(model);
    const net = parseTfjsLayersModel(json, () => shard);
    const upper = net.head(Float64Array.of(1), 'output 0').upperLipschitz(ball(1), new Rng(1))!.value * shrink;
    const g = tf.grad((x: tf.Tensor) => tf.sum(model.apply(x) as tf.Tensor));
    const rng = new Rng(p.seed + 1);
    let best = 0;
    for (let i = 0; i < 60; i++) {
      const x = rng.fillNormal(new Float64Array(4));
      const s = (0.99 * rng.uniform()) / Math.hypot(...x);
      best = Math.max(best, Math.hypot(...g(tf.tensor2d([Array.from(x, (v) => v * s)])).dataSync()));
    }
    // float32 gradients: 1e-4 relative slack
    expect(upper, JSON.stringify({ p, best, upper })).toBeGreaterThanOrEqual(best * (1 - 1e-4));
    return { upper, best };
  };
  test.prop([fc.record({ seed: fc.integer({ min: 1, max: 10_000 }), scale: fc.constantFrom(0.3, 1, 2.5) })], { numRuns: 8 })('on random weights at three scales', async (p) => {
    await check(p);
  });
  it('a bound at a hundredth of the certified one is caught (the known bad input; the spectral product of these random five-layer nets is about 30x the largest gradient norm found)', async () => {
    await expect(check({ seed: 7, scale: 1 }, 1 / 100)).rejects.toThrow();
  });
});
