import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CounterexampleFile } from '../../src/search/counterexample-file.js';
import type { VerifyResult } from '../../src/sweep/verify-run.js';
import { runCli } from './helpers.js';

describe('robustlaw verify', () => {
  it('prints the verification table, the seed, and exits 0 with no certified counterexample', async () => {
    const r = await runCli(['verify', '--seed', '5', '--count', '12']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/seed=5 \(replay with --seed 5\)/);
    expect(r.stdout).toMatch(/No certified counterexample\./);
    expect(r.stdout.split('\n').filter((l) => /^\d+\s{2,}/.test(l))).toHaveLength(12);
  });
  it('is reproducible: the same seed gives the same JSON numbers', async () => {
    const a = JSON.parse((await runCli(['verify', '--seed', '9', '--count', '6', '--json'])).stdout) as VerifyResult;
    const b = JSON.parse((await runCli(['verify', '--seed', '9', '--count', '6', '--json'])).stdout) as VerifyResult;
    const strip = (x: VerifyResult) => x.records.map((r) => [r.format, r.spec, r.lower, r.upper, r.R]);
    expect(strip(a)).toEqual(strip(b));
  });
  it('bad input exits 2', async () => {
    expect((await runCli(['verify', '--profile', 'huge'])).code).toBe(2);
    expect((await runCli(['verify', '--count', '0'])).code).toBe(2);
  });
});

describe('robustlaw search', () => {
  it('finds, shrinks and writes a replayable counterexample; --json gives verdict counterexample', async () => {
    const out = mkdtempSync(join(tmpdir(), 'robustlaw-search-'));
    const r = await runCli(['search', '--regime', 'clusters', '--budget', '50', '--seed', '3', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as CounterexampleFile & { measured: Record<string, number | string | null> };
    expect(doc.verdict).toBe('counterexample');
    expect(doc.measured.Rcertified).toBeLessThanOrEqual(0.2);
    // the instance's record, from the same runner and record builder as verify's and sweep's
    expect(doc.record).toMatchObject({ format: 'robustlaw-record/1', spec: doc.instance, p: doc.measured.p, upper: doc.measured.upper });
    expect(doc.record?.id).toMatch(/^search regime=clusters n=\d+,d=\d+,extra=\d+,seed=\d+$/);
    expect(readdirSync(out).sort()).toEqual(['clusters-family.svg', 'clusters.json', 'clusters.md']);
    // inside the premise (issue 17): the minimal instance lists its items, the family falls
    expect(doc.premise?.holds).toBe(true);
    expect(doc.family?.allInPremise).toBe(true);
    expect(doc.family!.slope!.hi!).toBeLessThan(0);
    expect(readFileSync(join(out, 'clusters.md'), 'utf8')).toContain('](clusters-family.svg)');
    expect(readFileSync(join(out, 'clusters-family.svg'), 'utf8')).toMatch(/^<svg[^>]*><!-- robustlaw-search-family-plot\/1 -->/);
    expect(JSON.parse(readFileSync(join(out, 'clusters.json'), 'utf8'))).toEqual(doc);
    const replay = JSON.parse((await runCli(['search', '--regime', 'clusters', '--seed', '3', '--path', doc.replay.path!, '--budget', '1', '--no-write', '--json'])).stdout) as CounterexampleFile;
    expect(replay.params).toEqual(doc.params);
  });
  it('prints the family, its slope and the sentence; --allow-outside-premise lets the shrinker below n = 50', async () => {
    const r = await runCli(['search', '--regime', 'subspace', '--budget', '100', '--seed', '1', '--allow-outside-premise', '--no-write']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/premise \(the search may leave it: --allow-outside-premise\): .*n >= 50: \d+ \(NO\)/);
    expect(r.stdout).toContain('replay: robustlaw search --regime subspace --seed 1 --path ');
    expect(r.stdout).toContain(' --allow-outside-premise\n');
    expect(r.stdout).toMatch(/slope of log R on log d: -0\.5 \(95% interval \[-0\.5, -0\.5\]\); predicted -0\.5/);
    expect(r.stdout).toMatch(/every instance inside the premise: yes\n {2}R falls from .* like d\^-0\.5/);
    expect((await runCli(['search', '--regime', 'subspace', '--in-regime', '--allow-outside-premise'])).stderr).toMatch(/--allow-outside-premise does not apply with --in-regime/);
  });
  it('bad input exits 2', async () => {
    expect((await runCli(['search', '--regime', 'nope'])).stderr).toMatch(/--regime must be one of noiseless, subspace, clusters, average/);
    expect((await runCli(['search', '--regime', 'average', '--path', 'x:y'])).code).toBe(2);
  });
});
