import { InputError } from '../core/input-error.js';

/** One measured case as stored in results and baselines. */
export interface BenchRecord {
  /** `${caseId}@${backend}` */
  readonly key: string;
  /** Median time of one call, ms. */
  readonly medianMs: number;
  /** Relative margin of error of the mean, percent (tinybench's rme). */
  readonly rme: number;
  /** medianMs divided by the calibration loop's median in the same run. */
  readonly normalized: number;
}

/** The comparator's verdict on one case. */
export interface CompareRow {
  readonly key: string;
  readonly baseline: number | null;
  readonly current: number | null;
  /** current / baseline of the normalised times (> 1: slower). */
  readonly ratio: number | null;
  readonly status: 'ok' | 'regression' | 'improvement' | 'new' | 'missing';
  /** Set when the case was measured again in a fresh process (see {@link bestOfRuns}). */
  readonly remeasured?: boolean;
}

/**
 * Compares normalised medians with a baseline. A case regresses when it is slower by more than
 * `threshold` (default 25%) PLUS the two runs' margins of error, so that noise is not flagged.
 * Cases only in one of the two are `new` or `missing` (reported, not failures).
 */
export function compareBench(current: readonly BenchRecord[], baseline: readonly BenchRecord[], threshold = 0.25): { rows: CompareRow[]; failed: boolean } {
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new InputError('threshold', 'a finite number > 0', threshold, { context: 'compareBench' });
  const base = new Map(baseline.map((r) => [r.key, r]));
  const rows: CompareRow[] = [];
  for (const c of current) {
    const b = base.get(c.key);
    if (!b) {
      rows.push({ key: c.key, baseline: null, current: c.normalized, ratio: null, status: 'new' });
      continue;
    }
    base.delete(c.key);
    const ratio = c.normalized / b.normalized;
    const noise = (Math.abs(c.rme) + Math.abs(b.rme)) / 100;
    const status = ratio > 1 + threshold + noise ? 'regression' : ratio < 1 / (1 + threshold + noise) ? 'improvement' : 'ok';
    rows.push({ key: c.key, baseline: b.normalized, current: c.normalized, ratio, status });
  }
  for (const b of base.values()) rows.push({ key: b.key, baseline: b.normalized, current: null, ratio: null, status: 'missing' });
  return { rows, failed: rows.some((r) => r.status === 'regression') };
}

/**
 * Joins a run with a re-measurement of some of its cases (taken in a fresh process): per case the faster
 * normalised time, with its own margin of error. A case flagged by {@link compareBench} is measured again
 * and counts as a regression only if the re-measurement is slow too: plain-JS kernels swing up to 1.7x
 * between processes (docs/performance.md) while a real slow-down (a kernel doing its work twice) is slow every time.
 */
export function bestOfRuns(first: readonly BenchRecord[], again: readonly BenchRecord[]): BenchRecord[] {
  const second = new Map(again.map((r) => [r.key, r]));
  return first.map((r) => {
    const s = second.get(r.key);
    return s && s.normalized < r.normalized ? s : r;
  });
}
