import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { Rng } from '../../src/core/rng.js';
import { Streams } from '../../src/core/streams.js';
import { buildInstance, type InstanceSpec } from '../../src/law/instance.js';
import { lipschitz } from '../../src/estimators/lipschitz.js';
import { ball } from '../../src/lipschitz/domain.js';
import { sampledGradients } from '../../src/estimators/sampled-gradients.js';
import { dataFloor } from '../../src/estimators/data-floor.js';
import { spectralNorm } from '../../src/linalg/spectral-norm.js';
import type { Model } from '../../src/models/model.js';
import { FITTED_CLASSES } from '../../src/models/registry.js';

const CLASS_SPECS: (Pick<InstanceSpec, 'className'> & Partial<InstanceSpec>)[] = [
  { className: 'linear' },
  { className: 'random-features', modelOptions: { activation: 'relu' } },
  { className: 'random-features', modelOptions: { activation: 'tanh' } },
  { className: 'random-features', modelOptions: { activation: 'square' } },
  { className: 'random-features', modelOptions: { activation: 'cos' } },
  { className: 'ntk-features', modelOptions: { activation: 'square' } },
  { className: 'ntk-features', modelOptions: { activation: 'cos' } },
  { className: 'ntk-features', modelOptions: { activation: 'tanh' } },
  { className: 'two-layer', modelOptions: { activation: 'tanh', maxIter: 200 } },
  { className: 'two-layer', modelOptions: { activation: 'relu', maxIter: 200, penalty: 0.01 } },
  { className: 'bumps', modelOptions: { profile: 'hat' } },
  { className: 'bumps', modelOptions: { profile: 'c1' } },
  { className: 'gaussian-kernel' },
  { className: 'polynomial', modelOptions: { degree: 2 } },
  // the regime classes, on the data laws they are built from (their dist overrides the drawn one)
  { className: 'intrinsic-bumps', dist: 'subspace', distOptions: { m: 2 } },
  { className: 'atom-bumps', dist: 'clusters', distOptions: { k: 5 } },
];

const instanceArb = fc.record({
  spec: fc.constantFrom(...CLASS_SPECS),
  dist: fc.constantFrom('sphere', 'gaussian', 'hypercube' as const),
  n: fc.integer({ min: 4, max: 24 }),
  d: fc.integer({ min: 2, max: 6 }),
  seed: fc.nat(),
});

type UpperFn = (model: Model, rng: Rng) => number;
const realUpper: UpperFn = (model, rng) => lipschitz(model, { rng, rounds: 0 }).upper?.value ?? Number.POSITIVE_INFINITY;

/** Property: the certified lower bound (full effort) never exceeds the upper bound. */
function lowerLeUpper(upperFn: UpperFn) {
  return fc.property(instanceArb, ({ spec, dist, n, d, seed }) => {
    const inst = buildInstance({ labels: 'signs', dist, ...spec, n, d, seed });
    const s = new Streams(seed);
    const rep = lipschitz(inst.fit.model, { X: inst.X, n, rng: s.stream('estimator'), starts: 8, steps: 60, rounds: 2 });
    const up = upperFn(inst.fit.model, s.stream('estimator/upper'));
    expect(rep.lower.kind).toBe('lower');
    expect(rep.lower.value).toBeLessThanOrEqual(up * (1 + 1e-9));
  });
}

describe('lower <= upper', () => {
  it('covers every fitted class of the registry', () => {
    expect(new Set(CLASS_SPECS.map((s) => s.className))).toEqual(new Set(FITTED_CLASSES));
  });

  it('for every class on random instances', () => {
    fc.assert(lowerLeUpper(realUpper), { numRuns: 40 });
  });

  it('catches a broken "upper bound" (a sampled maximum of gradient norms passed off as one)', () => {
    const sampledMax: UpperFn = (model, rng) => {
      const P = new Float64Array(10 * model.d);
      for (let i = 0; i < P.length; i++) P[i] = rng.normal() / Math.sqrt(model.d);
      return sampledGradients(model, P, 10, 'R^d', 'sampled-max').best.value;
    };
    const result = fc.check(lowerLeUpper(sampledMax), { numRuns: 60 });
    expect(result.failed).toBe(true);
  });
});

describe('every lower bound carries a witness that re-checks', () => {
  it('point witnesses have ||grad f(x)|| = value; pair witnesses |f(a) - f(b)| / ||a - b|| = value', () => {
    for (const spec of CLASS_SPECS) {
      const inst = buildInstance({ dist: 'sphere', labels: 'signs', n: 16, d: 4, seed: 3, ...spec });
      const m = inst.fit.model;
      const rep = lipschitz(m, { X: inst.X, n: 16, rng: new Rng(1), rounds: 1, starts: 4, steps: 30 });
      const w = rep.lower.witness;
      if (w.type === 'point') {
        const g = m.gradient(Float64Array.from(w.x), 1);
        expect(Math.hypot(...g)).toBeCloseTo(rep.lower.value, 10);
      } else if (w.type === 'pair') {
        const f = m.predict(Float64Array.from([...w.a, ...w.b]), 2);
        const dist = Math.hypot(...w.a.map((v, i) => v - w.b[i]));
        // certified: the computed secant lowered by the evaluation-error allowance E(a) + E(b), never above the raw one
        const E = m.evaluationError(Float64Array.from([...w.a, ...w.b]), 2);
        expect(w.allowance).toBeCloseTo(E[0] + E[1], 20);
        expect((Math.abs(f[0] - f[1]) - (E[0] + E[1])) / dist).toBeCloseTo(rep.lower.value, 10);
        expect(rep.lower.value).toBeLessThanOrEqual(Math.abs(f[0] - f[1]) / dist);
      }
    }
  });
});

describe('data floor', () => {
  it('for an exact interpolant equals the McShane bound max |y_i - y_j| / ||x_i - x_j|| (brute force)', () => {
    const inst = buildInstance({ dist: 'sphere', labels: 'signs', className: 'bumps', n: 60, d: 8, seed: 2 });
    const { X, y } = inst;
    let best = 0;
    for (let i = 0; i < 60; i++)
      for (let j = i + 1; j < 60; j++) {
        let s = 0;
        for (let t = 0; t < 8; t++) s += (X[i * 8 + t] - X[j * 8 + t]) ** 2;
        best = Math.max(best, Math.abs(y[i] - y[j]) / Math.sqrt(s));
      }
    expect(dataFloor(inst.fit.model, X, 60, 'R^d').value).toBeCloseTo(best, 12);
  });
});

describe('spectral norm (certified upper bound, not Frobenius)', () => {
  it('upper >= power-iteration estimate, and within 1% of it, on random matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.nat(), (r, c, seed) => {
        const rng = new Rng(seed);
        const M = rng.fillNormal(new Float64Array(r * c));
        const s = spectralNorm(M, r, c, rng);
        expect(s.upper).toBeGreaterThanOrEqual(s.estimate);
        expect(s.upper).toBeLessThanOrEqual(s.estimate * 1.01);
        let fro = 0;
        for (const v of M) fro += v * v;
        expect(s.upper).toBeLessThanOrEqual(Math.sqrt(fro) * (1 + 1e-8));
      }),
    );
  });
  it('is exact on a diagonal matrix (golden value 3, not Frobenius sqrt(14))', () => {
    const M = new Float64Array([3, 0, 0, 0, 2, 0, 0, 0, 1]);
    const s = spectralNorm(M, 3, 3, new Rng(1));
    expect(s.estimate).toBeCloseTo(3, 9);
    expect(s.upper).toBeGreaterThanOrEqual(3);
    expect(s.upper).toBeLessThan(3 * 1.001);
  });
});

describe('the average gradient is a statistic, not a bound', () => {
  it('a narrow-bump interpolant has E||grad f|| far below its certified lower bound (docs/science.md section 5.4)', () => {
    const s = new Streams(9);
    const inst = buildInstance({ dist: 'sphere', labels: 'signs', className: 'bumps', n: 100, d: 10, seed: 9 });
    const fresh = inst.dist.sample(4000, s.stream('estimator/fresh'));
    const rep = lipschitz(inst.fit.model, { X: inst.X, n: 100, fresh, freshCount: 4000, rng: s.stream('estimator'), rounds: 1 });
    expect(rep.average!.kind).toBe('statistic');
    expect(rep.lower.value).toBeGreaterThan(1);
    expect(rep.average!.value).toBeLessThan(0.1 * rep.lower.value);
  });
});

describe('lipschitz() effort control', () => {
  it('spends no ascent rounds when the cheap bounds already meet the target ratio (bumps, linear)', () => {
    const inst = buildInstance({ dist: 'sphere', labels: 'signs', className: 'bumps', n: 50, d: 10, seed: 1 });
    const rep = lipschitz(inst.fit.model, { X: inst.X, n: 50, rng: new Rng(1), domain: ball(inst.fit.model.radius) });
    expect(rep.rounds).toBe(0);
    expect(rep.ratio).toBeLessThanOrEqual(1.01);
  });
});
