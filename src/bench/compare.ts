import { InputError } from '../core/input-error.js';
import { mannWhitneyGreater } from './mann-whitney.js';

/** One measured case as stored in results and baselines. */
export interface BenchRecord {
  /** `${caseId}@${backend}` */
  readonly key: string;
  /** Median time of one call, ms. */
  readonly medianMs: number;
  /** Relative margin of error of the mean, percent (tinybench's rme). */
  readonly rme: number;
  /** medianMs divided by the calibration loop's median in the same run (the median over its rounds). */
  readonly normalized: number;
  /** The normalised median of each measurement round (`bench --rounds`), in order: the samples the
   * comparison's test is made on. Absent in results written before rounds existed. */
  readonly rounds?: readonly number[];
}

/** The comparator's verdict on one case. */
export interface CompareRow {
  readonly key: string;
  readonly baseline: number | null;
  readonly current: number | null;
  /** current / baseline of the normalised times (> 1: slower). */
  readonly ratio: number | null;
  readonly status: 'ok' | 'regression' | 'improvement' | 'new' | 'missing';
  /** The one-sided Mann-Whitney p-value of the rounds in the ratio's direction (null: a side has fewer than
   * {@link MIN_ROUNDS} rounds, so the older rule decided). */
  readonly p?: number | null;
  /** Set when a flagged case was measured again in a fresh process, which alone then decided its status. */
  readonly remeasured?: boolean;
}

/** The default regression threshold on normalised time: 0.25, a case 25% slower (bench --compare, the bench
 * history and its report). */
export const BENCH_THRESHOLD = 0.25;

/** The significance level of the comparison's test (one-sided). */
export const BENCH_ALPHA = 0.01;
/** The fewest rounds per side for the test: with 3 against 3 the smallest p-value is 1/20; the default 5
 * rounds against 5 reach 1/252, below {@link BENCH_ALPHA}. */
export const MIN_ROUNDS = 3;

function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Compares a run with a baseline, case by case. Where both sides have at least {@link MIN_ROUNDS} rounds
 * (`bench --rounds`), a case regresses when the median of its normalised rounds is more than `threshold`
 * (default 25%) above the baseline's AND a one-sided Mann-Whitney test says its rounds are slower than the
 * baseline's at level `alpha` (default {@link BENCH_ALPHA}): a difference the rounds' own noise does not
 * explain and large enough to matter, as benchmark comparators (pyperf, criterion) decide. Improvements
 * mirror it. Older results without rounds: slower by more than `threshold` plus both runs' margins of error.
 * Cases only in one of the two are `new` or `missing` (reported, not failures).
 */
export function compareBench(current: readonly BenchRecord[], baseline: readonly BenchRecord[], threshold = BENCH_THRESHOLD, alpha = BENCH_ALPHA): { rows: CompareRow[]; failed: boolean } {
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new InputError('threshold', 'a finite number > 0', threshold, { context: 'compareBench' });
  if (!(alpha > 0 && alpha < 1)) throw new InputError('alpha', 'in (0, 1)', alpha, { context: 'compareBench' });
  const base = new Map(baseline.map((r) => [r.key, r]));
  const rows: CompareRow[] = [];
  for (const c of current) {
    const b = base.get(c.key);
    if (!b) {
      rows.push({ key: c.key, baseline: null, current: c.normalized, ratio: null, status: 'new' });
      continue;
    }
    base.delete(c.key);
    if (c.rounds !== undefined && b.rounds !== undefined && c.rounds.length >= MIN_ROUNDS && b.rounds.length >= MIN_ROUNDS) {
      const ratio = median(c.rounds) / median(b.rounds);
      const p = ratio >= 1 ? mannWhitneyGreater(c.rounds, b.rounds) : mannWhitneyGreater(b.rounds, c.rounds);
      const status = ratio > 1 + threshold && p < alpha ? 'regression' : ratio < 1 / (1 + threshold) && p < alpha ? 'improvement' : 'ok';
      rows.push({ key: c.key, baseline: median(b.rounds), current: median(c.rounds), ratio, status, p });
      continue;
    }
    const ratio = c.normalized / b.normalized;
    const noise = (Math.abs(c.rme) + Math.abs(b.rme)) / 100;
    const status = ratio > 1 + threshold + noise ? 'regression' : ratio < 1 / (1 + threshold + noise) ? 'improvement' : 'ok';
    rows.push({ key: c.key, baseline: b.normalized, current: c.normalized, ratio, status, p: null });
  }
  for (const b of base.values()) rows.push({ key: b.key, baseline: b.normalized, current: null, ratio: null, status: 'missing' });
  return { rows, failed: rows.some((r) => r.status === 'regression') };
}

/**
 * The comparison after re-measurement: each case `first` flagged as a regression was measured again in a
 * fresh process (`again`, compared with the same baseline), and that comparison alone decides it. A real
 * slow-down is slow in every process; a process that happened to run a kernel slowly (plain-JS kernels
 * swing between processes, docs/performance.md) is not flagged twice in a row, except by chance.
 */
export function confirmRegressions(first: { readonly rows: readonly CompareRow[] }, again: { readonly rows: readonly CompareRow[] }): { rows: CompareRow[]; failed: boolean } {
  const second = new Map(again.rows.map((r) => [r.key, r]));
  const rows = first.rows.map((r) => {
    if (r.status !== 'regression') return r;
    const s = second.get(r.key);
    return s === undefined || s.status === 'new' || s.status === 'missing' ? r : { ...s, remeasured: true };
  });
  return { rows, failed: rows.some((r) => r.status === 'regression') };
}
