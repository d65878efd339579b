import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { bestSecantPair, SECANT_BLOCK } from '../../src/linalg/pairwise-secant.js';

/** Brute force: the largest secant over all pairs of distinct points (-1 when none). */
function bruteMax(X: number[], f: number[], n: number, d: number): number {
  let best = -1;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (X[i * d + t] - X[j * d + t]) ** 2;
    if (s > 0) best = Math.max(best, Math.abs(f[i] - f[j]) / Math.sqrt(s));
  }
  return best;
}

/** Points on a small grid with values in {-1, 0, 1}: many tied secants. */
const tiedData = fc.record({ n: fc.integer({ min: 0, max: 3 * SECANT_BLOCK + 5 }), d: fc.integer({ min: 1, max: 3 }) }).chain(({ n, d }) =>
  fc.record({
    n: fc.constant(n),
    d: fc.constant(d),
    X: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: n * d, maxLength: n * d }),
    f: fc.array(fc.integer({ min: -1, max: 1 }), { minLength: n, maxLength: n }),
  }),
);

describe('bestSecantPair (the one pairwise-secant loop)', () => {
  test.prop([tiedData], { numRuns: 60 })('finds the largest secant, and block-aligned row ranges merged in order give the same pair (ties too)', ({ n, d, X, f }) => {
    const all = bestSecantPair(X, f, n, d);
    const want = bruteMax(X, f, n, d);
    if (want < 0) {
      expect(all).toBeNull();
      return;
    }
    expect(all!.secant).toBe(want);
    let s = 0;
    for (let t = 0; t < d; t++) s += (X[all!.i * d + t] - X[all!.j * d + t]) ** 2;
    expect(Math.abs(f[all!.i] - f[all!.j]) / Math.sqrt(s)).toBe(want);
    // pieces cut at block multiples, merged with strict > in order (as the worker pool does)
    let merged: { secant: number; i: number; j: number } = { secant: 0, i: 0, j: 0 };
    for (let i0 = 0; i0 < n; i0 += SECANT_BLOCK) {
      const r = bestSecantPair(X, f, n, d, i0, Math.min(n, i0 + SECANT_BLOCK)) ?? { secant: 0, i: 0, j: 0 };
      if (r.secant > merged.secant || (i0 === 0)) merged = r;
    }
    if (all!.secant > 0) expect(merged).toEqual(all);
  });
});
