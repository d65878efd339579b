import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.js';
import { readManifest, type SweepManifest } from '../../src/sweep/manifest.js';
import { mergeRuns, writeMerge } from '../../src/sweep/merge.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { acquireLock, checkOutDir, LOCK_FILE } from '../../src/core/output-lock.js';
import { checkRunDir, openRunDir } from '../../src/sweep/run-dir.js';
import { parseSweepSpec } from '../../src/sweep/spec.js';
import { snapshot } from '../support.js';

const root = mkdtempSync(join(tmpdir(), 'robustlaw-rundir-'));
const spec = parseSweepSpec({ class: 'linear', n: 12, d: 2, seeds: 2 });
const other = parseSweepSpec({ class: 'linear', n: 14, d: 2 });
const quiet = () => {};


/** A directory holding the user's own files (no run made them). */
function userDir(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'plots'), { recursive: true });
  writeFileSync(join(dir, 'report.md'), '# my own report\n');
  writeFileSync(join(dir, 'summary.json'), '{"mine": true}\n');
  writeFileSync(join(dir, 'plots', 'mine.png'), 'PNG');
  return dir;
}

/** The pid of a process that has exited (no longer alive). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

describe('a run owns exactly the files it created', () => {
  it('sweep.json lists every file the run and its report created, and nothing else', async () => {
    const dir = join(root, 'listed');
    runSweep({ spec, outDir: dir });
    expect(readManifest(dir)!.files).toEqual(['results.jsonl']);
    await writeReport(dir, { bench: null });
    const files = readManifest(dir)!.files!;
    const onDisk = Object.keys(snapshot(dir)).filter((f) => f !== 'sweep.json');
    expect([...files].sort()).toEqual(onDisk.sort());
    expect(files).toEqual(expect.arrayContaining(['results.jsonl', 'summary.json', 'report.md', 'report.html']));
    expect(files.some((f) => /^plots\/.+\.svg$/.test(f))).toBe(true);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    // resumed: the same run, its list kept
    expect(runSweep({ spec, outDir: dir }).computed).toBe(0);
    expect(readManifest(dir)!.files).toEqual(files);
  });

  it("a directory of the user's own files is refused before any work, even with replace, and left untouched", async () => {
    const dir = userDir('user');
    const before = snapshot(dir);
    let computed = 0;
    for (const replace of [false, true]) {
      expect(() => runSweep({ spec, outDir: dir, replace, onRecord: () => computed++ })).toThrow(/outDir must be an empty or new directory.*holds files no run created \(plots\/mine\.png, report\.md, summary\.json\)/);
    }
    expect(() => checkRunDir(dir, { kind: 'sweep', spec, shard: { index: 1, count: 1 } })).toThrow(/holds files no run created/);
    await expect(writeReport(dir, { bench: null })).rejects.toThrow(/dir must be a sweep, merge or verify output directory.*no sweep\.json/);
    expect(computed).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a run directory holding a file its sweep.json does not list is refused, even with replace", async () => {
    const dir = join(root, 'extra');
    runSweep({ spec, outDir: dir });
    await writeReport(dir, { bench: null });
    writeFileSync(join(dir, 'plots', 'mine.png'), 'PNG');
    const before = snapshot(dir);
    expect(() => runSweep({ spec: other, outDir: dir, replace: true })).toThrow(/holds files its sweep\.json does not list \(plots\/mine\.png\)/);
    expect(() => runSweep({ spec, outDir: dir })).toThrow(/does not list \(plots\/mine\.png\)/);
    await expect(writeReport(dir, { bench: null })).rejects.toThrow(/does not list \(plots\/mine\.png\)/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('replace deletes only the files the manifest lists (plots/ goes only when that leaves it empty)', async () => {
    const dir = join(root, 'replace');
    runSweep({ spec, outDir: dir });
    await writeReport(dir, { bench: null });
    const listed = readManifest(dir)!.files!;
    // a manifest listing only part of what the run made: the rest is then not the run's to delete
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ ...readManifest(dir)!, files: listed.filter((f) => f !== 'report.md') }));
    expect(() => runSweep({ spec: other, outDir: dir, replace: true })).toThrow(/does not list \(report\.md\)/);
    expect(Object.keys(snapshot(dir)).sort()).toEqual(['sweep.json', ...listed].sort());
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ ...readManifest(dir)!, files: listed }));
    const out = runSweep({ spec: other, outDir: dir, replace: true });
    expect(out.computed).toBe(1);
    expect(Object.keys(snapshot(dir)).sort()).toEqual(['results.jsonl', 'sweep.json']);
    expect(existsSync(join(dir, 'plots'))).toBe(false);
    expect(readManifest(dir)!.files).toEqual(['results.jsonl']);
  });

  it('a manifest without a files list (written before it existed) owns the standard run files', async () => {
    const dir = join(root, 'legacy');
    runSweep({ spec, outDir: dir });
    await writeReport(dir, { bench: null });
    const { files, ...legacy } = readManifest(dir)! as SweepManifest & { files: string[] };
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(legacy));
    await writeReport(dir, { bench: null });
    expect([...readManifest(dir)!.files!].sort()).toEqual([...files].sort());
  });

  it("a temporary file left by a killed atomic write of the run's own file is the run's: removed, not refused", () => {
    const dir = join(root, 'tmp');
    runSweep({ spec, outDir: dir });
    writeFileSync(join(dir, `.results.jsonl.${deadPid()}.1700000000000.tmp`), 'half');
    writeFileSync(join(dir, `.sweep.json.${deadPid()}.1700000000000.tmp`), 'half');
    expect(runSweep({ spec, outDir: dir }).computed).toBe(0);
    expect(Object.keys(snapshot(dir)).sort()).toEqual(['results.jsonl', 'sweep.json']);
  });

  it('merge writes only into a new directory or a merge of the same experiment, never over a shard', () => {
    const s1 = join(root, 'm-s1');
    const s2 = join(root, 'm-s2');
    runSweep({ spec, outDir: s1, shard: { index: 1, count: 2 } });
    runSweep({ spec, outDir: s2, shard: { index: 2, count: 2 } });
    const before = snapshot(s2);
    expect(() => writeMerge(s2, mergeRuns([s1], { allowMissing: true }))).toThrow(/outDir must be a new directory or a merge of this same sweep \(got ".*m-s2", which holds shard 2\/2 of a sweep of this spec/);
    expect(snapshot(s2)).toEqual(before);
    const m = join(root, 'm-merged');
    writeMerge(m, mergeRuns([s1, s2]));
    writeMerge(m, mergeRuns([s1, s2]));
    expect(readManifest(m)!.mergedFrom).toHaveLength(2);
    expect(readManifest(m)!.files).toEqual(['results.jsonl']);
    // a merge is not a run: sweeping into it is refused
    expect(() => runSweep({ spec, outDir: m })).toThrow(/holds a merge of a sweep of this spec/);
  });
});

describe('the output location is checked before any work', () => {
  it('an empty path, a file, a path through a file are refused naming the path; fs errors are InputErrors', () => {
    writeFileSync(join(root, 'net.json'), '{}');
    expect(() => checkOutDir('')).toThrow(/outDir must be a directory path \(got ""\)/);
    expect(() => checkOutDir(join(root, 'net.json'))).toThrow(/outDir must be a directory \(or a path where one can be created\) \(got ".*net\.json", which is a file\)/);
    expect(() => checkOutDir(join(root, 'net.json', 'a', 'b'))).toThrow(/under ".*net\.json", which is a file/);
    expect(() => runSweep({ spec, outDir: join(root, 'net.json') })).toThrow(/which is a file/);
    expect(checkOutDir(join(root, 'new', 'deep'))).toBe(false);
    expect(existsSync(join(root, 'new'))).toBe(false);
  });

  // skipped as root (uid 0), for whom access(W_OK) succeeds on a mode-555 directory: vitest lists it as skipped
  const root0 = process.getuid?.() === 0;
  it.skipIf(root0)('a read-only directory is refused (EACCES; skipped when the tests run as root)', async () => {
    const { chmodSync } = await import('node:fs');
    const ro = join(root, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    expect(() => checkOutDir(join(ro, 'sub'))).toThrow(/under ".*ro", which is not writable \(EACCES\)/);
    expect(() => checkOutDir(ro)).toThrow(/which is not writable \(EACCES\)/);
  });
});

describe('a lock held for the run', () => {
  let holder: ReturnType<typeof spawn>;
  beforeAll(() => {
    holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  });
  afterAll(() => {
    holder.kill();
  });

  it("a second writer is refused naming the holder's pid; the files are untouched", async () => {
    const dir = join(root, 'locked');
    runSweep({ spec, outDir: dir });
    writeFileSync(join(dir, LOCK_FILE), `${JSON.stringify({ pid: holder.pid, started: '2026-01-01T00:00:00.000Z' })}\n`);
    const before = snapshot(dir);
    expect(() => runSweep({ spec, outDir: dir })).toThrow(new RegExp(`outDir must be a directory no other robustlaw run is writing \\(got ".*locked", locked by pid ${holder.pid} \\(since 2026-01-01T00:00:00.000Z\\)`));
    expect(() => runSweep({ spec: other, outDir: dir, replace: true })).toThrow(new RegExp(`locked by pid ${holder.pid}`));
    await expect(writeReport(dir, { bench: null })).rejects.toThrow(new RegExp(`locked by pid ${holder.pid}`));
    expect(() => acquireLock(dir)).toThrow(new RegExp(`locked by pid ${holder.pid}`));
    expect(snapshot(dir)).toEqual(before);
  });

  it('a lock whose process is gone is taken over with a one-line note, and removed at the end', () => {
    const dir = join(root, 'stale');
    runSweep({ spec, outDir: dir });
    const pid = deadPid();
    writeFileSync(join(dir, LOCK_FILE), `${JSON.stringify({ pid, started: '2026-01-01T00:00:00.000Z' })}\n`);
    const notes: string[] = [];
    expect(runSweep({ spec, outDir: dir, note: (l) => void notes.push(l) }).computed).toBe(0);
    expect(notes).toEqual([expect.stringMatching(new RegExp(`took over a stale lock of pid ${pid} .*no longer running$`))]);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("a lock naming this process's own pid that it does not hold (a killed container's robustlaw, pid 1 again in the new one) is stale: taken over", () => {
    const dir = join(root, 'own-pid');
    runSweep({ spec, outDir: dir });
    writeFileSync(join(dir, LOCK_FILE), `${JSON.stringify({ pid: process.pid, started: '2026-01-01T00:00:00.000Z' })}\n`);
    const notes: string[] = [];
    expect(runSweep({ spec, outDir: dir, note: (l) => void notes.push(l) }).computed).toBe(0);
    expect(notes).toEqual([expect.stringMatching(new RegExp(`took over a stale lock of pid ${process.pid} `))]);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    // while this process does hold it, a second lock of the same directory is still refused
    const release = acquireLock(dir, 'outDir', quiet);
    try {
      expect(() => acquireLock(dir, 'outDir', quiet)).toThrow(new RegExp(`locked by pid ${process.pid}`));
    } finally {
      release();
    }
  });

  it('while a run holds the lock, the lock names this process; a second open is refused', () => {
    const dir = join(root, 'held');
    const run = openRunDir(dir, { manifest: { format: 'robustlaw-sweep/1', kind: 'sweep', spec, gridSize: 2, shard: { index: 1, count: 1 } }, note: quiet });
    try {
      const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; started: string };
      expect(lock.pid).toBe(process.pid);
      expect(Number.isNaN(Date.parse(lock.started))).toBe(false);
      // a lock check from another process sees a live holder
      const r = spawnSync(process.execPath, ['-e', `try { process.kill(${process.pid}, 0); console.log('alive'); } catch { console.log('dead'); }`], { encoding: 'utf8' });
      expect(r.stdout.trim()).toBe('alive');
    } finally {
      run.close();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
