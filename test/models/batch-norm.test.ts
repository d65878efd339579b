/**
 * Networks as exporters write them (docs/science.md section 3, "Inexact weights"): a Keras-style TF.js classifier
 * (Flatten, Dense-ReLU, Dropout, BatchNormalization, softmax) saved by tfjs, and a PyTorch MLP with BatchNorm1d,
 * Dropout and Softmax exported by torch.onnx.export (Gemm, BatchNormalization, Relu, Gemm, Relu, Gemm, Softmax).
 * The fixtures were made once by scripts/make-digits-bn-classifier.mjs and scripts/make-torch-bn-mlp.py with
 * the frameworks' own outputs; the frameworks are not dependencies.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { ball, type Domain } from '../../src/lipschitz/domain.js';
import { lipschitz } from '../../src/estimators/lipschitz.js';
import { readNetworkFile } from '../../src/models/formats/read-network.js';
import { batchNormAffine, foldAfter, foldBefore } from '../../src/models/formats/batch-norm.js';
import { hasInexactWeights, mlpNetwork, type DenseLayer } from '../../src/models/mlp.js';
import { runCli } from '../cli/helpers.js';
import { parseTfjsLayersModel } from '../../src/models/formats/tfjs-layers.js';
import { parseOnnx } from '../../src/models/formats/onnx.js';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

interface Reference {
  readonly inputs: number[][];
  readonly logits: number[][];
  readonly probabilities: number[][];
}
const reference = (name: string) => JSON.parse(readFileSync(`test/fixtures/${name}`, 'utf8')) as Reference;

/** Largest |ours - theirs| / max(1, |theirs|) over the reference's points and outputs. */
function forwardGap(file: string, ref: Reference): number {
  const net = readNetworkFile(file);
  const X = Float64Array.from(ref.inputs.flat());
  const out = net.forward(X, ref.inputs.length);
  let gap = 0;
  ref.logits.forEach((row, i) => row.forEach((v, j) => (gap = Math.max(gap, Math.abs(out[i * net.outputs + j] - v) / Math.max(1, Math.abs(v))))));
  return gap;
}

describe('exported classifiers with BatchNormalization, Dropout and softmax are read', () => {
  it('the TF.js Keras-style classifier computes tfjs\'s own logits (float32 there: within 1e-5)', () => {
    const net = readNetworkFile('examples/digits-bn-classifier/model.json');
    expect(net.outputTransform).toBe('softmax');
    expect(hasInexactWeights(net.layers)).toBe(true);
    expect(net.description).toMatch(/BatchNormalization folded \(p counts its 64 gamma and beta\), softmax output dropped \(bounds are of the logits\)/);
    // p: the two Dense layers (64 x 32 + 32, 32 x 10 + 10) and the normalisation's gamma and beta
    expect(net.p).toBe(64 * 32 + 32 + 32 * 10 + 10 + 64);
    expect(forwardGap('examples/digits-bn-classifier/model.json', reference('digits-bn-classifier-reference.json'))).toBeLessThan(1e-5);
  });

  it('the PyTorch export (Gemm, BatchNormalization, Relu, Gemm, Relu, Gemm, Softmax) computes PyTorch\'s logits', () => {
    const net = readNetworkFile('examples/digits-bn-classifier/model.onnx');
    expect(net.outputTransform).toBe('softmax');
    expect(net.layers.map((L) => [L.inputs, L.outputs])).toEqual([[64, 24], [24, 16], [16, 10]]);
    expect(forwardGap('examples/digits-bn-classifier/model.onnx', reference('torch-bn-mlp-reference.json'))).toBeLessThan(1e-5);
  });

  it('the gap check bites: a network off by one part in 1e4 in one weight is caught', () => {
    const ref = reference('torch-bn-mlp-reference.json');
    const shifted = { ...ref, logits: ref.logits.map((row) => row.map((v, j) => (j === 0 ? v * (1 + 1e-4) + 1e-4 : v))) };
    expect(forwardGap('examples/digits-bn-classifier/model.onnx', shifted)).toBeGreaterThan(1e-5);
  });
});

describe('a folded BatchNormalization gives the bounds of the hand-folded dense net, its rounding covered', () => {
  // Dense(5 -> 6) -> BN -> relu -> Dense(6 -> 4) -> relu -> BN -> Dense(4 -> 3): one fold after, one before
  const rng = new Rng(11);
  const dense = (i: number, o: number): DenseLayer => ({ weights: rng.fillNormal(new Float64Array(o * i)), biases: rng.fillNormal(new Float64Array(o)), inputs: i, outputs: o });
  const bnOf = (k: number) => batchNormAffine(Float64Array.from({ length: k }, () => 0.5 + rng.uniform()), rng.fillNormal(new Float64Array(k)), rng.fillNormal(new Float64Array(k)), Float64Array.from({ length: k }, () => 0.1 + 2 * rng.uniform()), 1e-3)!;
  const [L1, L2, L3] = [dense(5, 6), dense(6, 4), dense(4, 3)];
  const [B1, B2] = [bnOf(6), bnOf(4)];
  const folded = mlpNetwork([foldAfter(L1, B1), L2, foldBefore(L3, B2)], 'relu');
  // the same numbers without error bounds: an exact dense net, as a user who folded by hand would write it
  const strip = (L: DenseLayer): DenseLayer => ({ weights: L.weights, biases: L.biases, inputs: L.inputs, outputs: L.outputs });
  const hand = mlpNetwork(folded.layers.map(strip), 'relu');
  const D: Domain = ball(1);

  it('the same function, and the folded net\'s evaluation error covers the unfolded one computed step by step', () => {
    const X = rng.fillNormal(new Float64Array(20 * 5));
    const a = folded.forward(X, 20);
    const b = hand.forward(X, 20);
    expect(Array.from(a)).toEqual(Array.from(b));
    // the unfolded network: Dense, BN, relu, Dense, relu, BN, Dense, each in f64
    const aff = (L: DenseLayer, x: Float64Array) => Float64Array.from({ length: L.outputs }, (_, r) => L.biases[r] + x.reduce((s, v, c) => s + L.weights[r * L.inputs + c] * v, 0));
    const bn = (B: { a: Float64Array; c: Float64Array }, x: Float64Array) => x.map((v, i) => B.a[i] * v + B.c[i]);
    const relu = (x: Float64Array) => x.map((v) => Math.max(0, v));
    const head = folded.head(Float64Array.of(1, 0, 0), 'output 0');
    const E = head.evaluationError(X, 20);
    for (let i = 0; i < 20; i++) {
      const x = X.subarray(i * 5, i * 5 + 5);
      const y = aff(L3, bn(B2, relu(aff(L2, relu(bn(B1, aff(L1, x)))))));
      // both are f64 evaluations of the same exact function: within the two evaluation errors
      expect(Math.abs(y[0] - a[i * 3])).toBeLessThanOrEqual(2 * E[i]);
    }
  });

  it('upper bounds: the spectral product of the hand-folded net, raised only by the fold\'s rounding (below 1e-12 relative)', () => {
    // the hand-folded net's own spectral product (zero error bounds select it, and add nothing)
    const spectralOnly = mlpNetwork(folded.layers.map((L) => ({ ...strip(L), weightError: new Float64Array(L.weights.length) })), 'relu');
    for (const j of [0, 1, 2]) {
      const c = Float64Array.from({ length: 3 }, (_, i) => (i === j ? 1 : 0));
      const ours = folded.head(c, `output ${j}`).upperLipschitz(D, new Rng(1))!;
      const theirs = spectralOnly.head(c, `output ${j}`).upperLipschitz(D, new Rng(1))!;
      expect(ours.method).toBe('spectral-product');
      expect(ours.value).toBeGreaterThan(theirs.value);
      expect(ours.value / theirs.value - 1).toBeLessThan(1e-12);
      // never below what is certified of the hand-folded net from below
      const hi = lipschitz(hand.head(c, `output ${j}`), { domain: D, rng: new Rng(3), rounds: 1, starts: 8, steps: 40 });
      expect(ours.value).toBeGreaterThanOrEqual(hi.lower.value);
    }
    const lo = lipschitz(folded.head(Float64Array.of(1, 0, 0), 'output 0'), { domain: D, rng: new Rng(3), rounds: 1, starts: 8, steps: 40 });
    const hi = lipschitz(hand.head(Float64Array.of(1, 0, 0), 'output 0'), { domain: D, rng: new Rng(3), rounds: 1, starts: 8, steps: 40 });
    expect(lo.lower.value).toBeLessThanOrEqual(hi.upper!.value);
    expect(lo.lower.value / hi.lower.value).toBeGreaterThan(0.99);
  });

  it('the network certificates and exact values, which assume exact weights, are not used on folded weights', () => {
    const m = folded.head(Float64Array.of(1, 0, 0), 'output 0');
    expect(m.exactLipschitz({ kind: 'Rd' })).toBeNull();
    expect(m.lowerLipschitz?.(D) ?? null).toBeNull();
    expect(folded.exactLipschitzL2(D, new Rng(1))).toBeNull();
    expect(folded.upperLipschitzL2(D, new Rng(1))!.method).toBe('spectral-product');
  });
});

describe('refusals name the node or layer as the file does, and what to do', () => {
  const tfjs = JSON.parse(readFileSync('examples/digits-bn-classifier/model.json', 'utf8')) as { modelTopology: { config: { layers: { class_name: string; config: { name: string; activation?: string } }[] } } };
  const weights = readFileSync('examples/digits-bn-classifier/weights.bin');
  const read = (json: unknown) => () => parseTfjsLayersModel(json, () => weights, 'model.json');
  it('TF.js: a layer the tool does not read, and a BatchNormalization left after the last Dense layer', () => {
    const conv = structuredClone(tfjs);
    conv.modelTopology.config.layers.splice(1, 0, { class_name: 'SeparableConv2D', config: { name: 'conv1' } });
    expect(read(conv)).toThrow(/^model\.json: tfjs\.modelTopology\.config\.layers\[1\]\.class_name must be a layer the tool reads: .*residual branches and other layers are not read\) \(got "SeparableConv2D" \(layer "conv1"\)\)$/);
    // the output layer removed: the normalisation after the hidden relu has no Dense layer to fold into
    const late = structuredClone(tfjs);
    late.modelTopology.config.layers.splice(4, 1);
    expect(read(late)).toThrow(/a Dense layer after each BatchNormalization that follows an activation \(it is folded into that layer\)/);
  });
  it('ONNX: a BatchNormalization in training mode, and a Softmax before the last node', () => {
    const bytes = readFileSync('examples/digits-bn-classifier/model.onnx');
    const training = onnx.ModelProto.decode(bytes);
    training.graph!.node![1].attribute!.push(onnx.AttributeProto.create({ name: 'training_mode', i: 1, type: onnx.AttributeProto.AttributeType.INT }));
    expect(() => parseOnnx(onnx.ModelProto.encode(training).finish(), 'm.onnx')).toThrow(/^m\.onnx: onnx\.node graph\.node\[1\] \(BatchNormalization "[^"]*"\) must be a BatchNormalization in inference mode \(export with model\.eval\(\)\)/);
    const early = onnx.ModelProto.decode(bytes);
    const nodes = early.graph!.node!;
    // a Softmax on the running value after the first Relu: everything after it is refused
    const relu = nodes.findIndex((n) => n.opType === 'Relu');
    nodes.splice(relu + 1, 0, onnx.NodeProto.create({ name: 'early', opType: 'Softmax', input: [nodes[relu].output![0]], output: ['sm'] }));
    nodes[relu + 2].input![0] = 'sm';
    expect(() => parseOnnx(onnx.ModelProto.encode(early).finish(), 'm.onnx')).toThrow(/must be nothing after the output's softmax \(node graph\.node\[3\] \(Softmax "early"\)\)/);
  });
});

describe('a trained classifier gets a verdict', () => {
  it.each(['model.json', 'model.onnx'])('check-model on examples/digits-bn-classifier/%s: holds, inconclusive or counterexample, never not-applicable', async (file) => {
    const r = await runCli(['check-model', '--model', `examples/digits-bn-classifier/${file}`, '--data', 'examples/digits-bn-classifier/digits-200.npy', '--rounds', '0', '--starts', '4', '--json']);
    expect(r.code, r.stderr).toBeLessThanOrEqual(1);
    const j = JSON.parse(r.stdout) as { verdict: { law: { verdict: string } } };
    expect(['holds', 'inconclusive', 'counterexample']).toContain(j.verdict.law.verdict);
  });
});
