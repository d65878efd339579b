import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { appendHistory, historyEntry, historyTrend, kernelOf, readHistory, HISTORY_FORMAT, type HistoryEntry } from '../../src/bench/history.js';
import type { BenchResult } from '../../src/bench/run-bench.js';
import { benchHistoryPlot } from '../../src/report/bench-history-plot.js';
import { historyCustomSmallerIsBetter, writeBenchHistoryReport } from '../../src/report/write-bench-history.js';
import { InputError } from '../../src/core/input-error.js';
import { cli, runCli } from '../cli/helpers.js';

const inProcess = (argv: string[]) => runCli(argv);

/** A run: normalised times per key (calibration 10 ms), margins of error `rme` percent. */
const run = (commit: string, kernels: Record<string, number>, rme = 2, slowed: string | null = null): HistoryEntry => ({
  format: HISTORY_FORMAT,
  commit,
  date: '2026-01-01T00:00:00Z',
  machine: { cpu: 'test cpu', cores: 2, platform: 'linux-x64', node: 'v20' },
  calibration: { medianMs: 10, rme: 1 },
  slowed,
  kernels: Object.fromEntries(Object.entries(kernels).map(([k, v]) => [k, { medianMs: v * 10, normalized: v, rme }])),
});

describe('the history trend (synthetic runs)', () => {
  test('a slowed kernel is a regression named by its first commit; the streak ends when it recovers', () => {
    const h = [run('c0', { 'matmul-1@cpu': 1, 'gram-1@cpu': 2 }), run('c1', { 'matmul-1@cpu': 1.05, 'gram-1@cpu': 2 }), run('c2', { 'matmul-1@cpu': 2, 'gram-1@cpu': 2 }, 2, 'matmul'), run('c3', { 'matmul-1@cpu': 2.1, 'gram-1@cpu': 2.1 }), run('c4', { 'matmul-1@cpu': 1, 'gram-1@cpu': 2 })];
    const t = historyTrend(h);
    expect(t.regressions).toEqual([{ key: 'matmul-1@cpu', firstRun: 2, firstCommit: 'c2', lastRun: 3, worstRatio: 2.1, open: false }]);
    expect(t.points.filter((p) => p.slowed).map((p) => [p.run, p.key])).toEqual([[2, 'matmul-1@cpu']]);
    expect(t.points.find((p) => p.run === 0)?.status).toBe('baseline');
  });

  test("noise is the comparator's: +40% with 20% margins is not a regression, +60% is; an open streak is reported open", () => {
    const noisy = historyTrend([run('a', { 'k@cpu': 1 }, 20), run('b', { 'k@cpu': 1.4 }, 20)]);
    expect(noisy.regressions).toEqual([]);
    const slow = historyTrend([run('a', { 'k@cpu': 1 }, 2), run('b', { 'k@cpu': 1.6 }, 2)]);
    expect(slow.regressions).toMatchObject([{ firstCommit: 'b', open: true }]);
    // a slower machine (every kernel and the calibration slower) leaves the normalised times, so no regression
    const machine = run('m', { 'k@cpu': 1 });
    expect(historyTrend([run('a', { 'k@cpu': 1 }), { ...machine, calibration: { medianMs: 30, rme: 1 }, kernels: { 'k@cpu': { medianMs: 30, normalized: 1, rme: 2 } } }]).regressions).toEqual([]);
  });

  test('bad thresholds and baselines are one InputError; an empty history has no trend', () => {
    expect(() => historyTrend([run('a', { k: 1 })], 0)).toThrow(InputError);
    expect(() => historyTrend([run('a', { k: 1 })], 0.25, 3)).toThrow(/baselineRun must be an integer in \[0, 0\]/);
    expect(historyTrend([]).points).toEqual([]);
    expect(kernelOf('pairwiseSecant-4096x256@cpu-workers')).toBe('pairwiseSecant');
  });
});

describe('the history file', () => {
  test('appends runs, reads them back, and refuses a line that is not a run (naming the line)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustlaw-history-'));
    const file = join(dir, 'h.jsonl');
    expect(readHistory(file)).toEqual([]);
    expect(appendHistory(file, run('a', { 'k@cpu': 1 }))).toBe(1);
    expect(appendHistory(file, run('b', { 'k@cpu': 1.1 }))).toBe(2);
    expect(readHistory(file).map((e) => e.commit)).toEqual(['a', 'b']);
    appendFileSync(file, '{"format":"robustlaw-bench-history/1"}\n');
    expect(() => readHistory(file)).toThrow(/line 3/);
    writeFileSync(file, 'not json\n');
    expect(() => readHistory(file, 'benchHistory')).toThrow(/benchHistory must be a robustlaw-bench-history\/1 JSONL file \(got .* line 1 is not JSON\)/);
  });

  test('the plot marks the slowed run and names the first commit of the regression; customSmallerIsBetter lists each kernel twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustlaw-history-'));
    const file = join(dir, 'trend.jsonl');
    for (const e of [run('1111111aaaa', { 'matmul-128@cpu': 1 }), run('2222222bbbb', { 'matmul-128@cpu': 3 }, 2, 'matmul:4'), run('3333333cccc', { 'matmul-128@cpu': 1.02 })]) appendHistory(file, e);
    const out = await writeBenchHistoryReport(file);
    expect(out.files.map((f) => f.slice(dir.length + 1))).toEqual(['trend.svg', 'trend.md', 'trend.benchmark.json']);
    const svg = readFileSync(out.files[0], 'utf8');
    expect(svg).toContain('regression from 2222222');
    expect(svg).not.toContain('regression from 3333333');
    expect(svg).toContain('deliberately slowed');
    expect(readFileSync(out.files[1], 'utf8')).toMatch(/\| matmul-128@cpu \| 2222222 \| 1\.\.1 \| 3 \| no \|/);
    const gab = JSON.parse(readFileSync(out.files[2], 'utf8')) as { name: string; unit: string; value: number }[];
    expect(gab).toEqual(historyCustomSmallerIsBetter(readHistory(file)[2]));
    expect(gab.map((g) => [g.name, g.unit, g.value])).toEqual([['matmul-128@cpu', 'ms', 10.2], ['matmul-128@cpu (time / calibration loop)', 'x calibration', 1.02]]);
    // the spec carries the baseline and threshold rules per kernel
    const spec = JSON.stringify(benchHistoryPlot(out.trend));
    expect(spec).toContain('"limit":1.25');
  });
});

/**
 * A bench result as runBench returns it, but with the matmul time given (ms, against a 10 ms
 * calibration loop) instead of measured: a deliberately slowed run is then slower by exactly the factor
 * given, whatever the machine's noise (issue 27: a measured 8x slow-down was not slower than a busy
 * machine's noise, and the test saw 0 regressions).
 */
const benchResult = (matmulMs: number, slowed: string | null = null, rme = 3): BenchResult => ({
  format: 'robustlaw-bench/1',
  environment: { node: 'v20', cpu: 'test cpu', cores: 2, platform: 'linux-x64', date: '2026-01-01T00:00:00Z', commit: 'unknown' },
  calibration: { medianMs: 10, rme: 1 },
  rows: [{ key: 'matmul-128@cpu', caseId: 'matmul-128', backend: 'cpu', mode: 'cpu', kernel: 'matmul', size: '128x128', flops: 2 * 128 ** 3, gflops: (2 * 128 ** 3) / (matmulMs * 1e6), medianMs: matmulMs, rme, samples: 15, normalized: matmulMs / 10, speedupVsCpu: 1 }],
  skipped: [],
  slowed,
});

describe('robustlaw bench --history and report --bench-history (three runs, one deliberately slowed)', () => {
  test('the slowed run is flagged and plotted as the first commit of a regression; the same history without the slow-down is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustlaw-history-'));
    // the lines bench --history appends (historyEntry, appendHistory), from given times: 2 ms, 8x with matmul:8, 2.04 ms
    const history = (name: string, slowedMs: number) => {
      const file = join(dir, `${name}.jsonl`);
      appendHistory(file, historyEntry(benchResult(2), 'aaaaaaa0001'));
      appendHistory(file, historyEntry(benchResult(slowedMs, 'matmul:8'), 'bbbbbbb0002'));
      appendHistory(file, historyEntry(benchResult(2.04), 'ccccccc0003'));
      return file;
    };
    const file = history('bench', 16);
    expect(readHistory(file).map((e) => [e.commit, e.slowed, e.kernels['matmul-128@cpu'].normalized])).toEqual([['aaaaaaa0001', null, 0.2], ['bbbbbbb0002', 'matmul:8', 1.6], ['ccccccc0003', null, 2.04 / 10]]);
    const r = await inProcess(['report', '--bench-history', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^bench history: 3 runs, 1 cases, 1 regression\(s\)\nREGRESSION matmul-128@cpu from commit bbbbbbb \(runs 1\.\.1, worst 8\.00x the baseline\)\n/);
    const svg = readFileSync(join(dir, 'bench.svg'), 'utf8');
    expect(svg).toContain('regression from bbbbbbb');
    expect(svg).not.toContain('regression from ccccccc');
    expect(svg).toContain('1: bbbbbbb');
    expect(svg).toContain('deliberately slowed');
    // the control: the run marked slowed but within the threshold (1.1x) is not a regression, and nothing is labelled
    const control = await inProcess(['report', '--bench-history', history('control', 2.2)]);
    expect(control.code, control.stderr).toBe(0);
    expect(control.stdout).toMatch(/^bench history: 3 runs, 1 cases, 0 regression\(s\)\n(?!REGRESSION)/);
    expect(readFileSync(join(dir, 'control.svg'), 'utf8')).not.toContain('regression from');
  });

  // What a real run can check whatever the machine's speed: its line (commit, slowed kernel, cases), not its times.
  test('bench --history appends a measured run with its commit and the slowed kernel; bad input is refused before any work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustlaw-history-'));
    const file = join(dir, 'bench.jsonl');
    const r = cli(['bench', '--backend', 'cpu', '--kernel', 'matmul', '--small', '--iterations', '2', '--out', join(dir, 'out'), '--history', file, '--commit', 'ddddddd0004'], 120_000, { ROBUSTLAW_BENCH_SLOW: 'matmul:8' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/robustlaw: /);
    expect(r.stderr).toContain('DELIBERATELY SLOWING kernel matmul:8');
    expect(r.stdout).toContain(`appended run 1 to the history ${file}`);
    const [entry, ...rest] = readHistory(file);
    expect(rest).toEqual([]);
    expect([entry.commit, entry.slowed, Object.keys(entry.kernels)]).toEqual(['ddddddd0004', 'matmul:8', ['matmul-128@cpu']]);
    const one = await inProcess(['report', '--bench-history', file]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/^bench history: 1 runs, 1 cases, 0 regression\(s\)\n/);
    // bad input: a history that is not one, before any work
    writeFileSync(join(dir, 'bad.jsonl'), '[]\n');
    const bad = await inProcess(['bench', '--small', '--history', join(dir, 'bad.jsonl'), '--out', join(dir, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^robustlaw: --history must be a robustlaw-bench-history\/1 JSONL file/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect((await inProcess(['report'])).stderr).toContain('report needs a run directory, --bench-history FILE, or both');
  }, 300_000);
});
