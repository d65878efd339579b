import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import type { InstanceSpec } from '../../src/law/instance.js';
import type { Model } from '../../src/models/model.js';
import { parseMlp } from '../../src/models/formats/robustlaw-mlp.js';
import { gradientError, kinkDistance, small } from './helpers.js';

const H = 1e-5;
const TOL = 1e-5;

const CASES: [string, Partial<InstanceSpec> & Pick<InstanceSpec, 'className'>][] = [
  ['linear', { className: 'linear' }],
  ['random-features relu', { className: 'random-features', modelOptions: { activation: 'relu', k: 40 } }],
  ['random-features tanh', { className: 'random-features', modelOptions: { activation: 'tanh', k: 40 } }],
  ['random-features softplus', { className: 'random-features', modelOptions: { activation: 'softplus', k: 40 } }],
  ['random-features square', { className: 'random-features', modelOptions: { activation: 'square', k: 40 } }],
  ['random-features cos', { className: 'random-features', modelOptions: { activation: 'cos', k: 40 } }],
  ['ntk-features square', { className: 'ntk-features', modelOptions: { activation: 'square', k: 8 } }],
  ['ntk-features cos', { className: 'ntk-features', modelOptions: { activation: 'cos', k: 8 } }],
  ['ntk-features tanh', { className: 'ntk-features', modelOptions: { activation: 'tanh', k: 8 } }],
  ['ntk-features relu', { className: 'ntk-features', modelOptions: { activation: 'relu', k: 8 } }],
  ['two-layer tanh', { className: 'two-layer', modelOptions: { activation: 'tanh', maxIter: 50 } }],
  ['two-layer relu + penalty', { className: 'two-layer', modelOptions: { activation: 'relu', maxIter: 50, penalty: 0.01 } }],
  ['bumps hat', { className: 'bumps', modelOptions: { profile: 'hat' } }],
  ['bumps c1', { className: 'bumps', modelOptions: { profile: 'c1' } }],
  ['gaussian-kernel', { className: 'gaussian-kernel' }],
  ['polynomial q=3 (kernel form)', { className: 'polynomial', modelOptions: { degree: 3 } }],
  ['polynomial q=1 (explicit)', { className: 'polynomial', n: 30, modelOptions: { degree: 1 } }],
  ['polynomial q=2 (explicit, p < n)', { className: 'polynomial', n: 30, d: 3, modelOptions: { degree: 2 } }],
];

/** Random points near the data (x_i + noise) or anywhere in the ball of radius 1.5. */
function pointArb(model: Model, X: Float64Array) {
  const d = model.d;
  const n = X.length / d;
  return fc
    .tuple(fc.nat({ max: n - 1 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d, maxLength: d }), fc.double({ min: 0, max: 0.6, noNaN: true }))
    .map(([i, v, s]) => {
      const x = new Float64Array(d);
      for (let t = 0; t < d; t++) x[t] = X[i * d + t] + s * v[t];
      return x;
    });
}

/** Property: the model's gradient matches central finite differences at points away from kinks. */
function gradientProperty(model: Model, X: Float64Array) {
  return fc.property(pointArb(model, X), (x) => {
    fc.pre(kinkDistance(model, x) > 100 * H);
    expect(gradientError(model, x, H)).toBeLessThan(TOL);
  });
}

describe('input gradients match central finite differences (h = 1e-5, tol 1e-5 relative)', () => {
  it.each(CASES)('%s', (_name, spec) => {
    const inst = small(spec);
    fc.assert(gradientProperty(inst.fit.model, inst.X));
  });

  it('mlp (tanh and relu)', () => {
    for (const activation of ['tanh', 'relu']) {
      const net = parseMlp({
        activation,
        layers: [
          { weights: [[0.5, -1, 0.3], [0.2, 0.8, -0.6], [1, 0.1, 0.4]], biases: [0.1, -0.2, 0.05] },
          { weights: [[0.7, -0.4, 1.1], [-0.3, 0.9, 0.2]], biases: [0, 0.3] },
          { weights: [[1.5, -2]], biases: [0.1] },
        ],
      });
      const X = new Float64Array([0.3, -0.2, 0.5, -0.7, 0.1, 0.2]);
      fc.assert(gradientProperty(net, X));
    }
  });

  it('the property bites: a gradient off by 1% in one coordinate fails it', () => {
    const inst = small({ className: 'gaussian-kernel' });
    const good = inst.fit.model;
    const bad: Model = {
      ...good,
      gradient(X, m) {
        const G = good.gradient(X, m);
        for (let i = 0; i < m; i++) G[i * good.d] *= 1.01;
        return G;
      },
    };
    expect(fc.check(gradientProperty(bad, inst.X), { numRuns: 50 }).failed).toBe(true);
  });
});
