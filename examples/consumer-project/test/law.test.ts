import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { expectedParameterCount, lawInstanceSpec } from 'robustlaw/fast-check';
import { buildInstance } from 'robustlaw';
import { net, X, y, sigma2 } from './network.js';

describe('the network satisfies the universal law of robustness', () => {
  test('its certified Lipschitz lower bound is at least tau eps sqrt(n d / p)', () => {
    // eps = 0.54 - 0.04 = 0.5, law = 0.5 sqrt(4 * 2 / 5) = 0.632, certified Lip = 1: R = 1.58 >= tau = 0.25
    expect(net).toSatisfyLaw({ X, y, sigma2, tau: 0.25 });
  });

  test('its Lipschitz constant is certified above 0.9 (it is exactly 1)', () => {
    expect(net).toHaveLipschitzAbove(0.9, { X });
  });
});

describe('random features with p >= 2n, which interpolate noise, satisfy the law on every drawn instance', () => {
  test('property over seeded in-regime instances (fast-check shrinks a failure to a small one)', () => {
    const features = lawInstanceSpec({ nMax: 30, dMax: 6, workMax: 30_000 }).filter((s) => s.className === 'random-features' && expectedParameterCount(s) >= 2 * s.n);
    fc.assert(
      fc.property(features, (spec) => {
        const { fit, X: Xi, y: yi } = buildInstance(spec);
        expect(fit.model).toSatisfyLaw({ X: Xi, y: yi, sigma2: fit.sigma2, seed: spec.seed });
      }),
      { numRuns: 5, seed: 7 },
    );
  });
});
