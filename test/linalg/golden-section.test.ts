import { describe, expect, it } from 'vitest';
import { goldenMin } from '../../src/linalg/golden-section.js';

describe('goldenMin', () => {
  it('finds the minimiser of a unimodal function to the bracket width (sqrt 5 - 1)^evals / 2^evals, with evals + 2 calls', () => {
    let calls = 0;
    const f = (x: number) => {
      calls++;
      return (x - 1.3) ** 2 + Math.abs(x - 1.3) ** 3;
    };
    const x = goldenMin(f, -8, 5, 30);
    expect(calls).toBe(32);
    expect(Math.abs(x - 1.3)).toBeLessThan(13 * 0.618034 ** 29);
    // an endpoint minimum is approached from inside; a constant function returns a point of the bracket
    expect(goldenMin((t) => t, 0, 1, 40)).toBeLessThan(1e-7);
    const c = goldenMin(() => 0, 2, 3, 5);
    expect(c >= 2 && c <= 3).toBe(true);
  });
});
