import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withoutTiming, type SweepRecord } from '../../src/law/record.js';
import { readResults } from '../../src/sweep/results-file.js';
import { canonicalJson } from '../../src/sweep/spec.js';
import { cli } from '../cli/helpers.js';

const bin = fileURLToPath(new URL('../../bin/robustlaw.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'robustlaw-resume-'));
const specFile = join(root, 'spec.json');
writeFileSync(specFile, JSON.stringify({ class: ['random-features', 'ntk-features'], n: 60, d: 20, p: [120, 240, 480, 1200], seeds: 3, model: { activation: 'cos' } }));

const lines = (dir: string) => (existsSync(join(dir, 'results.jsonl')) ? readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter((l) => l.length > 0).length : 0);
const stripped = (dir: string) => readFileSync(join(dir, 'results.jsonl'), 'utf8').trimEnd().split('\n').map((l) => canonicalJson(withoutTiming(JSON.parse(l) as SweepRecord)));

/** Starts a sweep, waits until `after` records are on disk, and SIGKILLs it. */
function killAfter(out: string, after: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'sweep', '--spec', specFile, '--out', out, '--no-report'], { stdio: 'ignore' });
    const timer = setInterval(() => {
      if (lines(out) >= after) {
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 5);
    child.on('exit', (_code, signal) => {
      clearInterval(timer);
      if (signal !== 'SIGKILL') reject(new Error(`the sweep ended before it was killed (signal ${signal})`));
      else resolve(lines(out));
    });
  });
}

describe('kill and resume', () => {
  it('a sweep killed with SIGKILL mid-run resumes to the uninterrupted results: no duplicate, no torn line', async () => {
    const whole = join(root, 'whole');
    const full = cli(['sweep', '--spec', specFile, '--out', whole, '--no-report']);
    expect(full.code, full.stderr).toBe(0);
    const total = lines(whole);
    expect(total).toBe(24);

    const killed = join(root, 'killed');
    const onDisk = await killAfter(killed, 4);
    expect(onDisk).toBeGreaterThanOrEqual(4);
    expect(onDisk).toBeLessThan(total);
    const partial = readResults(join(killed, 'results.jsonl'));
    expect(partial.records.length).toBeGreaterThanOrEqual(4);

    // a second kill on the resumed run, then a resume to the end
    await killAfter(killed, partial.records.length + 3);
    const resumed = cli(['sweep', '--spec', specFile, '--out', killed, '--no-report']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming, \d+ of 24 already done/);
    expect(resumed.stdout).toMatch(/24 instances \(\d+ computed, \d+ resumed\)/);

    const text = readFileSync(join(killed, 'results.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const recs = text.trimEnd().split('\n').map((l) => JSON.parse(l) as SweepRecord);
    expect(new Set(recs.map((r) => r.id)).size).toBe(recs.length);
    expect(recs.map((r) => r.index)).toEqual(recs.map((_, i) => i));
    expect(stripped(killed)).toEqual(stripped(whole));
  }, 180_000);

  it('a torn last line (an append cut off) is dropped on resume and recomputed', () => {
    const whole = join(root, 'whole');
    const torn = join(root, 'torn');
    const ok = cli(['sweep', '--spec', specFile, '--out', torn, '--no-report']);
    expect(ok.code).toBe(0);
    // Cut the file inside its 10th line, as a crash between write and fsync could.
    const text = readFileSync(join(torn, 'results.jsonl'), 'utf8');
    const cut = text.split('\n').slice(0, 9).join('\n').length + 1 + 40;
    writeFileSync(join(torn, 'results.jsonl'), text.slice(0, cut));
    expect(readResults(join(torn, 'results.jsonl')).tornBytes).toBe(40);
    const r = cli(['sweep', '--spec', specFile, '--out', torn, '--no-report']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/dropped a torn last line \(40 bytes\)/);
    expect(r.stdout).toMatch(/24 instances \(15 computed, 9 resumed\)/);
    expect(stripped(torn)).toEqual(stripped(whole));
  }, 120_000);

  it('a damaged line in the middle is corruption: refused, naming the line, and the file is left alone', () => {
    const dir = join(root, 'torn');
    const path = join(dir, 'results.jsonl');
    const text = readFileSync(path, 'utf8').split('\n');
    text[2] = '{"not": "a record"}';
    writeFileSync(path, text.join('\n'));
    const before = readFileSync(path, 'utf8');
    const r = cli(['sweep', '--spec', specFile, '--out', dir, '--no-report']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/results\.jsonl.*line 3 is not a/);
    expect(readFileSync(path, 'utf8')).toBe(before);
  }, 60_000);
});
