import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { compareBench, confirmRegressions, type BenchRecord } from '../../src/bench/compare.js';
import { mannWhitneyGreater, mannWhitneyTail } from '../../src/bench/mann-whitney.js';

const rec = (key: string, normalized: number, rme = 2): BenchRecord => ({ key, medianMs: normalized * 10, rme, normalized });

describe('benchmark comparator (synthetic results)', () => {
  it('flags a kernel 50% slower than the baseline', () => {
    const r = compareBench([rec('matmul-1024@cpu', 150)], [rec('matmul-1024@cpu', 100)]);
    expect(r.failed).toBe(true);
    expect(r.rows[0].status).toBe('regression');
  });

  it('does not flag noise: +/- 20% with 2% margins, or +30% when the margins are 5% each', () => {
    expect(compareBench([rec('a', 120)], [rec('a', 100)]).failed).toBe(false);
    expect(compareBench([rec('a', 80)], [rec('a', 100)]).failed).toBe(false);
    expect(compareBench([rec('a', 130, 5)], [rec('a', 100, 5)]).failed).toBe(false);
  });

  it('is machine-independent: every kernel and the calibration 2x slower is not a regression', () => {
    // normalised times are kernel / calibration, so a uniformly slower machine leaves them unchanged
    const base = [rec('a', 100), rec('b', 7)];
    const slowMachine = base.map((r) => ({ ...r, medianMs: r.medianMs * 2 }));
    expect(compareBench(slowMachine, base).failed).toBe(false);
  });

  it('reports new and missing cases without failing, and improvements as such', () => {
    const r = compareBench([rec('new', 1), rec('fast', 50)], [rec('gone', 1), rec('fast', 100)]);
    expect(r.rows.map((x) => [x.key, x.status]).sort()).toEqual([['fast', 'improvement'], ['gone', 'missing'], ['new', 'new']]);
    expect(r.failed).toBe(false);
  });

  it('property: a ratio above 1 + threshold + noise always fails, below 1 + threshold never does', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }), (base, rme, thr) => {
        const noise = (2 * rme) / 100;
        expect(compareBench([rec('k', base * (1 + thr + noise) * 1.01, rme)], [rec('k', base, rme)], thr).failed).toBe(true);
        expect(compareBench([rec('k', base * (1 + thr) * 0.99, rme)], [rec('k', base, rme)], thr).failed).toBe(false);
      }),
    );
  });

  it('rejects a bad threshold', () => {
    expect(() => compareBench([], [], 0)).toThrow(/threshold must be a finite number > 0/);
  });
});

describe('confirmRegressions: a flagged case is decided by its re-measurement in a fresh process', () => {
  const rec = (key: string, normalized: number, rme = 2): BenchRecord => ({ key, medianMs: normalized * 30, rme, normalized });
  const baseline = [rec('matmul-512@cpu', 2.9), rec('gram@cpu', 10)];

  it('a one-off slow measurement (process noise) is cleared when the re-measurement is normal', () => {
    const first = compareBench([rec('matmul-512@cpu', 4.6), rec('gram@cpu', 10.2)], baseline);
    expect(first.failed).toBe(true);
    const final = confirmRegressions(first, compareBench([rec('matmul-512@cpu', 3.0)], baseline));
    expect(final.failed).toBe(false);
    expect(final.rows.find((r) => r.key === 'matmul-512@cpu')).toMatchObject({ current: 3.0, status: 'ok', remeasured: true });
    expect(final.rows.find((r) => r.key === 'gram@cpu')!.remeasured).toBeUndefined();
  });

  it('a kernel slow in both measurements (doing its work twice) stays a regression', () => {
    const first = compareBench([rec('matmul-512@cpu', 5.9), rec('gram@cpu', 10.2)], baseline);
    const final = confirmRegressions(first, compareBench([rec('matmul-512@cpu', 5.7)], baseline));
    expect(final.failed).toBe(true);
    expect(final.rows.find((r) => r.key === 'matmul-512@cpu')).toMatchObject({ status: 'regression', remeasured: true });
  });

  it('a flagged case the re-measurement did not cover stays flagged', () => {
    const first = compareBench([rec('a', 5)], [rec('a', 1)]);
    expect(confirmRegressions(first, compareBench([], [rec('a', 1)])).failed).toBe(true);
  });
});

describe('rounds: a regression is a difference the rounds\' noise does not explain, and large enough', () => {
  const rounds = (key: string, values: readonly number[]): BenchRecord => ({ key, medianMs: 1, rme: 0, normalized: values[0], rounds: values });
  const base = rounds('k', [1.0, 1.02, 0.98, 1.01, 0.99]);

  it('every round 1.5x slower: a regression (p = 1/252 with 5 rounds a side)', () => {
    const r = compareBench([rounds('k', [1.5, 1.52, 1.48, 1.51, 1.49])], [base]);
    expect(r.rows[0]).toMatchObject({ status: 'regression' });
    expect(r.rows[0].p).toBeCloseTo(1 / 252, 12);
    expect(r.rows[0].ratio).toBeCloseTo(1.5, 12);
  });

  it('a median 1.4x slower made of two wild rounds among normal ones is not significant', () => {
    const r = compareBench([rounds('k', [1.0, 2.9, 1.01, 3.1, 1.4])], [base]);
    expect(r.rows[0].ratio).toBeGreaterThan(1.25);
    expect(r.rows[0].p).toBeGreaterThan(0.01);
    expect(r.rows[0].status).toBe('ok');
  });

  it('a significant but small difference (10%) is not a regression at threshold 25%', () => {
    const r = compareBench([rounds('k', [1.1, 1.12, 1.08, 1.11, 1.09])], [base]);
    expect(r.rows[0].p).toBeLessThan(0.01);
    expect(r.rows[0].status).toBe('ok');
  });

  it('improvements mirror regressions; fewer than 3 rounds on a side falls back to the margin rule (p null)', () => {
    expect(compareBench([rounds('k', [0.5, 0.51, 0.49, 0.5, 0.52])], [base]).rows[0].status).toBe('improvement');
    const legacy = compareBench([rounds('k', [2, 2])], [base]);
    expect(legacy.rows[0]).toMatchObject({ status: 'regression', p: null });
  });

  it('property: rounds within +-10% of each other are never flagged at the 25% threshold, however they are ordered', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.9, max: 1.1, noNaN: true }), { minLength: 10, maxLength: 10 }), (v) => {
        expect(compareBench([rounds('k', v.slice(0, 5))], [rounds('k', v.slice(5))]).failed).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the one-sided Mann-Whitney test', () => {
  it('exact tail probabilities: golden values', () => {
    // P(U >= 25 | m = n = 5) = 1 / C(10, 5); the null distribution is symmetric about m n / 2
    expect(mannWhitneyTail(25, 5, 5)).toBe(1 / 252);
    expect(mannWhitneyTail(0, 5, 5)).toBe(1);
    expect(mannWhitneyTail(13, 5, 5)).toBe(0.5);
    // m = 3, n = 4: U >= 11 has 2 of C(7, 3) = 35 arrangements (U = 11, 12)
    expect(mannWhitneyTail(11, 3, 4)).toBeCloseTo(2 / 35, 15);
    expect(mannWhitneyTail(12, 3, 4)).toBeCloseTo(1 / 35, 15);
  });

  it('against brute force over every arrangement of small samples', () => {
    // enumerate which of the m + n ranks belong to x; count U >= u
    for (const [m, n] of [[2, 3], [3, 3], [4, 2], [4, 5]] as const) {
      const N = m + n;
      const us: number[] = [];
      for (let mask = 0; mask < 1 << N; mask++) {
        if (bitCount(mask) !== m) continue;
        let u = 0;
        for (let i = 0; i < N; i++) if (mask & (1 << i)) for (let j = 0; j < i; j++) if (!(mask & (1 << j))) u++;
        us.push(u);
      }
      for (let u = 0; u <= m * n; u++) expect(mannWhitneyTail(u, m, n)).toBeCloseTo(us.filter((v) => v >= u).length / us.length, 14);
    }
  });

  it('on samples: all of x above y gives the smallest p; ties use the normal approximation; bad input is a RangeError', () => {
    expect(mannWhitneyGreater([6, 7, 8, 9, 10], [1, 2, 3, 4, 5])).toBe(1 / 252);
    expect(mannWhitneyGreater([1, 2, 3], [4, 5, 6])).toBe(1);
    expect(mannWhitneyGreater([2, 2, 2], [2, 2, 2])).toBe(1);
    const tied = mannWhitneyGreater([3, 3, 4, 5], [1, 2, 3, 3]);
    expect(tied).toBeGreaterThan(0.01);
    expect(tied).toBeLessThan(0.2);
    expect(() => mannWhitneyGreater([], [1])).toThrow(RangeError);
    expect(() => mannWhitneyGreater([NaN], [1])).toThrow(RangeError);
  });
});

function bitCount(x: number): number {
  let c = 0;
  for (let v = x; v; v &= v - 1) c++;
  return c;
}
