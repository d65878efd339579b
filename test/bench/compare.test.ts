import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { bestOfRuns, compareBench, type BenchRecord } from '../../src/bench/compare.js';

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

describe('bestOfRuns: a flagged case is confirmed by a second measurement', () => {
  const rec = (key: string, normalized: number, rme = 2): BenchRecord => ({ key, medianMs: normalized * 30, rme, normalized });
  const baseline = [rec('matmul-512@cpu', 2.9), rec('gram@cpu', 10)];

  it('a one-off slow measurement (process noise) is cleared when the re-measurement is normal', () => {
    const first = [rec('matmul-512@cpu', 4.6), rec('gram@cpu', 10.2)];
    expect(compareBench(first, baseline).failed).toBe(true);
    const again = [rec('matmul-512@cpu', 3.0)];
    const second = compareBench(bestOfRuns(first, again), baseline);
    expect(second.failed).toBe(false);
    expect(second.rows.find((r) => r.key === 'matmul-512@cpu')!.current).toBe(3.0);
  });

  it('a kernel slow in both measurements (doing its work twice) stays a regression', () => {
    const first = [rec('matmul-512@cpu', 5.9), rec('gram@cpu', 10.2)];
    const again = [rec('matmul-512@cpu', 5.7)];
    const second = compareBench(bestOfRuns(first, again), baseline);
    expect(second.failed).toBe(true);
    expect(second.rows.find((r) => r.key === 'matmul-512@cpu')!.status).toBe('regression');
  });

  it('keeps the first measurement where the second is slower or absent', () => {
    const first = [rec('a', 1), rec('b', 2)];
    expect(bestOfRuns(first, [rec('a', 1.5)]).map((r) => r.normalized)).toEqual([1, 2]);
  });
});
