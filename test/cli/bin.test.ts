/**
 * bin/robustlaw.js: runs the compiled dist/ when it is as new as every source, the TypeScript through tsx
 * (with a one-line note) when a source is newer, and dist/ always in the installed package (no src/).
 * Tested on a miniature package: the real bin and stamp module, a source and a dist entry that say which ran.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIsCurrent, newestSource } from '../../scripts/build-stamp.mjs';
import { cli } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A miniature package: bin/robustlaw.js, scripts/build-stamp.mjs, src/cli/run.ts and dist/src/cli/run.js, with all times in the past. */
function miniature(withSource = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'robustlaw-bin-'));
  dirs.push(dir);
  for (const sub of ['bin', 'scripts', 'dist/src/cli', ...(withSource ? ['src/cli'] : [])]) mkdirSync(join(dir, sub), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'robustlaw.js'), join(dir, 'bin', 'robustlaw.js'));
  copyFileSync(join(ROOT, 'scripts', 'build-stamp.mjs'), join(dir, 'scripts', 'build-stamp.mjs'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
  if (withSource) writeFileSync(join(dir, 'src', 'cli', 'run.ts'), "const from: string = 'source';\nprocess.stdout.write(`ran ${from}\\n`);\n");
  writeFileSync(join(dir, 'dist', 'src', 'cli', 'run.js'), "process.stdout.write('ran dist\\n');\n");
  const past = Date.now() / 1000 - 3600;
  for (const p of [...(withSource ? ['src/cli/run.ts', 'src/cli', 'src'] : [])]) utimesSync(join(dir, p), past, past);
  return dir;
}

/** Writes the stamp as the build does: its time is the sources' newest time when the build began. */
function stamp(dir: string, at: number): void {
  writeFileSync(join(dir, 'dist', '.build-stamp'), 'built\n');
  utimesSync(join(dir, 'dist', '.build-stamp'), at / 1000, at / 1000);
}

const run = (dir: string, env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'robustlaw.js')], { encoding: 'utf8', env: { ...process.env, ROBUSTLAW_QUIET_SOURCE: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('bin/robustlaw.js picks what runs', () => {
  it('dist/ when its stamp is as new as every source, silently', () => {
    const dir = miniature();
    stamp(dir, newestSource(dir));
    expect(buildIsCurrent(dir)).toBe(true);
    expect(run(dir)).toEqual({ code: 0, stdout: 'ran dist\n', stderr: '' });
  });

  it('the sources through tsx, with one line saying so, when a source is newer (an edit, a git pull)', () => {
    const dir = miniature();
    stamp(dir, newestSource(dir));
    const later = Date.now() / 1000;
    utimesSync(join(dir, 'src', 'cli', 'run.ts'), later, later);
    expect(buildIsCurrent(dir)).toBe(false);
    const r = run(dir);
    expect(r.stdout).toBe('ran source\n');
    expect(r.stderr).toBe('robustlaw: the sources are newer than dist/, running them through tsx (about 0.5 s slower); `npm run build` restores the fast start\n');
    expect(run(dir, { ROBUSTLAW_QUIET_SOURCE: '1' })).toEqual({ code: 0, stdout: 'ran source\n', stderr: '' });
  });

  it('a file added to (or deleted from) the sources makes dist/ stale through its folder time', () => {
    const dir = miniature();
    stamp(dir, newestSource(dir));
    writeFileSync(join(dir, 'src', 'cli', 'new.ts'), 'export {};\n');
    expect(buildIsCurrent(dir)).toBe(false);
    expect(run(dir).stdout).toBe('ran source\n');
  });

  it('no stamp (never built, or a build under way): the sources', () => {
    const dir = miniature();
    expect(run(dir).stdout).toBe('ran source\n');
  });

  it('the installed package (no src/) runs dist/, stamp or not', () => {
    const dir = miniature(false);
    expect(run(dir)).toEqual({ code: 0, stdout: 'ran dist\n', stderr: '' });
  });
});

describe('the command line of this checkout', () => {
  it('says which search backend runs in one short line, with no TensorFlow.js banner; --verbose says why', () => {
    const args = ['lip', '--class', 'random-features', '--n', '20', '--d', '4', '--k', '30', '--seed', '1', '--backend', 'tfjs-wasm'];
    const quiet = cli(args);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('robustlaw lip: search backend tfjs-wasm (f32 search on wasm, f64 certificates)\n');
    const auto = cli(['lip', '--class', 'linear', '--n', '20', '--d', '4', '--seed', '1']);
    expect(auto.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(auto.stderr).toMatch(/^robustlaw lip: search backend \S+ \(.*, auto\b/);
    const loud = cli([...args.slice(0, -2), '--backend', 'auto', '--verbose']);
    expect(loud.stderr).toMatch(/chosen by auto/);
    for (const r of [quiet, auto, loud]) expect(r.stdout + r.stderr).not.toMatch(/looks like you are running TensorFlow\.js/);
  });

  it('a sweep prints no progress lines where stderr is not a terminal, one per instance with --verbose', () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustlaw-quiet-'));
    dirs.push(dir);
    const grid = ['sweep', '--class', 'linear', '--n', '12', '--d', '2', '--seeds', '3', '--no-report', '--backend', 'cpu'];
    const plain = cli([...grid, '--out', join(dir, 'a')]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toMatch(/^sweep \d+\/3/m);
    const verbose = cli([...grid, '--out', join(dir, 'b'), '--verbose']);
    expect(verbose.stderr.match(/^sweep \d+\/3 linear/gm)).toHaveLength(3);
  });

  it('--version and -V print the package version and load no command', () => {
    const version = (JSON.parse(spawnSync(process.execPath, ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: ROOT, encoding: 'utf8' }).stdout) as { version: string }).version;
    for (const flag of ['--version', '-V']) expect(cli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
