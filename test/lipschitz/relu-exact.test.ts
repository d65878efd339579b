import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { Rng } from '../../src/core/rng.js';
import { gordanCertificate } from '../../src/lipschitz/farkas.js';
import { reluExactLipschitz, RELU_EXACT_MAX_UNITS } from '../../src/lipschitz/relu-exact.js';
import { ACTIVATION } from '../../src/activations/activation.js';
import { relu1d } from '../../src/models/two-layer-lipschitz.js';
import { randomLayers, reluGradNormAt as gradNorm, type Layer } from '../fixtures/relu-nets.js';


const sampledMax = (layers: Layer[], seed: number, n = 3000) => {
  const rng = new Rng(seed);
  let best = 0;
  for (let i = 0; i < n; i++) best = Math.max(best, gradNorm(layers, rng.fillNormal(new Float64Array(layers[0].inputs), 4 ** ((i % 3) - 1) * 3)));
  return best;
};

const relus = (layers: Layer[]) => layers.slice(1).map(() => 'relu');

describe('exact Lipschitz constants of small relu networks by pattern enumeration', () => {
  it('one input: equals the breakpoint scan (relu1d) on R', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), (k, seed) => {
        const layers = randomLayers(seed, [1, k, 1]);
        const e = reluExactLipschitz(layers, ['relu']).estimate!;
        const ref = relu1d({ W: layers[0].weights, b: layers[0].biases, a: layers[1].weights, c: 0, k, d: 1, act: ACTIVATION.relu }, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
        expect(e.kind).toBe('exact');
        expect(Math.abs(e.value - ref.value)).toBeLessThanOrEqual(e.interval!.hi - e.interval!.lo + ref.error);
      }),
      { numRuns: 15 },
    );
  });

  it('nonnegative weights (any biases, any depth): the all-active product', () => {
    for (const [seed, dims] of [[1, [2, 5, 4, 1]], [2, [3, 6, 1]], [3, [2, 3, 3, 3, 1]]] as const) {
      const layers = randomLayers(seed, [...dims], true);
      let v = Float64Array.from(layers[layers.length - 1].weights);
      for (let l = layers.length - 2; l >= 0; l--) {
        const L = layers[l];
        const nv = new Float64Array(L.inputs);
        for (let r = 0; r < L.outputs; r++) for (let c = 0; c < L.inputs; c++) nv[c] += v[r] * L.weights[r * L.inputs + c];
        v = nv;
      }
      const e = reluExactLipschitz(layers, relus(layers)).estimate!;
      expect(e.value / Math.hypot(...v)).toBeCloseTo(1, 12);
    }
  });

  it('mixed signs, 2 and 3 layers, up to 20 units: never below a sampled gradient, attained by one, every region decided', () => {
    for (const [seed, dims] of [[4, [2, 20, 1]], [5, [3, 10, 1]], [6, [2, 5, 5, 1]], [7, [3, 6, 5, 1]]] as const) {
      const layers = randomLayers(seed, [...dims]);
      const { estimate, stats } = reluExactLipschitz(layers, relus(layers));
      const e = estimate!;
      const s = sampledMax(layers, seed);
      expect(s).toBeLessThanOrEqual(e.interval!.hi);
      // the maximum is attained on an open region: dense enough samples come within a few percent of it
      expect(s / e.value).toBeGreaterThan(0.9);
      expect(stats.regions).toBeGreaterThan(0);
      expect(stats.undecided).toBe(0);
      expect(e.witness.type === 'certificate' && e.witness.terms.regions).toBe(stats.regions);
      // the bad input for the first check: a value 1% too low is caught by the same samples
      if (s / e.value > 0.999) expect(s).toBeGreaterThan(e.interval!.hi * 0.99);
    }
  });

  it('refuses what it cannot enumerate: other activations, several outputs, more than 20 units, a node budget too small', () => {
    const small = randomLayers(1, [2, 4, 1]);
    expect(reluExactLipschitz(small, ['tanh']).estimate).toBeNull();
    expect(reluExactLipschitz(randomLayers(1, [2, 4, 2]), ['relu']).estimate).toBeNull();
    expect(reluExactLipschitz(randomLayers(1, [2, RELU_EXACT_MAX_UNITS + 1, 1]), ['relu']).estimate).toBeNull();
    expect(reluExactLipschitz(randomLayers(4, [2, 20, 1]), ['relu'], { maxNodes: 10 }).estimate).toBeNull();
  });
});

describe('Gordan certificates (exact)', () => {
  it('certifies {x > 0, -x > 0} and {x > 0, y > 0, -x - y > 0} empty; refuses a feasible system and a wrong support', () => {
    expect(gordanCertificate([[1n], [-1n]], [0, 1])).toEqual([1n, 1n]);
    const rows = [
      [1n, 0n],
      [0n, 1n],
      [-1n, -1n],
      [1n, 1n],
    ];
    expect(gordanCertificate(rows, [0, 1, 2])).toEqual([1n, 1n, 1n]);
    expect(gordanCertificate(rows, [0, 1, 3])).toBeNull(); // x > 0, y > 0, x + y > 0 is feasible
    expect(gordanCertificate(rows, [0, 1])).toBeNull();
    // huge integers (products of scaled doubles) are handled exactly
    const big = 1n << 3000n;
    expect(gordanCertificate([[big, 3n], [-big * 2n, -6n]], [0, 1])).toEqual([2n, 1n]);
  });
});
