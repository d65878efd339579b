import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { appendHistory, historyTrend, kernelOf, readHistory, HISTORY_FORMAT, type HistoryEntry } from '../../src/bench/history.js';
import { benchHistoryPlot } from '../../src/report/bench-history-plot.js';
import { historyCustomSmallerIsBetter, writeBenchHistoryReport } from '../../src/report/write-bench-history.js';
import { InputError } from '../../src/core/input-error.js';
import { cli } from '../cli/helpers.js';
import { main } from '../../src/cli/main.js';

/** Runs the CLI in this process (no start-up cost): exit code, stdout and stderr. */
async function inProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const before = process.exitCode;
  try {
    const code = await main(argv, { writeErr: (t) => void (stderr += t) });
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = write;
    process.exitCode = before;
  }
}

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

describe('robustlaw bench --history and report --bench-history (three small runs, one deliberately slowed)', () => {
  test('the slowed run is flagged and plotted as the first commit of a regression', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustlaw-history-'));
    const file = join(dir, 'bench.jsonl');
    const bench = (commit: string, slow: string) => {
      const r = cli(['bench', '--backend', 'cpu', '--kernel', 'matmul', '--small', '--iterations', '15', '--out', join(dir, commit), '--history', file, '--commit', commit], 120_000, { ROBUSTLAW_BENCH_SLOW: slow });
      expect(r.stderr).not.toMatch(/robustlaw: /);
      expect(r.code).toBe(0);
      return r;
    };
    bench('aaaaaaa0001', '');
    expect(bench('bbbbbbb0002', 'matmul:8').stderr).toContain('DELIBERATELY SLOWING kernel matmul:8');
    bench('ccccccc0003', '');
    expect(readHistory(file).map((e) => [e.commit, e.slowed])).toEqual([['aaaaaaa0001', null], ['bbbbbbb0002', 'matmul:8'], ['ccccccc0003', null]]);
    const r = await inProcess(['report', '--bench-history', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^bench history: 3 runs, 1 cases, \d regression\(s\)\nREGRESSION matmul-128@cpu from commit bbbbbbb \(runs 1\.\./);
    const svg = readFileSync(join(dir, 'bench.svg'), 'utf8');
    expect(svg).toContain('regression from bbbbbbb');
    expect(svg).toContain('1: bbbbbbb');
    // bad input: a history that is not one, before any work
    writeFileSync(join(dir, 'bad.jsonl'), '[]\n');
    const bad = await inProcess(['bench', '--small', '--history', join(dir, 'bad.jsonl'), '--out', join(dir, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^robustlaw: --history must be a robustlaw-bench-history\/1 JSONL file/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect((await inProcess(['report'])).stderr).toContain('report needs a run directory, --bench-history FILE, or both');
  }, 300_000);
});
