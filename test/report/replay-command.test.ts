import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayCommand, verifyReplayCommand, type ReplayEffort } from '../../src/report/replay-command.js';
import { attentionRank, reportSections, toHtml, toMarkdown } from '../../src/report/run-report.js';
import { summarize } from '../../src/report/summary.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { parseSweepSpec } from '../../src/sweep/spec.js';
import { withoutTiming, type SweepRecord } from '../../src/law/record.js';
import { verifyRun } from '../../src/sweep/verify-run.js';

const bin = fileURLToPath(new URL('../../bin/robustlaw.js', import.meta.url));
const example: SweepRecord[] = readFileSync('reports/example/results.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SweepRecord);
const SWEEP: ReplayEffort = { starts: 8, steps: 60, rounds: 1, dataFloor: true };

/** Runs a replay command in a fresh directory (robustlaw = this checkout's CLI) and returns its records. */
function replay(command: string): SweepRecord[] {
  const cwd = mkdtempSync(join(tmpdir(), 'robustlaw-replay-'));
  const r = spawnSync('bash', ['-c', command.replace(/(^|&& )robustlaw /g, `$1'${process.execPath}' '${bin}' `)], { cwd, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(join(cwd, 'replay', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SweepRecord);
}

const same = (a: SweepRecord, b: SweepRecord) => expect({ ...withoutTiming(a), index: 0 }).toEqual({ ...withoutTiming(b), index: 0 });

describe('replayCommand', () => {
  it('states the instance with the sweep flags; one seed s > 0 is written s,s (a lone number is a count)', () => {
    const r = example.find((x) => x.spec.seed === 2 && x.spec.className === 'ntk-features')!;
    const c = replayCommand([r], SWEEP);
    expect(c).toMatch(/^robustlaw sweep --class ntk-features --dist sphere --labels signs --n 100 --d 25 --k \d+ --activation cos --seeds 2,2 --backend \S+ --no-bench --out replay$/);
    expect(replayCommand([example[0]], SWEEP)).toContain('--seeds 1 ');
    expect(replayCommand(example.slice(0, 3), SWEEP)).toContain('--seeds 3 ');
    expect(replayCommand([example[0]], { ...SWEEP, starts: 16 })).toContain('--starts 16');
    expect(() => replayCommand([example[0], example[5]], SWEEP)).toThrow(/differ in more than their seed/);
    // seeds searched on two backends: one sweep each
    const mixed = [example[0], { ...example[1], search: { ...example[1].search, backend: 'tfjs-wasm' } }];
    expect(replayCommand(mixed, SWEEP)).toMatch(/--seeds 1 --backend cpu --no-bench --out replay-cpu && robustlaw sweep .* --seeds 1,1 --backend tfjs-wasm --no-bench --out replay-tfjs-wasm$/);
  });

  it('recomputes a record of a larger sweep exactly (every field but timing and the grid index)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustlaw-replay-grid-'));
    const spec = parseSweepSpec({ class: ['random-features', 'bumps'], n: 30, d: 6, k: [40, 80], seeds: 3, model: { activation: 'cos' } });
    const records = runSweep({ spec, outDir: dir }).records;
    const r = records.find((x) => x.spec.className === 'random-features' && x.spec.modelOptions?.k === 80 && x.spec.seed === 2)!;
    const c = replayCommand([r], SWEEP);
    expect(c).toContain('--k 80 --activation cos --seeds 2,2 --backend cpu');
    const [again] = replay(c);
    same(again, r);
    // and the check can fail: another seed's record is not this one
    expect(() => same(again, records.find((x) => x.spec.className === 'random-features' && x.spec.modelOptions?.k === 80 && x.spec.seed === 1)!)).toThrow();
    // a median cell's command replays all its seeds
    const cell = records.filter((x) => x.spec.className === 'bumps');
    expect(replay(replayCommand(cell, SWEEP)).map((x) => x.id)).toEqual(cell.map((x) => x.id));
  });

  it('falls back to a spec file for options without a sweep flag (bandwidth) and for a non-default effort, and still replays exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustlaw-replay-src-'));
    const spec = parseSweepSpec({ class: 'gaussian-kernel', n: 30, d: 6, seeds: [3], model: { bandwidth: 0.7 }, estimator: { starts: 4, steps: 20, dataFloor: false } });
    const [r] = runSweep({ spec, outDir: dir }).records;
    const c = replayCommand([r], { starts: 4, steps: 20, rounds: 1, dataFloor: false });
    expect(c).toMatch(/^echo '\{.*"bandwidth":0\.7.*\}' > replay\.json && robustlaw sweep --spec replay\.json --backend cpu --no-bench --out replay$/);
    same(replay(c)[0], r);
  });
});

describe('verifyReplayCommand', () => {
  it('replays a verify run whole, each record exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustlaw-replay-verify-'));
    const run = { profile: 'quick', seed: 7, count: 3 };
    const records = verifyRun({ profile: 'quick', seed: 7, count: 3, outDir: dir }).records;
    const c = verifyReplayCommand(run, records);
    expect(c).toBe('robustlaw verify --profile quick --seed 7 --count 3 --backend cpu --no-bench --out replay');
    const again = replay(c);
    expect(again.length).toBe(3);
    again.forEach((r, i) => same(r, records[i]));
    // mixed backends replay with auto
    expect(verifyReplayCommand(run, [records[0], { ...records[1], search: { ...records[1].search, backend: 'tfjs-wasm' } }])).toContain('--backend auto');
  });
});

describe('the instance table', () => {
  it('puts certified counterexamples, then inconclusive instances, first and marks them', () => {
    const records = example.map((r) => ({ ...r }));
    // a counterexample and an inconclusive instance, made up from run-order records 20 and 30
    records[30] = { ...records[30], inLawRegime: true, lawVerdict: 'inconclusive' };
    records[20] = { ...records[20], inLawRegime: true, lawVerdict: 'counterexample' };
    expect(records.map(attentionRank).filter((x) => x < 2)).toEqual([0, 1]);
    const sections = reportSections('t', 'd', summarize(records, 39), records, {}, { replay: (rs) => replayCommand(rs, SWEEP) });
    const table = sections.find((s) => s.title === 'Instances')!.table!;
    expect(table.rows.slice(0, 3).map((r) => r[0])).toEqual([records[20].id, records[30].id, records[0].id]);
    expect(table.links!.slice(0, 3).map((l) => l.mark)).toEqual(['counterexample', 'inconclusive', null]);
    const html = toHtml(sections);
    const rows = [...html.matchAll(/<tr data-rl-id="([^"]+)"( class="[^"]+")?>/g)];
    expect(rows.slice(0, 3).map((m) => [m[1], m[2] ?? ''])).toEqual([
      [records[20].id, ' class="rl-cex"'],
      [records[30].id, ' class="rl-inc"'],
      [records[0].id, ''],
    ]);
    expect(html).toContain(`data-rl-cmd="${replayCommand([records[20]], SWEEP)}"`);
    expect(toMarkdown(sections).indexOf(records[20].id)).toBeLessThan(toMarkdown(sections).indexOf(records[0].id));
    // without marks, run order
    const plain = reportSections('t', 'd', summarize(example, 39), example, {}).find((s) => s.title === 'Instances')!.table!;
    expect(plain.rows.map((r) => r[0])).toEqual(example.map((r) => r.id));
  });
});
