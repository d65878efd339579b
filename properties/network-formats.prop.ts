import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { DEEP } from './arbitraries.js';
import { Rng } from '../src/core/rng.js';
import { ball } from '../src/lipschitz/domain.js';
import { vectorLipschitz } from '../src/estimators/vector-lipschitz.js';
import { encodeOnnx, parseOnnx } from '../src/models/formats/onnx.js';
import { parseTfjsLayersModel } from '../src/models/formats/tfjs-layers.js';
import { mlpNetwork, type DenseLayer, type MlpNetwork } from '../src/models/mlp.js';
import { NETWORK_ACTIVATIONS, type NetworkActivation } from '../src/models/network-activations.js';

/** A random dense network: 1 to 3 layers of widths 1..6, float32 weights, any activation per hidden layer. */
const networkArb = fc
  .record({
    widths: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 4 }),
    acts: fc.array(fc.constantFrom(...NETWORK_ACTIVATIONS), { minLength: 3, maxLength: 3 }),
    scale: fc.constantFrom(0.5, 1, 3),
    seed: fc.integer({ min: 0, max: 100_000 }),
  })
  .map(({ widths, acts, scale, seed }) => {
    const rng = new Rng(seed);
    const layers: DenseLayer[] = widths.slice(1).map((out, l) => ({
      weights: Float64Array.from({ length: out * widths[l] }, () => Math.fround((scale * rng.normal()) / Math.sqrt(widths[l]))),
      biases: Float64Array.from({ length: out }, () => Math.fround(0.3 * rng.normal())),
      inputs: widths[l],
      outputs: out,
    }));
    return { layers, acts: acts.slice(0, layers.length - 1), seed };
  });

/** A TF.js model.json and shard of the layers, kernels written inputs x units (`transpose` false: the bad writer). */
function tfjs(layers: readonly DenseLayer[], acts: readonly NetworkActivation[], transpose = true) {
  const chunks: number[] = [];
  const specs: object[] = [];
  const topo = layers.map((L, l) => {
    for (let r = 0; r < L.inputs; r++) for (let u = 0; u < L.outputs; u++) chunks.push(transpose ? L.weights[u * L.inputs + r] : L.weights[r * L.outputs + u]);
    chunks.push(...L.biases);
    specs.push({ name: `d${l}/kernel`, shape: [L.inputs, L.outputs], dtype: 'float32' }, { name: `d${l}/bias`, shape: [L.outputs], dtype: 'float32' });
    return { class_name: 'Dense', config: { name: `d${l}`, units: L.outputs, activation: l < acts.length ? acts[l] : 'linear', ...(l === 0 ? { batch_input_shape: [null, L.inputs] } : {}) } };
  });
  const shard = new Uint8Array(Float32Array.from(chunks).buffer);
  return parseTfjsLayersModel({ modelTopology: { class_name: 'Sequential', config: { layers: topo } }, weightsManifest: [{ paths: ['w.bin'], weights: specs }] }, () => shard);
}

const same = (a: MlpNetwork, b: MlpNetwork, seed: number, rel = 0) => {
  const X = new Rng(seed + 1).fillNormal(new Float64Array(8 * a.d), 2);
  const want = b.forward(X, 8);
  return a.forward(X, 8).every((v, i) => (rel === 0 ? Object.is(v, want[i]) : Math.abs(v - want[i]) <= rel * Math.max(1, Math.abs(want[i]))));
};

/** Property bodies (exported so the known-bad tests can feed them). */
export const checks = {
  /** The network written as ONNX and as TF.js and read back computes the same outputs, bit for bit (ONNX's gelu: within 1e-7). */
  roundTrip({ layers, acts, seed }: { layers: DenseLayer[]; acts: NetworkActivation[]; seed: number }, write = tfjs) {
    const ref = mlpNetwork(layers, acts);
    // ONNX holds gelu as PyTorch writes it, dividing by float32 sqrt 2 (1.7e-8 relative off): close, not equal
    expect(same(parseOnnx(encodeOnnx(layers, acts)), ref, seed, acts.includes('gelu') ? 1e-7 : 0), 'onnx').toBe(true);
    expect(same(write(layers, acts), ref, seed), 'tfjs').toBe(true);
  },
  /** The l2 -> l2 lower bound never passes the upper bound. */
  ordered({ layers, acts, seed }: { layers: DenseLayer[]; acts: NetworkActivation[]; seed: number }) {
    const r = vectorLipschitz(mlpNetwork(layers, acts), { rng: new Rng(seed), domain: ball(1), starts: 4, steps: 20, rounds: 1 });
    expect(r.lower.value).toBeLessThanOrEqual(r.upper!.value);
  },
};

describe('network formats and vector bounds, on random networks', () => {
  test.prop([networkArb], { numRuns: DEEP ? 300 : 40 })('ONNX and TF.js round trips compute the same outputs bit for bit (ONNX gelu within 1e-7)', (c) => checks.roundTrip(c));
  test.prop([networkArb], { numRuns: DEEP ? 100 : 15 })('the certified l2 -> l2 lower bound is at most the upper bound', (c) => checks.ordered(c));

  it('known bad: a TF.js writer that does not transpose the kernels fails the round trip (square layers pass every shape check)', () => {
    const rng = new Rng(4);
    const layers: DenseLayer[] = [3, 3].map(() => ({ weights: Float64Array.from({ length: 9 }, () => Math.fround(rng.normal())), biases: new Float64Array(3), inputs: 3, outputs: 3 }));
    expect(() => checks.roundTrip({ layers, acts: ['relu'], seed: 1 }, (L, a) => tfjs(L, a, false))).toThrow(/tfjs/);
  });
});
