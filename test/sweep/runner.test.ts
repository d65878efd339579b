import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Streams } from '../../src/core/streams.js';
import { parseDataFile } from '../../src/data/data-file.js';
import { checkModel } from '../../src/law/check-model.js';
import { regimeEffort } from '../../src/search/regimes.js';
import { VERIFY_EFFORT, verifyPoints, verifyRun, verifyRunYielding } from '../../src/sweep/verify-run.js';
import { parseMlp } from '../../src/models/formats/robustlaw-mlp.js';
import { readManifest } from '../../src/sweep/manifest.js';
import { RECORD_FORMAT, withoutTiming, type SweepRecord } from '../../src/law/record.js';
import { readResults } from '../../src/sweep/results-file.js';
import { runSweepYielding, sweepEvaluateOptions } from '../../src/sweep/run-sweep.js';
import { runInstances } from '../../src/sweep/runner.js';
import { expandGrid } from '../../src/sweep/grid.js';
import type { SearchBackend } from '../../src/backends/search-backend.js';
import { canonicalJson, parseSweepSpec } from '../../src/sweep/spec.js';
import { runCli } from '../cli/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'robustlaw-runner-'));
const strip = (rs: readonly SweepRecord[]) => rs.map((r) => canonicalJson(withoutTiming(r)));
const keys = (r: object) => Object.keys(r).sort();

describe('one runner, one record format', () => {
  it('no runner asks for a wall-clock budget: verify, sweep and search run at a fixed effort', () => {
    for (const effort of [VERIFY_EFFORT, sweepEvaluateOptions(parseSweepSpec({ class: 'linear', n: 10, d: 2 })), regimeEffort(false), regimeEffort(true)]) {
      expect(Object.keys(effort)).not.toContain('timeLimit');
      expect(Number.isInteger(effort.starts) && Number.isInteger(effort.steps) && Number.isInteger(effort.rounds)).toBe(true);
    }
  });

  it('a verify run is a function of its seed: two runs give the same records, timings aside', () => {
    const a = verifyRun({ profile: 'quick', seed: 11, count: 3 });
    const b = verifyRun({ profile: 'quick', seed: 11, count: 3 });
    expect(a.records).toHaveLength(3);
    expect(a.records.every((r) => r.format === RECORD_FORMAT)).toBe(true);
    expect(a.records.map((r) => r.id)).toEqual(verifyPoints('quick', 11, 3).map((p) => p.id));
    expect(strip(a.records)).toEqual(strip(b.records));
  }, 120_000);

  it('a run directory is resumed only on the search backend that computed it; replace starts over', () => {
    const spec = parseSweepSpec({ class: 'linear', n: 12, d: 3, seeds: 2 });
    const experiment = { kind: 'sweep' as const, spec, gridSize: 2, shard: { index: 1, count: 1 } };
    const points = expandGrid(spec);
    const dir = join(root, 'backend-change');
    const f32: SearchBackend = { name: 'tfjs-wasm', requested: 'tfjs-wasm', mode: 'wasm', precision: 'f32', kernels: {}, note: null };
    runInstances({ points, effort: sweepEvaluateOptions(spec), outDir: dir, experiment });
    expect(readManifest(dir)!.search).toEqual({ backend: 'cpu', precision: 'f64' });
    // the bad input: resuming cpu/f64 records on an f32 search backend
    expect(() => runInstances({ points, effort: sweepEvaluateOptions(spec), outDir: dir, experiment, backend: f32 })).toThrow(/backend must be the search backend .*cpu\/f64/);
    const redone = runInstances({ points, effort: sweepEvaluateOptions(spec), outDir: dir, experiment, backend: f32, replace: true });
    expect(redone.computed).toBe(2);
    expect(readManifest(dir)!.search).toEqual({ backend: 'tfjs-wasm', precision: 'f32' });
  });

  it('with an out dir the runner writes a resumable run: a second call resumes every record', () => {
    const points = verifyPoints('quick', 4, 2);
    const experiment = { kind: 'verify' as const, spec: { profile: 'quick', seed: 4, count: 2 }, gridSize: 2, shard: { index: 1, count: 1 } };
    const dir = join(root, 'direct');
    const first = runInstances({ points, effort: VERIFY_EFFORT, outDir: dir, experiment });
    expect(first.computed).toBe(2);
    expect(first.manifest?.f64Kernel).toMatch(/^(wasm-simd|js)-f64$/);
    const again = runInstances({ points, effort: VERIFY_EFFORT, outDir: dir, experiment });
    expect(again).toMatchObject({ computed: 0, resumed: 2 });
    expect(strip(again.records)).toEqual(strip(first.records));
    const inMemory = runInstances({ points, effort: VERIFY_EFFORT });
    expect(inMemory.manifest).toBeNull();
    expect(strip(inMemory.records)).toEqual(strip(first.records));
  }, 120_000);

  it('verify --out and sweep --out write the same manifest and record format through the runner', async () => {
    const v = join(root, 'verify');
    const s = join(root, 'sweep');
    const rv = await runCli(['verify', '--seed', '5', '--count', '3', '--out', v, '--no-bench', '--json']);
    expect(rv.code, rv.stderr).toBe(0);
    const rs = await runCli(['sweep', '--class', 'linear,bumps', '--n', '20', '--d', '3', '--out', s, '--no-report']);
    expect(rs.code, rs.stderr).toBe(0);
    const mv = readManifest(v)!;
    const ms = readManifest(s)!;
    expect(mv.kind).toBe('verify');
    expect(ms.kind).toBe('sweep');
    expect(keys(mv)).toEqual(keys(ms));
    expect(mv.f64Kernel).toBe(ms.f64Kernel);
    const recV = readResults(join(v, 'results.jsonl')).records;
    const recS = readResults(join(s, 'results.jsonl')).records;
    expect(recV).toHaveLength(3);
    expect(recS).toHaveLength(2);
    for (const r of [...recV, ...recS]) {
      expect(r.format).toBe(RECORD_FORMAT);
      expect(keys(r)).toEqual(keys(recS[0]));
      expect(keys(r.spec)).toEqual(expect.arrayContaining(['className', 'dist', 'labels', 'n', 'd', 'seed']));
    }
    // the table's JSON carries the same records as results.jsonl, and a second run (same dir: resumed;
    // another dir: recomputed) gives the same records: nothing in a record depends on the clock
    const json = JSON.parse(rv.stdout) as { records: SweepRecord[] };
    expect(strip(json.records)).toEqual(strip(recV));
    const v2 = join(root, 'verify2');
    expect((await runCli(['verify', '--seed', '5', '--count', '3', '--out', v2, '--no-bench'])).code).toBe(0);
    expect(strip(readResults(join(v2, 'results.jsonl')).records)).toEqual(strip(recV));
    expect(readFileSync(join(v, 'report.md'), 'utf8')).toMatch(/Verification run/);
  }, 300_000);

  it('check-model gives its check as a record of the same format, built by the same record builder', () => {
    const net = parseMlp({ activation: 'relu', layers: [{ weights: [[3, 4]], biases: [0] }, { weights: [[1]], biases: [0] }] });
    const data = parseDataFile({ X: [[1, 0], [0, 1], [-1, 0], [0, -1]], y: [2, 5, 1, -1], sigma2: 2 });
    const r = checkModel({ model: net, X: data.X, y: data.y, n: data.n, sigma2: data.sigma2, rng: new Streams(1).stream('estimator'), source: { model: 'net.json', data: 'data.json' } });
    const sweepRecord = readResults(join(root, 'sweep', 'results.jsonl')).records[0];
    expect(r.record.format).toBe(RECORD_FORMAT);
    expect(keys(r.record)).toEqual(keys(sweepRecord));
    expect(r.record).toMatchObject({ id: 'check-model model=net.json,data=data.json', p: 5, eps: 1, epsSource: 'sigma2', inLawRegime: false, lawVerdict: 'holds' });
    expect(r.record.R).toBeCloseTo(5 / Math.sqrt(8 / 5), 10);
    expect(r.record.spec).toEqual({ className: 'mlp', model: 'net.json', data: 'data.json', n: 4, d: 2, seed: null });
  });
});

describe('the CLI\'s runs give the event loop a turn after each instance (so Ctrl-C and SIGTERM stop them)', () => {
  /** How many times a 0-ms interval fired while `run` ran: never for a loop that does not yield. */
  async function turns(run: () => Promise<unknown>): Promise<number> {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await run();
    } finally {
      clearInterval(timer);
    }
    return ticks;
  }

  it('verify and sweep yield; the synchronous runner, wrapped the same way, does not (so the check can fail)', async () => {
    expect(await turns(() => verifyRunYielding({ profile: 'quick', seed: 11, count: 3 }))).toBeGreaterThan(0);
    const spec = parseSweepSpec({ class: 'linear', n: 12, d: 3, seeds: 3 });
    expect(await turns(() => runSweepYielding({ spec, outDir: mkdtempSync(join(tmpdir(), 'robustlaw-yield-')) }))).toBeGreaterThan(0);
    expect(await turns(() => Promise.resolve(verifyRun({ profile: 'quick', seed: 11, count: 3 })))).toBe(0);
  });
});
