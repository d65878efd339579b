/**
 * Specs that hold a figure (docs/cli.md, "Specs with blocks"): model options as grid axes, and a spec as a
 * list of named blocks, each its own grid, run as one sweep, sharded, merged and reported as one run.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.js';
import { expandGrid } from '../../src/sweep/grid.js';
import { mergeRuns, writeMerge } from '../../src/sweep/merge.js';
import { withoutTiming, type SweepRecord } from '../../src/law/record.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { canonicalJson, loadSweepSpec, parseSweepSpec, type SweepBlocksSpec, type SweepGridSpec } from '../../src/sweep/spec.js';
import { runCli } from '../cli/helpers.js';
import { thrown } from '../support.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('model options as grid axes', () => {
  it('a list crosses the grid for the classes that read it, named in the id; the others are swept once', () => {
    const g = expandGrid(parseSweepSpec({ class: ['random-features', 'bumps'], n: 20, d: 4, k: [8, 16], model: { activation: ['relu', 'tanh'], profile: ['hat', 'c1'] } }));
    const rf = g.filter((p) => p.instance.className === 'random-features');
    const bumps = g.filter((p) => p.instance.className === 'bumps');
    expect(rf.map((p) => p.id)).toEqual([
      'class=random-features,activation=relu,dist=sphere,labels=signs,n=20,d=4,k=8,seed=0',
      'class=random-features,activation=relu,dist=sphere,labels=signs,n=20,d=4,k=16,seed=0',
      'class=random-features,activation=tanh,dist=sphere,labels=signs,n=20,d=4,k=8,seed=0',
      'class=random-features,activation=tanh,dist=sphere,labels=signs,n=20,d=4,k=16,seed=0',
    ]);
    expect(rf.map((p) => p.instance.modelOptions)).toEqual([{ activation: 'relu', k: 8 }, { activation: 'relu', k: 16 }, { activation: 'tanh', k: 8 }, { activation: 'tanh', k: 16 }]);
    // bumps read the profile, not the activation: two points, not four
    expect(bumps.map((p) => p.id)).toEqual(['class=bumps,profile=hat,dist=sphere,labels=signs,n=20,d=4,seed=0', 'class=bumps,profile=c1,dist=sphere,labels=signs,n=20,d=4,seed=0']);
  });

  it('sweep flags take lists for the model options: an axis, named in errors by its item', async () => {
    const grid = ['sweep', '--class', 'random-features,bumps', '--n', '20', '--d', '4', '--k', '8', '--print-spec'];
    const r = await runCli([...grid, '--activation', 'relu,tanh', '--profile', 'hat']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as SweepGridSpec).model).toEqual({ activation: ['relu', 'tanh'], profile: 'hat' });
    expect((await runCli([...grid, '--activation', 'relu,swish']))).toMatchObject({ code: 2, stderr: expect.stringMatching(/^robustlaw: --activation \(item 2\) must be one of relu, tanh, softplus, square, cos \(got "swish"\)\n$/) as unknown });
  });

  it('a spec of single values keeps its canonical form and its ids (existing run directories resume)', () => {
    const raw = { class: ['random-features', 'bumps'], n: 24, d: 6, k: [4, 8], seeds: 2, model: { activation: 'cos' } };
    const s = parseSweepSpec(raw) as SweepGridSpec;
    expect(s.model).toEqual({ activation: 'cos' });
    expect(canonicalJson(s)).toBe('{"class":["random-features","bumps"],"d":[6],"dist":["sphere"],"distOptions":{},"estimator":{},"k":[4,8],"labelOptions":{},"labels":["signs"],"model":{"activation":"cos"},"n":[24],"seeds":2}');
    expect(expandGrid(s)[0].id).toBe('class=random-features,dist=sphere,labels=signs,n=24,d=6,k=4,seed=0');
    expect(expandGrid(s).every((p) => p.block === undefined)).toBe(true);
  });

  it('every value of an axis is checked against each class that reads it, the key naming the item', () => {
    const e = thrown(() => parseSweepSpec({ class: ['random-features', 'two-layer'], n: 20, d: 4, model: { activation: ['tanh', 'cos'] } }));
    expect(e.parameter).toBe('spec.model.activation[1]');
    expect(e.message).toMatch(/one of relu, tanh, softplus when the classes include two-layer \(got "cos"\)/);
    expect(thrown(() => parseSweepSpec({ class: 'random-features', n: 20, d: 4, model: { activation: ['relu', 'swish'] } })).parameter).toBe('spec.model.activation[1]');
    expect(thrown(() => parseSweepSpec({ class: 'random-features', n: 20, d: 4, model: { activation: [] } })).message).toMatch(/at least 1/);
  });
});

describe('a spec of blocks', () => {
  const raw = {
    title: 'two blocks',
    n: 20,
    d: 4,
    seeds: 2,
    k: [8],
    model: { activation: 'cos' },
    estimator: { starts: 2, steps: 5 },
    blocks: [
      { name: 'rf', class: 'random-features', k: [8, 16], model: { activation: ['relu', 'cos'] } },
      { name: 'ntk', class: 'ntk-features', n: 16, p: [16, 32] },
      { name: 'ends', class: ['linear', 'bumps'], seeds: [5] },
    ],
  };

  it('fills each block from the top (a block wins, options merge key by key, a block k or p replaces both)', () => {
    const s = parseSweepSpec(raw) as SweepBlocksSpec;
    expect(s.blocks.map((b) => b.name)).toEqual(['rf', 'ntk', 'ends']);
    expect(s.title).toBe('two blocks');
    expect(s.estimator).toEqual({ starts: 2, steps: 5 });
    expect(s.blocks[0]).toMatchObject({ n: [20], d: [4], k: [8, 16], seeds: 2, model: { activation: ['relu', 'cos'] } });
    expect(s.blocks[1]).toMatchObject({ n: [16], p: [16, 32], model: { activation: 'cos' } });
    expect(s.blocks[1].k).toBeUndefined();
    expect(s.blocks[2]).toMatchObject({ class: ['linear', 'bumps'], seeds: [5], k: [8] });
  });

  it('expands block after block, ids starting with the block, indices running over the whole spec', () => {
    const g = expandGrid(parseSweepSpec(raw));
    expect(g.map((p) => p.index)).toEqual(g.map((_, i) => i));
    expect(g.filter((p) => p.block === 'rf')).toHaveLength(2 * 2 * 2);
    expect(g.filter((p) => p.block === 'ntk').map((p) => p.instance.modelOptions)).toEqual([
      { activation: 'cos', k: 4 },
      { activation: 'cos', k: 4 },
      { activation: 'cos', k: 8 },
      { activation: 'cos', k: 8 },
    ]);
    expect(g.filter((p) => p.block === 'ends').map((p) => p.id)).toEqual(['block=ends,class=linear,dist=sphere,labels=signs,n=20,d=4,seed=5', 'block=ends,class=bumps,dist=sphere,labels=signs,n=20,d=4,seed=5']);
    expect(g[0].id).toBe('block=rf,class=random-features,activation=relu,dist=sphere,labels=signs,n=20,d=4,k=8,seed=0');
  });

  it.each([
    ['class at the top', { ...raw, class: 'linear' }, 'spec.class', /given in each block/],
    ['a key of a block', { ...raw, blocks: [raw.blocks[0], { name: 'x', class: 'linear', n: [20, 1] }] }, 'spec.blocks[1].n[1]', /must be >= 2 \(got 1\)/],
    ['a block without a class', { ...raw, blocks: [{ name: 'x' }] }, 'spec.blocks[0].class', /must be given/],
    ['a block without a name', { ...raw, blocks: [{ class: 'linear' }] }, 'spec.blocks[0].name', /must be given/],
    ['a bad name', { ...raw, blocks: [{ name: 'a b', class: 'linear' }] }, 'spec.blocks[0].name', /letters, digits/],
    ['two blocks of one name', { ...raw, blocks: [{ name: 'a', class: 'linear' }, { name: 'a', class: 'bumps' }] }, 'spec.blocks[1].name', /no other block has/],
    ['an unknown key of a block', { ...raw, blocks: [{ name: 'a', class: 'linear', estimator: {} }] }, 'spec.blocks[0]', /unknown key "estimator"/],
    ['an unknown top key', { ...raw, widths: 3 }, 'spec', /known keys only \(format, backend, estimator, title, blocks,.*\(got unknown key "widths"\)/],
    ['a bad top default', { ...raw, d: 0 }, 'spec.d', /must be >= 1 \(got 0\)/],
    ['no blocks', { ...raw, blocks: [] }, 'spec.blocks', /at least 1/],
    ['a block that is not an object', { ...raw, blocks: ['linear'] }, 'spec.blocks[0]', /an object with keys name, class/],
    ['an activation a block class does not take', { ...raw, blocks: [{ name: 'a', class: 'two-layer', model: { activation: ['relu', 'square'] } }] }, 'spec.blocks[0].model.activation[1]', /one of/],
    ['a grid too large over all blocks', { ...raw, blocks: [{ name: 'a', class: 'linear', seeds: 10_000, n: Array.from({ length: 10 }, (_, i) => i + 2) }, { name: 'b', class: 'linear', seeds: 10_000 }] }, 'spec', /at most 100000 points \(all blocks\) \(got a grid of 110000 points\)/],
  ])('refuses %s with one error naming the key', (_name, spec, parameter, message) => {
    const e = thrown(() => parseSweepSpec(spec, 'f.yaml'));
    expect(e.parameter).toBe(parameter);
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/^f\.yaml: /);
  });
});

describe('a block spec runs, shards, merges and reports as one run', () => {
  const spec = parseSweepSpec({
    n: 16,
    d: 3,
    seeds: 2,
    estimator: { starts: 2, steps: 5 },
    blocks: [
      { name: 'rf', class: 'random-features', k: [6, 12], model: { activation: ['relu', 'tanh'] } },
      { name: 'ends', class: ['linear', 'bumps'] },
    ],
  });
  const root = mkdtempSync(join(tmpdir(), 'robustlaw-blocks-'));
  const strip = (rs: readonly SweepRecord[]) => rs.map((r) => canonicalJson(withoutTiming(r)));
  let whole: readonly SweepRecord[];
  beforeAll(() => {
    whole = runSweep({ spec, outDir: join(root, 'whole') }).records;
    for (const i of [1, 2]) runSweep({ spec, outDir: join(root, `s${i}`), shard: { index: i, count: 2 } });
  });

  it('records carry their block; two shards merged equal the whole run', () => {
    expect(whole).toHaveLength(expandGrid(spec).length);
    expect(whole.map((r) => r.block)).toEqual([...Array<string>(8).fill('rf'), ...Array<string>(4).fill('ends')]);
    const merged = mergeRuns([join(root, 's1'), join(root, 's2')]);
    expect(strip(merged.records)).toEqual(strip(whole));
    writeMerge(join(root, 'merged'), merged);
  });

  it('the report groups by block: a per-block table in summary.json and report.md, series named after their block', async () => {
    const { summary } = await writeReport(join(root, 'merged'), { bench: null });
    expect(summary.instances).toBe(12);
    expect(summary.gridSize).toBe(12);
    expect(summary.blocks?.map((b) => [b.name, b.instances])).toEqual([['rf', 8], ['ends', 4]]);
    expect(summary.blocks?.[0].series).toEqual(['rf: random-features (relu)', 'rf: random-features (tanh)']);
    expect(summary.classes.map((c) => c.label)).toEqual(['rf: random-features (relu)', 'rf: random-features (tanh)', 'ends: bumps', 'ends: linear']);
    const md = readFileSync(join(root, 'merged', 'report.md'), 'utf8');
    expect(md).toMatch(/## Per block/);
    expect(md).toMatch(/\| rf \| 8 \| random-features \(relu\); random-features \(tanh\) \|/);
    expect(md).toMatch(/2 blocks \(rf, ends\); merged from/);
  });
});

describe('the reproductions shipped as specs (examples/specs)', () => {
  it('peer-grid.yaml is exactly the grid of benchmarks/peers/numpy_sweep.py at n = 200, d = 100, seed 0', () => {
    const g = expandGrid(loadSweepSpec(join(ROOT, 'examples', 'specs', 'peer-grid.yaml')));
    // the script's loops, read from its source: activations and width factors per class
    const py = readFileSync(join(ROOT, 'benchmarks', 'peers', 'numpy_sweep.py'), 'utf8');
    const loops = [...py.matchAll(/for act in \[([^\]]*)\]:\n\s+for f in \[([^\]]*)\]:\n\s+k = ([^;]*); p, g = (rf|ntk)\(act, k\)/g)];
    expect(loops).toHaveLength(2);
    const n = 200;
    const d = 100;
    const expected: string[] = [];
    for (const [, acts, fs, , cls] of loops) {
      for (const act of acts.split(',').map((a) => a.trim().replace(/'/g, '')))
        for (const f of fs.split(',').map(Number)) expected.push(`${cls === 'rf' ? 'random-features' : 'ntk-features'} ${act} ${cls === 'rf' ? f * n : Math.max(1, Math.floor((f * n) / d))}`);
    }
    expected.push('bumps hat -');
    expect(g.map((p) => `${p.instance.className} ${p.instance.modelOptions?.activation ?? p.instance.modelOptions?.profile} ${p.instance.modelOptions?.k ?? '-'}`)).toEqual(expected);
    expect(g).toHaveLength(34);
    expect(g.every((p) => p.instance.n === n && p.instance.d === d && p.instance.seed === 0 && p.instance.dist === 'sphere' && p.instance.labels === 'signs')).toBe(true);
  });

  it.each(['peer-grid', 'bombari-2023', 'bombari-2023-full', 'bubeck-sellke'])('%s.yaml is a valid block spec that says what it reproduces and how to run it', (name) => {
    const file = join(ROOT, 'examples', 'specs', `${name}.yaml`);
    const spec = loadSweepSpec(file);
    expect('blocks' in spec).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(new RegExp(`robustlaw sweep --spec examples/specs/${name}\\.yaml --out `));
    expect(text).toMatch(/reader should see|same claim/);
    expect(parse(text)).toBeTypeOf('object');
  });
});
