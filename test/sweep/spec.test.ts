import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/input-error.js';
import { canonicalJson, loadSweepSpec, parseSweepSpec, type SweepGridSpec } from '../../src/sweep/spec.js';
import { runCli } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'robustlaw-spec-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('sweep spec files', () => {
  it('a YAML file and the same JSON file give the same validated spec, with defaults filled in', () => {
    const y = loadSweepSpec(file('a.yaml', 'class: [random-features, bumps]\nn: 60\nd: [20]\nk: [120, 240]\nseeds: 2\nmodel:\n  activation: relu\n')) as SweepGridSpec;
    const j = loadSweepSpec(file('a.json', JSON.stringify({ class: ['random-features', 'bumps'], n: [60], d: 20, k: [120, 240], seeds: 2, model: { activation: 'relu' } })));
    expect(canonicalJson(y)).toBe(canonicalJson(j));
    expect(y.dist).toEqual(['sphere']);
    expect(y.labels).toEqual(['signs']);
    expect(y.n).toEqual([60]);
  });

  // One clear error each: the key, the rule and the value given.
  it.each([
    ['wrong type', 'n: sixty\nclass: bumps\nd: 3\n', InputError, /b\.yaml: spec\.n must be a number \(got "sixty"\)/],
    ['wrong element type', '{"class": "bumps", "n": [60, "x"], "d": 3}', InputError, /n\[1\] must be a number \(got "x"\)/],
    ['unknown class', '{"class": ["random-features", "resnet"], "n": 60, "d": 3}', InputError, /class\[1\] must be one of linear, random-features, .* \(got "resnet"\)/],
    ['unknown key', '{"class": "bumps", "n": 60, "d": 3, "width": 5}', InputError, /unknown key "width"/],
    ['n out of range', '{"class": "bumps", "n": [60, 1], "d": 3}', InputError, /n\[1\] must be >= 2 \(got 1\)/],
    ['non-integer', '{"class": "bumps", "n": 60.5, "d": 3}', InputError, /n must be an integer \(got 60\.5\)/],
    ['d too large', '{"class": "bumps", "n": 60, "d": 1000000}', InputError, /d must be <= 100000 \(got 1000000\)/],
    ['flip rate out of range', '{"class": "bumps", "n": 60, "d": 3, "labelOptions": {"eta": 1.5}}', InputError, /labelOptions\.eta must be <= 1 \(got 1\.5\)/],
    ['missing key', '{"class": "bumps", "d": 3}', InputError, /spec\.n must be given \(got nothing\)/],
    ['k and p', '{"class": "random-features", "n": 60, "d": 3, "k": [10], "p": [10]}', InputError, /spec\.p must be absent when k is given \(got both k and p\)/],
    ['class needs its distribution', '{"class": "intrinsic-bumps", "n": 60, "d": 30}', InputError, /spec\.dist must be subspace only when the classes include intrinsic-bumps/],
    ['seeds zero', '{"class": "bumps", "n": 60, "d": 3, "seeds": 0}', InputError, /spec\.seeds must be >= 1 \(got 0\)/],
  ])('%s', (_name, text, cls, msg) => {
    const p = file(text.startsWith('{') ? 'b.json' : 'b.yaml', text);
    let err: unknown;
    try {
      loadSweepSpec(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(cls);
    expect((err as InputError).parameter).toMatch(/^spec\b/);
    expect((err as Error).message).toMatch(msg);
    expect((err as Error).message).toContain(p);
    expect((err as Error).message.split('\n')).toHaveLength(1);
  });

  it('a file that does not parse names the file and the syntax', () => {
    expect(() => loadSweepSpec(file('c.json', '{"class": '))).toThrow(/c\.json is not valid JSON/);
    expect(() => loadSweepSpec(file('c.yaml', 'class: [a\n'))).toThrow(/c\.yaml is not valid YAML/);
    expect(() => loadSweepSpec(join(dir, 'missing.json'))).toThrow(/cannot read .*missing\.json \(ENOENT\)/);
  });

  // The yaml library resolves an unknown tag to a string and reports it with process.emitWarning: the CLI
  // printed its 5-line Node warning ("Use `node --trace-warnings ...`") after its own line (issue 27).
  const tagged: readonly (readonly [string, string, string])[] = [
    ['js/function', 'class: bumps\nn: 60\nd: 3\nseeds: !!js/function "function () {}"\n', '!!js/function at line 4, column 8'],
    ['binary', 'class: bumps\nn: 60\nd: !!binary aGVsbG8=\n', '!!binary at line 3, column 4'],
    ['set', 'class: !!set {bumps: null}\nn: 60\nd: 3\n', '!!set at line 1, column 8'],
    ['unknown', 'class: bumps\nn: !!foo 60\nd: 3\n', '!!foo at line 2, column 4'],
    ['local', 'class: bumps\nn: !mine 60\nd: 3\n', '!mine at line 2, column 4'],
    ['YAML 1.1 binary', '%YAML 1.1\n---\nclass: bumps\nn: 60\nd: !!binary aGVsbG8=\n', '!!binary at line 5, column 4'],
  ];
  const allowed = 'the only YAML tags allowed: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map';

  it.each(tagged)('a YAML tag outside the core schema (%s) is one InputError naming the file, the tag and the tags allowed', (name, text, where) => {
    const p = file(`tag-${name.replace(/\W/g, '-')}.yaml`, text);
    let err: unknown;
    try {
      loadSweepSpec(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).parameter).toBe('path');
    expect((err as Error).message).toBe(`loadSweepSpec: path must be a JSON or YAML file of plain data (${allowed}) (got ${p} uses the tag ${where})`);
  });

  it('the core tags are still read, and a core tag on the wrong value, a non-string key or a second document is one error', () => {
    expect((loadSweepSpec(file('core.yaml', 'class: !!str bumps\nn: !!int 60\nd: !!seq [3]\nseeds: !!int 2\n')) as SweepGridSpec).n).toEqual([60]);
    expect(() => loadSweepSpec(file('e.yaml', 'class: bumps\nn: !!int sixty\nd: 3\n'))).toThrow(/e\.yaml is not valid YAML \(the value at line 2, column 4 is not a !!int\)\)$/);
    expect(() => loadSweepSpec(file('f.yaml', 'class: bumps\nn: 60\nd: 3\n? [a, b]\n: 1\n'))).toThrow(/f\.yaml is not valid YAML \(a key at line 4, column 3 is not a string\)\)$/);
    expect(() => loadSweepSpec(file('g.yaml', 'class: bumps\nn: 60\nd: 3\n---\nn: 2\n'))).toThrow(/g\.yaml is not valid YAML \(a second document starts at line 4, column 1\)\)$/);
  });

  it('the CLI exits 2 on a tagged or non-string-keyed YAML spec with its one line and no Node warning', async () => {
    const out = join(dir, 'never-tagged');
    const cases: readonly (readonly [string, string])[] = [
      [tagged[0][1], tagged[0][2]],
      [tagged[3][1], tagged[3][2]],
      [tagged[4][1], tagged[4][2]],
      ['class: bumps\nn: 60\nd: 3\n? [a, b]\n: 1\n', 'a key at line 4, column 3 is not a string'],
    ];
    for (const [i, [text, where]] of cases.entries()) {
      const p = file(`cli-tag-${i}.yaml`, text);
      const r = await runCli(['sweep', '--spec', p, '--out', out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^robustlaw: --spec must be /);
      expect(r.stderr).toContain(`${p} `);
      expect(r.stderr).toContain(where);
      expect(r.stderr).not.toMatch(/trace-warnings|Warning/);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('a grid over the limit is refused before any work', () => {
    expect(() => parseSweepSpec({ class: 'bumps', n: Array.from({ length: 1000 }, (_, i) => i + 2), d: Array.from({ length: 1001 }, (_, i) => i + 1) })).toThrow(/spec must be a grid of at most 100000 points \(got a grid of 1001000 points\)/);
  });

  it('the CLI exits 2 with the one-line error and writes nothing', async () => {
    const out = join(dir, 'never');
    const r = await runCli(['sweep', '--spec', file('d.json', '{"class": "bumps", "n": 60, "d": 3, "seeds": -2}'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^robustlaw: --spec .*d\.json \(key seeds\) must be >= 1 \(got -2\)$/);
    const f = await runCli(['sweep', '--class', 'bumps,nope', '--n', '10', '--d', '3', '--out', out]);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/^robustlaw: --class \(item 2\) must be one of .* \(got "nope"\)$/m);
    const both = await runCli(['sweep', '--spec', 'x.json', '--class', 'bumps']);
    expect(both.stderr).toMatch(/give --spec or grid flags, not both/);
    expect((await runCli(['sweep', '--class', 'bumps', '--n', '10', '--d', '3', '--shard', '4/3', '--out', out])).stderr).toMatch(/--shard must be i\/N with i an integer in \[1, 3\] \(got "4\/3"\)/);
    expect(existsSync(out)).toBe(false);
  });
});
