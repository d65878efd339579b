import fc from 'fast-check';
import { expect, test } from 'vitest';
import { lawInstance } from 'robustlaw/fast-check';
import { net, X } from './network.js';

// These tests FAIL ON PURPOSE (npm run test:failing): they show what a failed law test prints, namely
// the certified bounds, the witness of the lower bound and the seed that replays it.

test('claim: the network is more than 2-Lipschitz (false: Lip(f) = 1, certified)', () => {
  expect(net).toHaveLipschitzAbove(2, { X });
});

test('claim: every fitted in-regime model is certified at tau = 1 (false: the law holds up to a constant, and the linear class sits near R = 1)', () => {
  const instances = lawInstance({ nMax: 40, dMax: 8, workMax: 20_000 });
  fc.assert(
    fc.property(instances, (inst) => {
      expect(inst.fit.model).toSatisfyLaw({ X: inst.X, y: inst.y, sigma2: inst.fit.sigma2, tau: 1, seed: inst.spec.seed });
    }),
    { numRuns: 20, seed: 42 },
  );
});
