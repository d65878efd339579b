import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

describe('robustlaw verify', () => {
  it('prints the verification table, the seed, and exits 0 with no certified counterexample', () => {
    const r = cli(['verify', '--seed', '5', '--count', '12'], 120_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/seed=5 \(replay with --seed 5\)/);
    expect(r.stdout).toMatch(/No certified counterexample\./);
    expect(r.stdout.split('\n').filter((l) => /^\d+\s{2,}/.test(l))).toHaveLength(12);
  });
  it('is reproducible: the same seed gives the same JSON numbers', () => {
    const a = JSON.parse(cli(['verify', '--seed', '9', '--count', '6', '--json']).stdout);
    const b = JSON.parse(cli(['verify', '--seed', '9', '--count', '6', '--json']).stdout);
    const strip = (x: { reports: { lower: number; upper: number; R: number; spec: unknown }[] }) => x.reports.map((r) => [r.spec, r.lower, r.upper, r.R]);
    expect(strip(a)).toEqual(strip(b));
  });
  it('bad input exits 2', () => {
    expect(cli(['verify', '--profile', 'huge']).code).toBe(2);
    expect(cli(['verify', '--count', '0']).code).toBe(2);
  });
});

describe('robustlaw search', () => {
  it('finds, shrinks and writes a replayable counterexample; --json gives verdict counterexample', () => {
    const out = mkdtempSync(join(tmpdir(), 'robustlaw-search-'));
    const r = cli(['search', '--regime', 'clusters', '--budget', '50', '--seed', '3', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.verdict).toBe('counterexample');
    expect(doc.measured.Rcertified).toBeLessThanOrEqual(0.2);
    expect(readdirSync(out)).toEqual(['clusters.json']);
    expect(JSON.parse(readFileSync(join(out, 'clusters.json'), 'utf8'))).toEqual(doc);
    const replay = JSON.parse(cli(['search', '--regime', 'clusters', '--seed', '3', '--path', doc.replay.path, '--budget', '1', '--no-write', '--json']).stdout);
    expect(replay.params).toEqual(doc.params);
  });
  it('bad input exits 2', () => {
    expect(cli(['search', '--regime', 'nope']).stderr).toMatch(/--regime must be one of noiseless, subspace, clusters, average/);
    expect(cli(['search', '--regime', 'average', '--path', 'x:y']).code).toBe(2);
  });
});
