import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionClass } from '../../src/models/registry.js';
import { expandGrid } from '../../src/sweep/grid.js';
import type { SweepManifest } from '../../src/sweep/manifest.js';
import { mergeRuns } from '../../src/sweep/merge.js';
import { withoutTiming, type SweepRecord } from '../../src/law/record.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { inShard, parseShard } from '../../src/sweep/shard.js';
import { canonicalJson, parseSweepSpec } from '../../src/sweep/spec.js';
import { runCli } from '../cli/helpers.js';
import { thrown } from '../support.js';

const spec = parseSweepSpec({ class: ['random-features', 'ntk-features', 'bumps'], n: 24, d: 6, k: [4, 8, 16], seeds: 2, model: { activation: 'cos' } });
const root = mkdtempSync(join(tmpdir(), 'robustlaw-shard-'));
const strip = (rs: readonly SweepRecord[]) => rs.map((r) => canonicalJson(withoutTiming(r)));
const fileRecords = (dir: string) => readFileSync(join(dir, 'results.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as SweepRecord);

describe('grid and shards', () => {
  it('expands class x size x seed in a fixed order; classes without a width are swept once per seed', () => {
    const g = expandGrid(spec);
    expect(g).toHaveLength(3 * 2 + 3 * 2 + 2);
    expect(g.map((p) => p.index)).toEqual(g.map((_, i) => i));
    expect(g[0].id).toBe('class=random-features,dist=sphere,labels=signs,n=24,d=6,k=4,seed=0');
    expect(g.filter((p) => p.instance.className === 'bumps').map((p) => p.id)).toEqual(['class=bumps,dist=sphere,labels=signs,n=24,d=6,seed=0', 'class=bumps,dist=sphere,labels=signs,n=24,d=6,seed=1']);
    // the activation goes only to the classes that read it
    expect(g.find((p) => p.instance.className === 'bumps')!.instance.modelOptions).toEqual({});
    expect(g[0].instance.modelOptions).toEqual({ activation: 'cos', k: 4 });
  });

  it('p converts to the width of each class (p = k, d k, k (d + 2) + 1) and duplicates after rounding are dropped', () => {
    const widthFor = (c: string, p: number, d: number) => functionClass(c).width!.forParameters(p, d);
    expect(widthFor('random-features', 120, 20)).toBe(120);
    expect(widthFor('ntk-features', 120, 20)).toBe(6);
    expect(widthFor('two-layer', 221, 20)).toBe(10);
    const g = expandGrid(parseSweepSpec({ class: 'ntk-features', n: 10, d: 10, p: [100, 104, 200] }));
    expect(g.map((p) => p.instance.modelOptions?.k)).toEqual([10, 20]);
  });

  it('shards i/N partition the grid (each point in exactly one shard), and bad shards are refused', () => {
    const g = expandGrid(spec);
    for (const N of [1, 2, 3, 5, 20]) {
      const owners = g.map((p) => Array.from({ length: N }, (_, i) => i + 1).filter((i) => inShard(p.index, { index: i, count: N })));
      expect(owners.every((o) => o.length === 1)).toBe(true);
    }
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('0/3')).toThrow(/i an integer in \[1, 3\] \(got "0\/3"\)/);
    expect(() => parseShard('3')).toThrow(/must be of the form i\/N/);
  });
});

describe('sharded runs merged equal the unsharded run', () => {
  let whole: readonly SweepRecord[];
  beforeAll(() => {
    whole = runSweep({ spec, outDir: join(root, 'whole') }).records;
    for (const i of [1, 2, 3]) runSweep({ spec, outDir: join(root, `s${i}`), shard: { index: i, count: 3 } });
  });

  it('shards 1/3, 2/3, 3/3 merged: the same records (timings aside) in the same order', () => {
    const merged = mergeRuns([join(root, 's3'), join(root, 's1'), join(root, 's2')]);
    expect(merged.missing).toEqual([]);
    expect(merged.records).toHaveLength(whole.length);
    expect(strip(merged.records)).toEqual(strip(whole));
    expect(strip(fileRecords(join(root, 'whole')))).toEqual(strip(whole));
  });

  it('a missing shard is refused, naming it; with allowMissing it is reported, not hidden', () => {
    const e = thrown(() => mergeRuns([join(root, 's1'), join(root, 's2')]));
    expect(e.parameter).toBe('dirs');
    expect(e.message).toMatch(/dirs must be the outputs of every shard, each finished \(got shard 3\/3 not among the inputs; rerun those tasks \(a sweep resumes from its records\), or merge what is there with --allow-missing\)$/);
    expect(thrown(() => mergeRuns([join(root, 's2')])).shown).toMatch(/^shards 1\/3, 3\/3 not among the inputs;/);
    const merged = mergeRuns([join(root, 's1'), join(root, 's2')], { allowMissing: true });
    expect(merged.missing.length).toBe(fileRecords(join(root, 's3')).length);
    expect(merged.records.length + merged.missing.length).toBe(whole.length);
    expect(merged.inputs.map((i) => `${i.shard.index}/${i.shard.count}`)).toEqual(['1/3', '2/3']);
  });

  it('an unfinished shard (a task killed and not resumed) is refused, naming its directory and what it lacks', () => {
    const cut = join(root, 's3-cut');
    runSweep({ spec, outDir: cut, shard: { index: 3, count: 3 } });
    const lines = readFileSync(join(cut, 'results.jsonl'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(cut, 'results.jsonl'), `${lines.slice(0, 1).join('\n')}\n`);
    expect(thrown(() => mergeRuns([join(root, 's1'), join(root, 's2'), cut])).shown).toMatch(new RegExp(`^shard 3/3 \\(.*s3-cut: ${lines.length - 1} of ${lines.length} points missing\\) unfinished; rerun those tasks`));
  });

  it('shards of different counts (the array resized between tasks) are refused, naming both', () => {
    const s2of4 = join(root, 's2of4');
    runSweep({ spec, outDir: s2of4, shard: { index: 2, count: 4 } });
    expect(thrown(() => mergeRuns([join(root, 's1'), s2of4, join(root, 's3')])).shown).toMatch(/s2of4 ran shard 2\/4 and .*s1 shard 1\/3: the shard count changed between tasks of one run/);
    // a whole run may still join shards of any count
    expect(strip(mergeRuns([join(root, 'whole'), s2of4]).records)).toEqual(strip(whole));
  });

  it('merging runs of different specs is refused, naming the directory', () => {
    const other = parseSweepSpec({ class: ['bumps'], n: 24, d: 6, seeds: 1 });
    runSweep({ spec: other, outDir: join(root, 'other') });
    expect(() => mergeRuns([join(root, 's1'), join(root, 'other')])).toThrow(/other ran a different spec than .*s1; refusing to merge/);
    expect(() => mergeRuns([join(root, 's1'), root])).toThrow(/has no sweep\.json/);
  });

  it('merging shards whose records disagree (not reproducible) is refused', () => {
    const bad = join(root, 'bad');
    runSweep({ spec, outDir: bad, shard: { index: 1, count: 3 } });
    const lines = readFileSync(join(bad, 'results.jsonl'), 'utf8').trimEnd().split('\n');
    const first = JSON.parse(lines[0]) as SweepRecord & { lower: number };
    lines[0] = JSON.stringify({ ...first, lower: first.lower * 1.5 });
    writeFileSync(join(bad, 'results.jsonl'), `${lines.join('\n')}\n`);
    expect(() => mergeRuns([join(root, 's1'), bad])).toThrow(/different results in two inputs/);
  });

  it('a run directory refuses another spec or another shard (no silent mixing)', () => {
    expect(() => runSweep({ spec, outDir: join(root, 's1'), shard: { index: 2, count: 3 } })).toThrow(/holds shard 1\/3 of a sweep of this spec/);
    expect(() => runSweep({ spec: parseSweepSpec({ class: 'bumps', n: 24, d: 7 }), outDir: join(root, 's1') })).toThrow(/holds shard 1\/3 of a sweep of another spec/);
  });

  it('a run is not resumed on another f64 kernel (they agree to rounding only), and the manifest says which ran', () => {
    const dir = join(root, 's2');
    const manifest = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as SweepManifest;
    expect(manifest.f64Kernel).toBe('wasm-simd-f64');
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ ...manifest, f64Kernel: 'js-f64' }));
    expect(() => runSweep({ spec, outDir: dir, shard: { index: 2, count: 3 } })).toThrow(/computed with the js-f64 f64 kernel and this run would use wasm-simd-f64/);
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(manifest));
  });

  it('the CLI: two shards and a merge give the unsharded records and a report', async () => {
    const flags = ['--class', 'random-features,bumps', '--n', '24', '--d', '6', '--k', '8,16', '--seeds', '2', '--no-bench'];
    for (const i of [1, 2]) expect((await runCli(['sweep', ...flags, '--shard', `${i}/2`, '--out', join(root, `c${i}`), '--no-report'])).code).toBe(0);
    expect((await runCli(['sweep', ...flags, '--out', join(root, 'cwhole'), '--no-report'])).code).toBe(0);
    const m = await runCli(['merge', join(root, 'c1'), join(root, 'c2'), '--out', join(root, 'cmerged'), '--no-bench']);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/merged 2 directories: 6 of 6 grid points/);
    expect(strip(fileRecords(join(root, 'cmerged')))).toEqual(strip(fileRecords(join(root, 'cwhole'))));
    expect(readFileSync(join(root, 'cmerged', 'report.md'), 'utf8')).toMatch(/merged from/);
  });

  it('the CLI: a missing shard is refused in one line (exit 2), nothing written; --allow-missing merges with a warning', async () => {
    const refused = await runCli(['merge', join(root, 'c1'), '--out', join(root, 'cpart'), '--no-report']);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toBe('robustlaw: <dirs...> must be the outputs of every shard, each finished (got shard 2/2 not among the inputs; rerun those tasks (a sweep resumes from its records), or merge what is there with --allow-missing)\n');
    expect(existsSync(join(root, 'cpart'))).toBe(false);
    const partial = await runCli(['merge', join(root, 'c1'), '--out', join(root, 'cpart'), '--no-report', '--allow-missing']);
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stdout).toMatch(/merged 1 directories: 3 of 6 grid points/);
    expect(partial.stderr).toMatch(/WARNING 3 grid points missing/);
  });
});

describe('shards written with --certificates, merged', () => {
  it('carry their certificate files into the merge, where robustlaw check checks every record; a missing one is refused before writing', async () => {
    const base = mkdtempSync(join(tmpdir(), 'robustlaw-shard-certs-'));
    const grid = ['--class', 'linear,bumps,random-features', '--n', '20', '--d', '4', '--p', '40', '--seeds', '2', '--starts', '2', '--steps', '10', '--certificates', '--no-report'];
    for (const s of ['1/2', '2/2']) expect((await runCli(['sweep', ...grid, '--shard', s, '--out', join(base, s.replace('/', 'of'))])).code).toBe(0);
    const merged = await runCli(['merge', join(base, '1of2'), join(base, '2of2'), '--out', join(base, 'all'), '--no-report']);
    expect(merged.code, merged.stderr).toBe(0);
    const checked = await runCli(['check', join(base, 'all')]);
    expect(checked.code, checked.stdout).toBe(0);
    expect(checked.stdout).toMatch(/^6 records: 6 checked, 0 rejected, 0 not checkable/m);
    // a shard without one of its certificate files: the merge names it and writes nothing
    const rec = JSON.parse(readFileSync(join(base, '2of2', 'results.jsonl'), 'utf8').split('\n')[0]) as { certificate: string };
    rmSync(join(base, '2of2', rec.certificate));
    const refused = await runCli(['merge', join(base, '1of2'), join(base, '2of2'), '--out', join(base, 'again'), '--no-report']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(rec.certificate);
    expect(existsSync(join(base, 'again', 'results.jsonl'))).toBe(false);
  });
});
