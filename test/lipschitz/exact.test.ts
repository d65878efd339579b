import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { Rng } from '../../src/core/rng.js';
import { Streams } from '../../src/core/streams.js';
import { buildInstance } from '../../src/law/instance.js';
import { lipschitz } from '../../src/estimators/lipschitz.js';
import { ball } from '../../src/lipschitz/domain.js';
import { ACTIVATION } from '../../src/activations/activation.js';
import { twoLayerModel } from '../../src/models/random-features.js';
import { mlpModel, type DenseLayer } from '../../src/models/mlp.js';
import { gaussianKernelModel } from '../../src/models/gaussian-kernel.js';
import { fitPolynomial } from '../../src/models/polynomial.js';
import type { Model } from '../../src/models/model.js';
import type { BumpsModel } from '../../src/models/bumps.js';
import { exactScaled } from '../../src/linalg/pow2.js';

/** lower <= exact <= upper, with rounding slack. */
function sandwich(model: Model, exact: number, opts: Partial<Parameters<typeof lipschitz>[1]> = {}) {
  const rep = lipschitz(model, { rng: new Rng(7), targetRatio: 1.0001, ...opts });
  expect(rep.lower.value).toBeLessThanOrEqual(exact * (1 + 1e-9));
  expect(rep.upper!.value).toBeGreaterThanOrEqual(exact * (1 - 1e-9));
  if (rep.exact) expect(rep.exact.value).toBeCloseTo(exact, 9);
  return rep;
}

/** 1-D two-layer ReLU nets whose breakpoints lie on distinct cells of a 64-cell grid of [-1, 1]. */
const relu1dArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 63 }), { minLength: 1, maxLength: 8 })
  .chain((cells) =>
    fc.record({
      cells: fc.constant(cells),
      w: fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }).chain((v) => fc.constantFrom(v, -v)), { minLength: cells.length, maxLength: cells.length }),
      a: fc.array(fc.double({ min: 0.05, max: 2, noNaN: true }).chain((v) => fc.constantFrom(v, -v)), { minLength: cells.length, maxLength: cells.length }),
    }),
  )
  .map(({ cells, w, a }) => {
    const k = cells.length;
    const b = new Float64Array(k);
    cells.forEach((c, j) => (b[j] = -w[j] * (-1 + (2 * c) / 64))); // breakpoint -b/w at the grid point
    return twoLayerModel('two-layer', { W: Float64Array.from(w), b, a: Float64Array.from(a), c: 0, k, d: 1, act: ACTIVATION.relu }, 1, new Float64Array(1), 1, {});
  });

/** Deep ReLU nets with all weights and biases nonnegative. */
const nonnegNetArb = fc
  .record({ d: fc.integer({ min: 1, max: 6 }), widths: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }), seed: fc.nat() })
  .map(({ d, widths, seed }) => {
    const rng = new Rng(seed);
    const dims = [d, ...widths, 1];
    const layers: DenseLayer[] = [];
    for (let l = 0; l + 1 < dims.length; l++) {
      const weights = rng.fillUniform(new Float64Array(dims[l] * dims[l + 1]), 0, 1);
      const biases = rng.fillUniform(new Float64Array(dims[l + 1]), 0, 0.5);
      layers.push({ weights, biases, inputs: dims[l], outputs: dims[l + 1] });
    }
    return mlpModel(layers, 'relu');
  });

describe('lower <= exact <= upper on the exactly known cases', () => {
  it('linear: ||w||', () => {
    const inst = buildInstance({ dist: 'gaussian', labels: 'signs', className: 'linear', n: 20, d: 40, seed: 1 });
    const w = (inst.fit.model as unknown as { weights: Float64Array }).weights;
    const rep = sandwich(inst.fit.model, Math.hypot(...w));
    expect(rep.upper!.value / rep.lower.value).toBeLessThan(1 + 1e-9);
  });

  it('bumps: max|h| / r (hat) on R^d', () => {
    const inst = buildInstance({ dist: 'sphere', labels: 'signs', className: 'bumps', n: 40, d: 6, seed: 1 });
    const r = (inst.fit.model as unknown as { r: number }).r;
    sandwich(inst.fit.model, 1 / r, { X: inst.X, n: 40, domain: { kind: 'Rd' } });
  });

  it('1-D two-layer ReLU nets: the breakpoint sweep, reached by gradient ascent within 0.1%', () => {
    fc.assert(
      fc.property(relu1dArb, (model) => {
        const rep = sandwich(model, lipschitz(model, { rng: new Rng(1), rounds: 0, domain: ball(1) }).exact!.value, { domain: ball(1), starts: 64 });
        expect(rep.lower.value).toBeGreaterThanOrEqual(rep.exact!.value * 0.999);
      }),
    );
  });

  it('nonnegative deep ReLU nets: the all-active product, reached by gradient ascent within 0.1%', () => {
    fc.assert(
      fc.property(nonnegNetArb, (model) => {
        const rep = lipschitz(model, { rng: new Rng(3), domain: ball(1), targetRatio: 1.0001 });
        expect(rep.exact).not.toBeNull();
        expect(rep.lower.value).toBeLessThanOrEqual(rep.exact!.value * (1 + 1e-9));
        expect(rep.upper!.value).toBeGreaterThanOrEqual(rep.exact!.value * (1 - 1e-9));
        expect(rep.lower.value).toBeGreaterThanOrEqual(rep.exact!.value * 0.999);
      }),
    );
  });

  it('Gaussian bump c exp(-||x||^2 / (2 s^2)): |c| e^{-1/2} / s', () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }).filter((c) => Math.abs(c) > 0.01), fc.double({ min: 0.1, max: 2, noNaN: true }), fc.integer({ min: 1, max: 6 }), (c, s, d) => {
        const model = gaussianKernelModel(new Float64Array(d), new Float64Array([c]), d, s, 3 * s);
        const exact = (Math.abs(c) * Math.exp(-0.5)) / s;
        const rep = sandwich(model, exact, { domain: ball(3 * s) });
        expect(rep.lower.value).toBeGreaterThanOrEqual(exact * 0.999);
      }),
      { numRuns: 15 },
    );
  });

  it('Chebyshev T_m on [-1, 1] (the unique degree-m interpolant at m + 1 nodes): m^2', () => {
    for (let m = 1; m <= 7; m++) {
      const nodes = Float64Array.from({ length: m + 1 }, (_, i) => Math.cos((Math.PI * (i + 0.5)) / (m + 1)));
      const y = nodes.map((x) => Math.cos(m * Math.acos(x)));
      const s = new Streams(m);
      const fit = fitPolynomial(nodes, m + 1, 1, y, { degree: m }, { init: s.stream('init'), solver: s.stream('solver'), sigma2: 1 });
      expect(fit.relResidual).toBeLessThan(1e-8);
      const rep = sandwich(fit.model, m * m, { domain: ball(1) });
      expect(rep.lower.value).toBeGreaterThanOrEqual(m * m * 0.999);
    }
  });

  it('a nonnegative ReLU net is exact (all units active) on a ball, but not on a sphere, where only tangential secants count', () => {
    // f(x) = relu(x1) + relu(x2): Lip sqrt 2 on R^2 and on the unit ball; Lip 1 on the unit circle
    const net = { W: Float64Array.from([1, 0, 0, 1]), b: new Float64Array(2), a: Float64Array.from([1, 1]), c: 0, k: 2, d: 2, act: ACTIVATION.relu };
    const model = twoLayerModel('two-layer', net, 1, new Float64Array(7), 1, {});
    expect(model.exactLipschitz(ball(1))?.value).toBeCloseTo(Math.SQRT2, 14);
    const onSphere = { kind: 'sphere', radius: 1 } as const;
    expect(model.exactLipschitz(onSphere)).toBeNull();
    const rep = lipschitz(model, { domain: onSphere, rng: new Rng(3), starts: 16, steps: 60, rounds: 2 });
    expect(rep.lower.value).toBeLessThanOrEqual(1 + 1e-9);
    expect(rep.lower.value).toBeGreaterThan(0.99);
    expect(rep.upper!.value).toBeGreaterThanOrEqual(1);
  });
});

describe('bump supports called disjoint are disjoint in exact arithmetic', () => {
  it('at the default radius, for every pair of centres: (2r)^2 < |c_i - c_j|^2 exactly (n = 30, d = 3, seeds 0..39)', () => {
    for (let seed = 0; seed < 40; seed++) {
      const m = buildInstance({ dist: 'sphere', labels: 'signs', className: 'bumps', n: 30, d: 3, seed, modelOptions: { profile: 'hat' } }).fit.model as BumpsModel;
      expect(m.disjoint).toBe(true);
      const twoR = exactScaled(2 * m.r);
      for (let i = 0; i < 30; i++) for (let j = i + 1; j < 30; j++) {
        let s = 0n;
        for (let t = 0; t < 3; t++) s += (exactScaled(m.centres[i * 3 + t]) - exactScaled(m.centres[j * 3 + t])) ** 2n;
        expect(twoR * twoR < s).toBe(true);
      }
    }
  });

  it('a radius a hair above (factor 1 + 4e-13) is not called disjoint: no exact value, and the sum bound covers the overlap lens', () => {
    const inst = buildInstance({ dist: 'sphere', labels: 'signs', className: 'bumps', n: 30, d: 3, seed: 5, modelOptions: { profile: 'hat', radiusFactor: 1 + 4e-13 } });
    const model = inst.fit.model;
    expect(model.exactLipschitz(ball(model.radius))).toBeNull();
    const up = model.upperLipschitz(ball(model.radius), new Rng(1))!;
    expect(up.method).toBe('bumps-sum');
    // the model's own gradients at the data and around them never exceed it
    const rep = lipschitz(model, { X: inst.X, n: 30, rng: new Rng(2), starts: 16, steps: 60, rounds: 1 });
    expect(rep.lower.value).toBeLessThanOrEqual(up.value);
  });
});

describe('exact values carry their rounding, and the 1-D ReLU sweep sees every interval', () => {
  it('two breakpoints an ulp apart: the slope 2 between them is found (a midpoint rule saw 1)', () => {
    const net = { W: Float64Array.from([1, -1]), b: Float64Array.from([-0.3, 0.30000000000000004]), a: Float64Array.from([1, -1]), c: 0, k: 2, d: 1, act: ACTIVATION.relu };
    const model = twoLayerModel('two-layer', net, 1, new Float64Array(7), 1, {});
    const e = model.exactLipschitz(ball(1))!;
    expect(e.value).toBe(2);
    expect(e.interval!.lo).toBeLessThanOrEqual(2);
    expect(e.interval!.hi).toBeGreaterThanOrEqual(2);
    // the secant across the one-ulp interval, exactly: (f(0.30000000000000004) - f(0.3)) / 5.55e-17
    const x = Float64Array.from([0.3, 0.30000000000000004]);
    const f = model.predict(x, 2);
    expect(Math.abs(f[1] - f[0]) / (x[1] - x[0])).toBeGreaterThan(1.5);
  });

  it('the reported lower bound never exceeds the top of the exact value\'s interval, nor the reported upper bound (2-layer relu, d = 1)', () => {
    for (let seed = 0; seed < 6; seed++) {
      const inst = buildInstance({ dist: 'gaussian', labels: 'signs', className: 'two-layer', n: 40, d: 1, seed, modelOptions: { k: 100, activation: 'relu', maxIter: 300 } });
      const rep = lipschitz(inst.fit.model, { X: inst.X, n: 40, rng: new Rng(seed), starts: 16, steps: 60, rounds: 2, targetRatio: 1e-12 });
      expect(rep.exact).not.toBeNull();
      expect(rep.lower.value).toBeLessThanOrEqual(rep.exact!.interval!.hi);
      expect(rep.upper!.value).toBeGreaterThanOrEqual(rep.lower.value);
      expect(rep.upper!.value).toBe(rep.exact!.interval!.hi);
    }
  });
});
