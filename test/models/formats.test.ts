import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { readDataFile } from '../../src/data/read-data.js';
import { decodeOnnx, encodeOnnx, parseOnnx } from '../../src/models/formats/onnx.js';
import { readNetworkFile, sniffNetworkFormat } from '../../src/models/formats/read-network.js';
import { parseTfjsLayersModel } from '../../src/models/formats/tfjs-layers.js';
import { mlpNetwork, type DenseLayer } from '../../src/models/mlp.js';
import { NETWORK_ACTIVATIONS, type NetworkActivation } from '../../src/models/network-activations.js';
import { runCli } from '../cli/helpers.js';
import { thrown } from '../support.js';

const { onnx } = onnxProto;
const dir = mkdtempSync(join(tmpdir(), 'robustlaw-formats-'));
const points = (n: number, d: number, seed = 5) => new Rng(seed).fillNormal(new Float64Array(n * d));

/** Dense layers with float32-exact weights (what a file holds). */
function f32Layers(widths: number[], seed: number): DenseLayer[] {
  const rng = new Rng(seed);
  return widths.slice(1).map((out, l) => ({
    weights: Float64Array.from({ length: out * widths[l] }, () => Math.fround(rng.normal() / Math.sqrt(widths[l]))),
    biases: Float64Array.from({ length: out }, () => Math.fround(0.2 * rng.normal())),
    inputs: widths[l],
    outputs: out,
  }));
}

/** A TF.js model.json (Sequential of Dense) and its one shard for the layers, as tfjs writes them. */
function tfjsFiles(layers: DenseLayer[], acts: string[], extra: { layer?: object; dtype?: string } = {}) {
  const specs: { name: string; shape: number[]; dtype: string }[] = [];
  const chunks: number[] = [];
  const topo = layers.map((L, l) => {
    const name = `dense_${l + 1}`;
    specs.push({ name: `${name}/kernel`, shape: [L.inputs, L.outputs], dtype: extra.dtype ?? 'float32' }, { name: `${name}/bias`, shape: [L.outputs], dtype: 'float32' });
    for (let r = 0; r < L.inputs; r++) for (let u = 0; u < L.outputs; u++) chunks.push(L.weights[u * L.inputs + r]);
    chunks.push(...L.biases);
    return { class_name: 'Dense', config: { units: L.outputs, activation: l < acts.length ? acts[l] : 'linear', use_bias: true, name, ...(l === 0 ? { batch_input_shape: [null, L.inputs] } : {}) } };
  });
  const json = {
    modelTopology: { class_name: 'Sequential', config: { name: 'seq', layers: extra.layer ? [...topo.slice(0, 1), extra.layer, ...topo.slice(1)] : topo }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
    format: 'layers-model',
  };
  return { json, shard: new Uint8Array(Float32Array.from(chunks).buffer) };
}

describe('network formats: the same network in robustlaw-mlp/1, TF.js and ONNX computes the same outputs', () => {
  it('examples/formats/classifier in the three formats: identical outputs on 50 points (float32 weights, read exactly)', () => {
    const X = points(50, 4);
    const ref = readNetworkFile('examples/formats/classifier.json').forward(X, 50);
    for (const f of ['examples/formats/classifier-tfjs/model.json', 'examples/formats/classifier.onnx']) {
      const net = readNetworkFile(f);
      expect([net.d, net.outputs, net.p]).toEqual([4, 3, 8 * 5 + 3 * 9]);
      expect(Array.from(net.forward(X, 50))).toEqual(Array.from(ref));
    }
  });

  it('examples/formats/regressor (tanh then sigmoid) reads the same from TF.js and ONNX', () => {
    const X = points(30, 3);
    const a = readNetworkFile('examples/formats/regressor-tfjs/model.json');
    const b = readNetworkFile('examples/formats/regressor.onnx');
    expect(a.activations).toEqual(['tanh', 'sigmoid']);
    expect(Array.from(b.forward(X, 30))).toEqual(Array.from(a.forward(X, 30)));
  });

  it('every activation survives encodeOnnx -> parseOnnx and a TF.js model.json, matching mlpNetwork', () => {
    for (const act of NETWORK_ACTIVATIONS) {
      const layers = f32Layers([5, 7, 6, 2], act.length);
      const acts: NetworkActivation[] = [act, act === 'relu' ? 'tanh' : 'relu'];
      const ref = mlpNetwork(layers, acts).forward(points(20, 5), 20);
      const viaOnnx = parseOnnx(encodeOnnx(layers, acts));
      const { json, shard } = tfjsFiles(layers, acts);
      const viaTfjs = parseTfjsLayersModel(json, () => shard);
      const onnxOut = viaOnnx.forward(points(20, 5), 20);
      // gelu from ONNX divides by the file's float32 sqrt 2 (relative 1.7e-8 off): within 1e-8 of the exact gelu
      if (act === 'gelu') onnxOut.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThan(1e-8 * Math.max(1, Math.abs(ref[i]))));
      else expect(Array.from(onnxOut)).toEqual(Array.from(ref));
      expect(Array.from(viaTfjs.forward(points(20, 5), 20))).toEqual(Array.from(ref));
    }
  });

  it('the trained 784-50-10 example is read with its kernels transposed right: it classifies its own test digits (>= 95%)', () => {
    const net = readNetworkFile('examples/mnist-mlp/model.json');
    expect(net.description).toBe('mlp: 2 layers 784-50-10, relu');
    const data = readDataFile('examples/mnist-mlp/digits-200.npy');
    const F = net.forward(data.X, data.n);
    let right = 0;
    for (let i = 0; i < data.n; i++) {
      const row = Array.from(F.subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === data.y[i]) right++;
    }
    expect(right / data.n).toBeGreaterThanOrEqual(0.95);
    // the bad input: reading the kernel untransposed (as units x inputs) scrambles the network
    const json = JSON.parse(readFileSync('examples/mnist-mlp/model.json', 'utf8')) as { weightsManifest: { weights: { shape: number[] }[] }[] };
    const spec = json.weightsManifest[0].weights;
    [spec[0].shape, spec[2].shape] = [[50, 784], [10, 50]];
    expect(() => parseTfjsLayersModel(json, () => readFileSync('examples/mnist-mlp/weights.bin'))).toThrow(/shape \[inputs, 50\]/);
  });

  it('ONNX as PyTorch may also write it: Flatten, MatMul + Add, Identity, Gemm with transB = 0 and alpha, beta', () => {
    const t = (name: string, dims: number[], v: number[]) => onnx.TensorProto.create({ name, dims, dataType: 1, floatData: v });
    const graph = onnx.GraphProto.create({
      name: 'g',
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }, { dimValue: 2 }] } } } }],
      output: [{ name: 'y' }],
      initializer: [t('W1', [2, 3], [1, 2, 3, 4, 5, 6]), t('b1', [3], [0.5, -10, 0]), t('W2', [3, 1], [1, 1, -1]), t('b2', [1], [2])],
      node: [
        { opType: 'Flatten', input: ['x'], output: ['f'] },
        { opType: 'MatMul', input: ['f', 'W1'], output: ['m'] },
        { opType: 'Add', input: ['b1', 'm'], output: ['a'] },
        { opType: 'Relu', input: ['a'], output: ['r'] },
        { opType: 'Identity', input: ['r'], output: ['i'] },
        { opType: 'Gemm', input: ['i', 'W2', 'b2'], output: ['y'], attribute: [{ name: 'alpha', f: 2, type: 1 }, { name: 'beta', f: 0.5, type: 1 }] },
      ],
    });
    const net = parseOnnx(onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, graph })).finish());
    // x = (1, 1): x W1 + b1 = (5.5, -3, 9) -> relu (5.5, 0, 9) -> 2 (5.5 + 0 - 9) + 0.5 * 2 = -6
    expect(Array.from(net.forward(new Float64Array([1, 1]), 1))).toEqual([-6]);
  });

  it('formats are told apart by content, not by extension', () => {
    const onnxAsJson = join(dir, 'model.json');
    copyFileSync('examples/formats/classifier.onnx', onnxAsJson);
    const jsonAsOnnx = join(dir, 'net.onnx');
    copyFileSync('examples/formats/classifier.json', jsonAsOnnx);
    const X = points(5, 4);
    expect(Array.from(readNetworkFile(onnxAsJson).forward(X, 5))).toEqual(Array.from(readNetworkFile(jsonAsOnnx).forward(X, 5)));
    expect(sniffNetworkFormat(new TextEncoder().encode('  {"a": 1}'))).toBe('json');
    expect(sniffNetworkFormat(readFileSync('examples/formats/classifier.onnx'))).toBe('onnx');
    expect(sniffNetworkFormat(new TextEncoder().encode('x1,x2\n1,2\n'))).toBeNull();
    expect(decodeOnnx(new Uint8Array([0xff, 0xff, 0xff]))).toBeNull();
  });

  it('a functional TF.js Model is read when its layers form a chain; a branch is refused naming the layer off the chain', () => {
    const layers = f32Layers([3, 4, 2], 12);
    const functional = (inbound: string[]) => {
      const { json, shard } = tfjsFiles(layers, ['tanh']);
      const seq = json.modelTopology.config.layers as { config: { name: string } }[];
      const input = { name: 'x', class_name: 'InputLayer', config: { batch_input_shape: [null, 3], name: 'x' }, inbound_nodes: [] };
      const chained = seq.map((l, i) => ({ ...l, name: l.config.name, inbound_nodes: [[[inbound[i], 0, 0, {}]]] }));
      const out = { ...json, modelTopology: { class_name: 'Model', config: { name: 'f', layers: [input, ...chained], input_layers: [['x', 0, 0]], output_layers: [['dense_2', 0, 0]] } } };
      return parseTfjsLayersModel(out, () => shard, 'f.json');
    };
    const X = points(10, 3);
    expect(Array.from(functional(['x', 'dense_1']).forward(X, 10))).toEqual(Array.from(mlpNetwork(layers, ['tanh']).forward(X, 10)));
    expect(thrown(() => functional(['x', 'x'])).message).toBe('f.json: tfjs.modelTopology.config.layers[2].inbound_nodes must be a chain of layers, each taking the one before it (no branches but residual blocks ending in an Add) (got layer "dense_2" takes "x", not "dense_1")');
  });

  it('uint8 affine-quantized TF.js weights are dequantized (q scale + min)', () => {
    const layers = f32Layers([2, 1], 3);
    const { json } = tfjsFiles(layers, []);
    const kernel = json.weightsManifest[0].weights[0] as Record<string, unknown>;
    kernel.quantization = { dtype: 'uint8', scale: 0.5, min: -1 };
    const shard = new Uint8Array([...[4, 0], ...new Uint8Array(Float32Array.from([0.25]).buffer)]);
    const net = parseTfjsLayersModel(json, () => shard);
    expect(Array.from(net.layers[0].weights)).toEqual([1, -1]);
    expect(Array.from(net.layers[0].biases)).toEqual([0.25]);
  });
});

describe('unsupported or broken network files are refused with one line naming the first culprit and what is supported', () => {
  const layers = f32Layers([3, 4, 2], 9);
  it.each([
    // keys are the layer's path in model.json (indices from 0, as the file) with its name
    ['an LSTM layer', tfjsFiles(layers, ['relu'], { layer: { class_name: 'LSTM', config: { name: 'lstm' } } }), /tfjs\.modelTopology\.config\.layers\[1\]\.class_name must be a layer the tool reads: InputLayer, Dense, Add, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, ZeroPadding2D, Activation, ReLU, LeakyReLU, ELU, Flatten, Reshape, Dropout, BatchNormalization \(residual branches and other layers are not read\) \(got "LSTM" \(layer "lstm"\)\)/],
    ['a Conv2D of a flat input', tfjsFiles(layers, ['relu'], { layer: { class_name: 'Conv2D', config: { name: 'conv' } } }), /tfjs\.modelTopology\.config\.layers\[1\] must be a Conv2D of an image \(an input of shape \[null, H, W, C\], not flattened\) \(got "Conv2D" \(layer "conv"\) of a flat tensor\)/],
    ['a softmax before the output', tfjsFiles(f32Layers([3, 4, 4, 2], 9), ['softmax', 'relu']), /^m\.json: tfjs\.modelTopology\.config\.layers\[1\] must be nothing after the output's softmax \(modelTopology\.config\.layers\[0\]\.config\.activation\): a softmax is read only as the output, where it is dropped and the logits are bounded \(got "Dense" \(layer "dense_2"\)\)$/],
    ['a selu hidden layer', tfjsFiles(layers, ['selu']), /tfjs\.modelTopology\.config\.layers\[0\]\.config\.activation must be an activation the tool reads: relu, tanh, sigmoid, softplus, gelu, elu, linear \(or the layers LeakyReLU, ELU\), or softmax on the output \(re-export the model with one of them\) \(got "selu"\)/],
    ['float16 weights', tfjsFiles(layers, ['relu'], { dtype: 'float16' }), /dtype must be float32, or uint8\/uint16 with affine quantization .* \(got "float16" \(weight dense_1\/kernel\)\)/],
  ])('TF.js: %s', (_, files, msg) => {
    expect(thrown(() => parseTfjsLayersModel(files.json, () => files.shard, 'm.json')).message).toMatch(msg);
  });

  it('TF.js: a shard shorter than the manifest says so', () => {
    const { json, shard } = tfjsFiles(layers, ['relu']);
    expect(thrown(() => parseTfjsLayersModel(json, () => shard.subarray(0, 20), 'm.json')).message).toMatch(/tfjs\.weightsManifest\[1\]\.paths must be shards holding 48 bytes or more \(weight dense_1\/kernel ends there\) \(got 20 bytes in weights\.bin\)/);
  });

  it('ONNX: a Selu node is refused naming it and the operators read', () => {
    const model = onnx.ModelProto.decode(encodeOnnx(layers, ['relu']));
    model.graph!.node!.splice(1, 0, onnx.NodeProto.create({ name: '/act/Selu', opType: 'Selu', input: ['/fc0/Gemm_output_0'], output: ['c'] }));
    const e = thrown(() => parseOnnx(onnx.ModelProto.encode(model).finish(), 'm.onnx'));
    // named as the file holds it: graph.node[1], from 0
    expect(e.message).toBe('m.onnx: onnx.node graph.node[1] (Selu "/act/Selu") must be an operator the tool reads: Gemm, MatMul, Add, Conv, AveragePool, MaxPool, GlobalAveragePool, Pad, Relu, LeakyRelu, Elu, Gelu, Tanh, Sigmoid, Softplus, BatchNormalization, Dropout, Flatten, Reshape, Identity, Softmax, LogSoftmax, Constant, or a gelu as PyTorch exports it (Div by sqrt 2, Erf, Add 1, Mul by the Div\'s input, Mul by 0.5) (got "Selu")');
  });

  it('ONNX: a Conv of a flat tensor is refused (the input was not declared as an image)', () => {
    const model = onnx.ModelProto.decode(encodeOnnx(layers, ['relu']));
    model.graph!.node!.splice(1, 0, onnx.NodeProto.create({ name: '/conv/Conv', opType: 'Conv', input: ['/fc0/Gemm_output_0', 'fc1.weight'], output: ['c'] }));
    expect(thrown(() => parseOnnx(onnx.ModelProto.encode(model).finish(), 'm.onnx')).message).toMatch(/graph\.node\[1\] \(Conv "\/conv\/Conv"\) must be a Conv of an image \(the graph input declared N x C x H x W\) \(got Conv of a flat tensor\)/);
  });

  it('ONNX: an INT64 weight is refused naming its data type', () => {
    const model = onnx.ModelProto.decode(encodeOnnx(layers, ['relu']));
    const w = model.graph!.initializer![0];
    [w.dataType, w.rawData, w.int64Data] = [7, new Uint8Array(0), Array.from({ length: 12 }, () => 1)];
    expect(thrown(() => parseOnnx(onnx.ModelProto.encode(model).finish())).message).toMatch(/onnx\.initializer fc0\.weight must be a FLOAT or DOUBLE tensor \(got data type INT64\)/);
  });

  it('the CLI prints one line and exits 2 for an unsupported layer, a missing shard and a file in no format', async () => {
    const conv = tfjsFiles(layers, ['relu'], { layer: { class_name: 'LSTM', config: { name: 'lstm' } } });
    const sub = mkdtempSync(join(dir, 'conv-'));
    writeFileSync(join(sub, 'model.json'), JSON.stringify(conv.json));
    writeFileSync(join(sub, 'weights.bin'), conv.shard);
    const noShard = mkdtempSync(join(dir, 'noshard-'));
    writeFileSync(join(noShard, 'model.json'), JSON.stringify(conv.json));
    for (const [file, msg] of [
      [join(sub, 'model.json'), /^robustlaw: --model .*model\.json \(key modelTopology\.config\.layers\[1\]\.class_name\) must be a layer the tool reads: InputLayer, Dense, Add, Conv2D, .*, BatchNormalization \(residual branches and other layers are not read\) \(got "LSTM" \(layer "lstm"\)\)$/m],
      [join(noShard, 'model.json'), /^robustlaw: --model .*model\.json \(key weightsManifest\) must be weight shards readable beside model\.json \(got cannot read .*weights\.bin \(ENOENT\)\)$/m],
      ['examples/formats/regressor-data.csv', /^robustlaw: --model must be a readable network file \(robustlaw-mlp\/1 JSON, a TF\.js model\.json or an ONNX model\) \(got examples\/formats\/regressor-data\.csv: neither JSON nor an ONNX model\)$/m],
    ] as const) {
      const r = await runCli(['lip', '--model', file, '--rounds', '0']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
