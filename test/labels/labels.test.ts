import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { InputError } from '../../src/core/input-error.js';
import { Streams } from '../../src/core/streams.js';
import { makeDistribution } from '../../src/data/make-distribution.js';
import { LABEL_NAMES, type LabelName } from '../../src/labels/label-model.js';
import { makeLabels, type LabelOptions } from '../../src/labels/make-labels.js';

/** Empirical E[(y - E[y|x])^2] and its standard error over n draws. */
function empiricalSigma2(name: LabelName, opts: LabelOptions, n: number, seed: number) {
  const d = 20;
  const s = new Streams(seed);
  const X = makeDistribution('sphere', d, {}, s).sample(n, s.stream('data'));
  const model = makeLabels(name, d, opts, s);
  const y = model.sample(X, n, d, s.stream('noise'));
  const m = model.mean(X, n, d);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const r = (y[i] - m[i]) ** 2;
    s1 += r;
    s2 += r * r;
  }
  const mean = s1 / n;
  const se = Math.sqrt(Math.max(s2 / n - mean * mean, 0) / n);
  return { model, y, mean, se };
}

describe('label models', () => {
  it.each<[LabelName, LabelOptions, number]>([
    ['signs', {}, 1],
    ['flips', { eta: 0.1 }, 4 * 0.1 * 0.9],
    ['flips', { eta: 0.3 }, 4 * 0.3 * 0.7],
    ['additive', { noise: 0.4 }, 0.16 / 3],
    ['additive', { noise: 0.3, noiseLaw: 'rademacher' }, 0.09],
    ['noiseless', {}, 0],
  ])('%s %o: exact sigma^2 = %d, empirical within a 6-sigma interval', (name, opts, exact) => {
    const { model, mean, se } = empiricalSigma2(name, opts, 40_000, 5);
    expect(model.sigma2).toBeCloseTo(exact, 14);
    expect(Math.abs(mean - exact)).toBeLessThanOrEqual(6 * se + 1e-12);
  });

  it('the sigma^2 check can fail: a wrong exact value is outside the interval', () => {
    const { mean, se } = empiricalSigma2('flips', { eta: 0.1 }, 40_000, 5);
    expect(Math.abs(mean - 4 * 0.2 * 0.8)).toBeGreaterThan(6 * se);
  });

  test.prop([fc.constantFrom(...LABEL_NAMES), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.nat()])(
    'labels always satisfy |y| <= 1',
    (name, eta, noise, seed) => {
      const { y } = empiricalSigma2(name, { eta, noise }, 200, seed);
      expect(y.every((v) => Math.abs(v) <= 1)).toBe(true);
    },
  );

  it('rejects a model that cannot guarantee |y| <= 1', () => {
    const s = new Streams(1);
    expect(() => makeLabels('additive', 5, { noise: 0.5, amplitude: 0.9 }, s)).toThrow(/additive: labelOptions.noise must be at most 1 - the teacher's amplitude 0\.9, so that \|y\| <= 1 \(got 0\.5\)/);
    expect(() => makeLabels('flips', 5, { eta: 1.5 }, s)).toThrow(/flips: labelOptions.eta must be in \[0, 1\] \(got 1.5\)/);
    expect(() => makeLabels('additive', 5, { noise: 1.2 }, s)).toThrow(InputError);
  });
});
