import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseMlp } from '../../src/models/formats/robustlaw-mlp.js';
import { buildInstance } from '../../src/law/instance.js';
import { lawCheck, lipschitzAboveCheck, describeWitness } from '../../src/testing/law-checks.js';
import { lawInstanceSpec } from '../../src/testing/fast-check.js';
import '../../src/testing/vitest.js';
import { InputError } from '../../src/core/input-error.js';

// The hand-made network of examples/: f(x) = relu(0.6 x1 + 0.8 x2), p = 5, Lip(f) = 1 exactly.
const net = parseMlp({ activation: 'relu', layers: [{ weights: [[0.6, 0.8]], biases: [0] }, { weights: [[1]], biases: [0] }] });
const X = [[1, 0], [0, 1], [-1, 0], [0, -1]];
const y = [0.4, 1, 0.2, -0.2];

describe('toSatisfyLaw', () => {
  test('passes when the certified lower bound reaches tau times the law (R = 1 / 0.632 = 1.58)', () => {
    expect(net).toSatisfyLaw({ X, y, sigma2: 0.54 });
    const r = lawCheck(net, { X, y, sigma2: 0.54 });
    expect(r.report.law).toBeCloseTo(0.5 * Math.sqrt(8 / 5), 12);
    expect(r.lower).toBeCloseTo(1, 12);
  });

  test('fails (known bad input: a claimed noise level that makes the smooth net a certified shortfall) with bounds, witness and seed', () => {
    // sigma^2 = 10: eps = 9.96, law = 9.96 sqrt(8/5) = 12.6, tau law = 3.15 > Lip = 1 (upper bound 1 too)
    const r = lawCheck(net, { X, y, sigma2: 10, seed: 17 });
    expect(r.pass).toBe(false);
    expect(r.message).toMatch(/^expected the model to satisfy the law: certified lower bound 1 < tau law = 3\.14\d* \(certified short: even the upper bound 1 is below\)/);
    expect(r.message).toContain('certified Lip(f) in [1, 1] on ball(0, 1)');
    expect(r.message).toContain('replay: seed 17');
    expect(r.message).toMatch(/lower bound by exact \([\w-]+\): certificate /);
    expect(() => expect(net).toSatisfyLaw({ X, y, sigma2: 10, seed: 17 })).toThrow(/certified short/);
    expect(net).not.toSatisfyLaw({ X, y, sigma2: 10 });
  });

  test('fails when the model does not fit below the noise level (the law makes no claim)', () => {
    const r = lawCheck(net, { X, y, sigma2: 0.01 });
    expect(r.pass).toBe(false);
    expect(r.message).toMatch(/does not fit below the noise level \(eps = -0\.03 <= 0\)/);
  });

  test('the same seed gives the same bounds; bad options are one InputError', () => {
    const inst = buildInstance({ dist: 'sphere', labels: 'signs', className: 'random-features', n: 20, d: 4, seed: 3, modelOptions: { k: 40, activation: 'tanh' } });
    const a = lawCheck(inst.fit.model, { X: inst.X, y: inst.y, sigma2: 1, seed: 5, starts: 4, steps: 20 });
    const b = lawCheck(inst.fit.model, { X: inst.X, y: inst.y, sigma2: 1, seed: 5, starts: 4, steps: 20 });
    expect([a.lower, a.upper]).toEqual([b.lower, b.upper]);
    expect(() => lawCheck(net, { X: [[1, 2, 3]], y: [1] })).toThrow(InputError);
    expect(() => lawCheck(net, { X, y, tau: 0 })).toThrow(/tau must be a number in \(0, 1\]/);
    expect(() => lawCheck(net, { X, y, seed: -1 })).toThrow(InputError);
  });
});

describe('toHaveLipschitzAbove', () => {
  test('passes below the certified lower bound and fails above the certified upper bound, naming both', () => {
    expect(net).toHaveLipschitzAbove(0.9, { X });
    const r = lipschitzAboveCheck(net, 2, { X, seed: 4 });
    expect(r.pass).toBe(false);
    expect(r.message).toContain('the certified upper bound 1 proves Lip(f) <= 2');
    expect(r.message).toContain('replay: seed 4');
    expect(net).not.toHaveLipschitzAbove(2, { X });
    expect(() => lipschitzAboveCheck(net, Number.NaN)).toThrow(InputError);
  });

  test('describeWitness names points, pairs and certificates', () => {
    expect(describeWitness({ type: 'point', x: [1, 2], gradNorm: 3 })).toBe('||grad f(x)|| = 3 at x = [1, 2]');
    expect(describeWitness({ type: 'pair', a: [0], b: [1], fa: 0, fb: 2, secant: 2 })).toBe('|f(a) - f(b)| / ||a - b|| = 2 with a = [0], b = [1]');
    expect(describeWitness({ type: 'point', x: [1, 2, 3, 4, 5, 6, 7], gradNorm: 1 })).toContain('... (7 coordinates)');
  });
});

describe('robustlaw/fast-check', () => {
  test('instance specs shrink towards small instances (a property false for n > 20 shrinks to n = 21, d = 3, seed 0)', () => {
    const out = fc.check(fc.property(lawInstanceSpec(), (s) => s.n <= 20), { seed: 11, numRuns: 200 });
    expect(out.failed).toBe(true);
    const [spec] = out.counterexample!;
    expect(spec.n).toBe(21);
    expect(spec.d).toBe(3);
    expect(spec.seed).toBe(0);
  });

  test('a budget by limits bounds n and d', () => {
    fc.assert(fc.property(lawInstanceSpec({ nMax: 20, dMax: 5 }), (s) => s.n <= 20 && s.d <= 5), { numRuns: 50, seed: 1 });
  });
});
