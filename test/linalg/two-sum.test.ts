import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { exactScaled } from '../../src/linalg/pow2.js';
import { twoSumError } from '../../src/linalg/two-sum.js';

/** Whether x + y = s + e holds exactly (in integers: every double is an integer multiple of 2^-1074). */
const exact = (x: number, y: number, s: number, e: number) => exactScaled(x) + exactScaled(y) === exactScaled(s) + exactScaled(e);

describe('twoSumError: x + y = fl(x + y) + error, exactly', () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 });
  it('on any doubles, subnormals and mixed scales included (fast-check), and golden cases', () => {
    fc.assert(fc.property(finite, finite, (x, y) => exact(x, y, x + y, twoSumError(x, y, x + y))), { numRuns: 2000 });
    expect(twoSumError(1, 2 ** -60, 1 + 2 ** -60)).toBe(2 ** -60);
    expect(twoSumError(1, -(1 + 2 ** -52), 1 - (1 + 2 ** -52))).toBe(0);
    expect(twoSumError(5e-324, 1e-323, 5e-324 + 1e-323)).toBe(0);
    expect(twoSumError(-0, 0, -0 + 0)).toBe(0);
  });
  it('the check bites: dropping the error (the plain rounded sum) fails it', () => {
    expect(exact(1, 2 ** -60, 1 + 2 ** -60, 0)).toBe(false);
    const run = fc.check(fc.property(finite, finite, (x, y) => exact(x, y, x + y, 0)), { seed: 1, numRuns: 200 });
    expect(run.failed).toBe(true);
  });
});
