import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { LOCK_FILE } from '../../src/core/output-lock.js';
import { parseSweepSpec } from '../../src/sweep/spec.js';
import { cli } from './helpers.js';
import { snapshot } from '../support.js';

const root = mkdtempSync(join(tmpdir(), 'robustlaw-outdir-'));
const grid = ['--class', 'linear', '--n', '12', '--d', '2', '--seeds', '2'];
const spec = parseSweepSpec({ class: 'linear', n: 12, d: 2, seeds: 2 });


/** Exit 2 and exactly one line on stderr, no stack trace; returns that line. */
function refused(r: { code: number; stdout: string; stderr: string }): string {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
  return lines[0];
}

describe('--out: data loss refused', () => {
  let sw: string;
  beforeAll(async () => {
    sw = join(root, 'sw');
    runSweep({ spec, outDir: sw });
    await writeReport(sw, { bench: null });
  });

  it('verify --out <a finished sweep> is refused, the sweep untouched', () => {
    const before = snapshot(sw);
    const line = refused(cli(['verify', '--seed', '1', '--count', '1', '--out', sw]));
    expect(line).toBe(`robustlaw: --out must be a new directory or a run of this same verify (got ${JSON.stringify(sw)}, which holds a sweep (see its sweep.json))`);
    expect(snapshot(sw)).toEqual(before);
  });

  it('merge s1 --out s2 (shard 2/2 of the same spec) is refused, shard 2 untouched', () => {
    const s1 = join(root, 's1');
    const s2 = join(root, 's2');
    runSweep({ spec, outDir: s1, shard: { index: 1, count: 2 } });
    runSweep({ spec, outDir: s2, shard: { index: 2, count: 2 } });
    const before = snapshot(s2);
    const line = refused(cli(['merge', s1, '--out', s2, '--no-bench']));
    expect(line).toBe(`robustlaw: --out must be a new directory or a merge of this same sweep (got ${JSON.stringify(s2)}, which holds shard 2/2 of a sweep of this spec (see its sweep.json))`);
    expect(snapshot(s2)).toEqual(before);
  });

  it("sweep --out <the user's own files> is refused, with or without --replace, the files untouched", () => {
    const user = join(root, 'user');
    mkdirSync(join(user, 'plots'), { recursive: true });
    writeFileSync(join(user, 'report.md'), '# my own report\n');
    writeFileSync(join(user, 'summary.json'), '{"mine": true}\n');
    writeFileSync(join(user, 'plots', 'mine.png'), 'PNG');
    const before = snapshot(user);
    for (const extra of [[], ['--replace']]) {
      const line = refused(cli(['sweep', ...grid, '--out', user, ...extra]));
      expect(line).toBe(`robustlaw: --out must be an empty or new directory, or one holding this same run (got ${JSON.stringify(user)}, which holds files no run created (plots/mine.png, report.md, summary.json))`);
    }
    expect(snapshot(user)).toEqual(before);
  });

  describe('a second writer', () => {
    let holder: ReturnType<typeof spawn>;
    beforeAll(() => {
      holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
    });
    afterAll(() => {
      holder.kill();
    });

    it("is refused naming the holder's pid", () => {
      const dir = join(root, 'locked');
      runSweep({ spec, outDir: dir });
      writeFileSync(join(dir, LOCK_FILE), `${JSON.stringify({ pid: holder.pid, started: '2026-01-01T00:00:00.000Z' })}\n`);
      const before = snapshot(dir);
      const line = refused(cli(['sweep', ...grid, '--out', dir]));
      expect(line).toBe(`robustlaw: --out must be a directory no other robustlaw run is writing (got ${JSON.stringify(dir)}, locked by pid ${holder.pid} (since 2026-01-01T00:00:00.000Z); wait for it, or remove ${dir}/${LOCK_FILE} if that process is not robustlaw)`);
      expect(refused(cli(['report', dir, '--no-bench']))).toMatch(new RegExp(`^robustlaw: <dir> must be a directory no other robustlaw run is writing .*locked by pid ${holder.pid} `));
      expect(snapshot(dir)).toEqual(before);
    });
  });
});

describe('two sweeps started on one --out', () => {
  it("the second is refused naming the first's pid while it runs; SIGTERM removes the lock", async () => {
    const dir = join(root, 'race');
    const bin = fileURLToPath(new URL('../../bin/robustlaw.js', import.meta.url));
    // long enough (hundreds of kernel fits, tens of seconds) to still be running when the second starts;
    // it is killed as soon as the refusal has been checked
    const args = ['sweep', '--class', 'gaussian-kernel', '--n', '300', '--d', '20', '--seeds', '400', '--backend', 'cpu', '--no-report', '--out', dir];
    const first = spawn(process.execPath, [bin, ...args], { stdio: 'ignore' });
    const stop = { after: Number.POSITIVE_INFINITY };
    try {
      const lock = join(dir, LOCK_FILE);
      for (let i = 0; i < 300 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 100));
      expect(existsSync(lock)).toBe(true);
      const line = refused(cli(args));
      expect(line).toMatch(new RegExp(`^robustlaw: --out must be a directory no other robustlaw run is writing \\(got ${JSON.stringify(dir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, locked by pid ${first.pid} \\(since `));
    } finally {
      const exited = new Promise((r) => first.once('exit', r));
      const killedAt = performance.now();
      first.kill('SIGTERM');
      await exited;
      // between two instances, not at the end of the grid (400 fits, about a minute): a synchronous run loop
      // kept Node from delivering the signal until every instance was done
      stop.after = (performance.now() - killedAt) / 1000;
    }
    expect(stop.after).toBeLessThan(10);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    // every line the first wrote is a whole record, and the second added none
    const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    expect(new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)).size).toBe(lines.length);
  }, 120_000);
});

describe('--out checked before any work', () => {
  const file = join(root, 'net.json');
  beforeAll(() => writeFileSync(file, '{"mine": true}\n'));

  it.each([
    ['verify', ['verify', '--seed', '1', '--count', '1']],
    ['merge', ['merge', join(root, 'nowhere')]],
    ['search', ['search', '--regime', 'clusters', '--budget', '2']],
    ['bench', ['bench', '--backend', 'cpu', '--kernel', 'matmulF64', '--iterations', '1']],
    ['sweep', ['sweep', ...grid]],
  ])('%s --out <a file> is one line naming --out and the path, exit 2, the file untouched', (_name, args) => {
    const line = refused(cli([...args, '--out', file]));
    expect(line).toBe(`robustlaw: --out must be a directory (or a path where one can be created) (got ${JSON.stringify(file)}, which is a file)`);
    expect(readFileSync(file, 'utf8')).toBe('{"mine": true}\n');
  });

  it.each([
    ['sweep', ['sweep', ...grid]],
    ['verify', ['verify', '--seed', '1', '--count', '1']],
  ])("%s --out '' is refused", (_name, args) => {
    expect(refused(cli([...args, '--out', '']))).toBe('robustlaw: --out must be a directory path (got "")');
  });

  it.each([
    ['search', ['search', '--regime', 'clusters', '--budget', '2']],
    ['bench', ['bench', '--backend', 'cpu', '--kernel', 'matmulF64', '--iterations', '1']],
  ])('%s --out <a path through a file> (ENOTDIR) is refused', (_name, args) => {
    const line = refused(cli([...args, '--out', join(file, 'sub')]));
    expect(line).toBe(`robustlaw: --out must be a directory (or a path where one can be created) (got ${JSON.stringify(join(file, 'sub'))}, under ${JSON.stringify(file)}, which is a file)`);
  });

  it('report <a file> is refused naming the argument', () => {
    expect(refused(cli(['report', file]))).toBe(`robustlaw: <dir> must be a directory (or a path where one can be created) (got ${JSON.stringify(file)}, which is a file)`);
  });

  it('a read-only directory (EACCES) is refused before any work', () => {
    // as root, permission bits do not stop writes: the CLI then runs as the unprivileged user nobody
    const asRoot = process.getuid?.() === 0;
    const base = mkdtempSync(join(tmpdir(), 'robustlaw-ro-'));
    chmodSync(base, 0o755);
    const ro = join(base, 'ro');
    mkdirSync(ro, { mode: 0o555 });
    chmodSync(ro, 0o555);
    const bin = fileURLToPath(new URL('../../bin/robustlaw.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'sweep', ...grid, '--out', join(ro, 'sub')], { encoding: 'utf8', timeout: 60_000, cwd: base, ...(asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: base } } : {}) });
    if (asRoot && r.status !== 2 && /EACCES|permission/i.test(r.stderr) && !r.stderr.startsWith('robustlaw: --out')) {
      console.log(`skipped the EACCES case: the CLI cannot start as user nobody here (${r.stderr.split('\n')[0]})`);
      return;
    }
    const line = refused({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
    expect(line).toBe(`robustlaw: --out must be a writable directory (got ${JSON.stringify(join(ro, 'sub'))}, under ${JSON.stringify(ro)}, which is not writable (EACCES))`);
    expect(readdirSync(ro)).toEqual([]);
  });
});
