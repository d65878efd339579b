/**
 * Benchmark history (docs/package.md): one JSONL line per `robustlaw bench --history FILE` run, with the
 * commit, date, machine, calibration and per-kernel medians, and the trend analysis that reads it back.
 * The trend judges each run against the history's baseline run with the comparator's own rule
 * ({@link compareBench}: slower by more than the threshold plus both runs' margins of error, on times
 * normalised by the calibration loop measured in the same run), and names the first commit of each
 * regression: the first run of an unbroken streak of regressed runs of a kernel.
 * @module
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-write.js';
import { InputError } from '../core/input-error.js';
import { MAX_FILE_BYTES } from '../core/read-file.js';
import { BENCH_THRESHOLD, compareBench, type BenchRecord } from './compare.js';
import type { BenchResult } from './run-bench.js';

/** The format tag of a history line. */
export const HISTORY_FORMAT = 'robustlaw-bench-history/1';

const kernelSchema = z.object({ medianMs: z.number().positive(), normalized: z.number().positive(), rme: z.number().nonnegative() }).strict();

/** One line of a bench history: a run. */
export const historyEntrySchema = z
  .object({
    format: z.literal(HISTORY_FORMAT),
    commit: z.string().min(1).max(200),
    date: z.string().min(1).max(100),
    machine: z.object({ cpu: z.string(), cores: z.number(), platform: z.string(), node: z.string() }).strict(),
    calibration: z.object({ medianMs: z.number().positive(), rme: z.number().nonnegative() }).strict(),
    /** A kernel deliberately slowed for this run (ROBUSTLAW_BENCH_SLOW), else null. */
    slowed: z.string().nullable(),
    kernels: z.record(z.string(), kernelSchema),
  })
  .strict();

/** One run in a bench history. */
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** The history line of a bench run; `commit` overrides the commit the run's environment names. */
export function historyEntry(r: BenchResult, commit?: string): HistoryEntry {
  const env = r.environment;
  return {
    format: HISTORY_FORMAT,
    commit: commit ?? String(env.commit ?? 'unknown'),
    date: String(env.date ?? new Date().toISOString()),
    machine: { cpu: String(env.cpu ?? 'unknown'), cores: Number(env.cores ?? 0), platform: String(env.platform ?? 'unknown'), node: String(env.node ?? 'unknown') },
    calibration: { medianMs: r.calibration.medianMs, rme: Math.abs(r.calibration.rme) },
    slowed: r.slowed,
    kernels: Object.fromEntries(r.rows.map((row) => [row.key, { medianMs: row.medianMs, normalized: row.normalized, rme: Math.abs(row.rme) }])),
  };
}

/**
 * Reads a history file: one {@link HistoryEntry} per non-empty line. A missing file is an empty history;
 * a line that is not a history entry is one {@link InputError} naming the file and the line.
 */
export function readHistory(path: string, parameter = 'history'): HistoryEntry[] {
  if (!existsSync(path)) return [];
  const st = statSync(path);
  if (!st.isFile()) throw new InputError(parameter, 'a regular JSONL file', path, { shown: `${path} is not a regular file` });
  if (st.size > MAX_FILE_BYTES) throw new InputError(parameter, `a file of at most ${MAX_FILE_BYTES / 2 ** 20} MiB`, path, { shown: `${path} has ${st.size} bytes` });
  const out: HistoryEntry[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new InputError(parameter, `a ${HISTORY_FORMAT} JSONL file`, path, { shown: `${path} line ${i + 1} is not JSON` });
      }
      const parsed = historyEntrySchema.safeParse(raw);
      if (!parsed.success) throw new InputError(parameter, `a ${HISTORY_FORMAT} JSONL file`, path, { shown: `${path} line ${i + 1}: ${parsed.error.issues[0]?.path.join('.') || 'entry'} ${parsed.error.issues[0]?.message ?? ''}`.trim() });
      out.push(parsed.data);
    });
  return out;
}

/**
 * Checks, before any work, that `path` can take the history (or, for a report, the files next to it): a
 * non-empty path whose file, if it exists, is a writable history ({@link readHistory}), and whose nearest
 * existing ancestor directory is writable. Returns the history read.
 */
export function checkHistoryPath(path: string, parameter = 'history'): HistoryEntry[] {
  if (path.trim() === '') throw new InputError(parameter, 'a file path', path);
  const history = readHistory(path, parameter);
  let dir = dirname(resolve(path));
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const writable = (p: string) => {
    try {
      accessSync(p, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (!statSync(dir).isDirectory() || !writable(dir) || (existsSync(path) && !writable(path))) throw new InputError(parameter, 'a file in a writable directory', path, { shown: `${path} (not writable)` });
  return history;
}

/** Appends a run to a history file (rewritten atomically: a reader sees the old history or the new one). */
export function appendHistory(path: string, entry: HistoryEntry, parameter = 'history'): number {
  const before = readHistory(path, parameter);
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  writeFileAtomic(path, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${JSON.stringify(historyEntrySchema.parse(entry))}\n`);
  return before.length + 1;
}

/** One kernel at one run of the history. */
export interface TrendPoint {
  /** Index of the run in the history (0 = the baseline run). */
  readonly run: number;
  readonly commit: string;
  readonly date: string;
  readonly key: string;
  /** Calibration-normalised median (kernel time / calibration loop time). */
  readonly normalized: number;
  /** normalized / the baseline run's normalized. */
  readonly ratio: number;
  readonly status: 'baseline' | 'ok' | 'regression' | 'improvement';
  readonly slowed: boolean;
}

/** A regression streak of one kernel: where it started (its first commit) and how long it lasted. */
export interface Regression {
  readonly key: string;
  readonly firstRun: number;
  readonly firstCommit: string;
  /** The last regressed run of the streak. */
  readonly lastRun: number;
  /** The largest ratio to the baseline within the streak. */
  readonly worstRatio: number;
  /** Whether the history still regresses at its last run. */
  readonly open: boolean;
}

/** The trend of a history: its points per kernel and its regressions. */
export interface Trend {
  readonly threshold: number;
  readonly baselineRun: number;
  readonly baselineCommit: string | null;
  readonly keys: readonly string[];
  readonly points: readonly TrendPoint[];
  readonly regressions: readonly Regression[];
}

/**
 * The trend of a history against its baseline run (the first run, or `baselineRun`): each later run's
 * kernels compared with {@link compareBench} at `threshold` (default 0.25), regressions grouped into
 * streaks per kernel, each named by its first commit.
 */
export function historyTrend(history: readonly HistoryEntry[], threshold = BENCH_THRESHOLD, baselineRun = 0): Trend {
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new InputError('threshold', 'a finite number > 0', threshold);
  if (history.length === 0) return { threshold, baselineRun: 0, baselineCommit: null, keys: [], points: [], regressions: [] };
  if (!Number.isInteger(baselineRun) || baselineRun < 0 || baselineRun >= history.length) throw new InputError('baselineRun', `an integer in [0, ${history.length - 1}]`, baselineRun);
  const records = (e: HistoryEntry): BenchRecord[] => Object.entries(e.kernels).map(([key, k]) => ({ key, medianMs: k.medianMs, rme: k.rme, normalized: k.normalized }));
  const base = records(history[baselineRun]);
  const baseBy = new Map(base.map((r) => [r.key, r]));
  const points: TrendPoint[] = [];
  history.forEach((e, run) => {
    const slowedKernel = e.slowed?.split(':')[0] ?? null;
    if (run === baselineRun) {
      for (const r of base) points.push({ run, commit: e.commit, date: e.date, key: r.key, normalized: r.normalized, ratio: 1, status: 'baseline', slowed: slowedKernel !== null && kernelOf(r.key) === slowedKernel });
      return;
    }
    const { rows } = compareBench(records(e), base, threshold);
    for (const row of rows) {
      if (row.current === null || row.ratio === null || row.status === 'new' || row.status === 'missing') continue;
      points.push({ run, commit: e.commit, date: e.date, key: row.key, normalized: row.current, ratio: row.ratio, status: row.status, slowed: slowedKernel !== null && kernelOf(row.key) === slowedKernel });
    }
  });
  const keys = [...baseBy.keys()].sort();
  const regressions: Regression[] = [];
  for (const key of keys) {
    const series = points.filter((p) => p.key === key).sort((a, b) => a.run - b.run);
    let streak: TrendPoint[] = [];
    const close = (open: boolean) => {
      if (streak.length > 0) regressions.push({ key, firstRun: streak[0].run, firstCommit: streak[0].commit, lastRun: streak[streak.length - 1].run, worstRatio: Math.max(...streak.map((p) => p.ratio)), open });
      streak = [];
    };
    for (const p of series) {
      if (p.status === 'regression') streak.push(p);
      else close(false);
    }
    close(true);
  }
  return { threshold, baselineRun, baselineCommit: history[baselineRun].commit, keys, points, regressions };
}

/** The kernel of a bench key `${caseId}@${backend}`: the case id up to its first '-' (`matmul-256@cpu` -> `matmul`). */
export function kernelOf(key: string): string {
  return key.split('@')[0].split('-')[0];
}
