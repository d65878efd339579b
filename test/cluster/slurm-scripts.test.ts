/**
 * The Slurm examples (examples/cluster/*.sbatch, submit.sh) and scripts/slurm-local.sh, without Slurm: they
 * parse, they ask Slurm for what the docs promise (an array that is requeued, a merge after it), and they
 * call robustlaw as documented, checked by running them with stand-ins for `node` and `sbatch` on PATH.
 * The real scheduler runs them in slurm.test.ts (ROBUSTLAW_SLURM=1).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/main.js';
import { expandGrid } from '../../src/sweep/grid.js';
import { parseSweepSpec } from '../../src/sweep/spec.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPTS = ['examples/cluster/sweep.sbatch', 'examples/cluster/merge.sbatch', 'examples/cluster/submit.sh', 'scripts/slurm-local.sh'];
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const sbatchOptions = (f: string) => [...read(f).matchAll(/^#SBATCH (\S+)/gm)].map((m) => m[1]);

/** A directory with stand-ins for commands: each logs its arguments, one call per line, and exits as told. */
function fakeBin(commands: Readonly<Record<string, string>>): { bin: string; calls: (name: string) => string[][] } {
  const bin = mkdtempSync(join(tmpdir(), 'robustlaw-fakebin-'));
  for (const [name, body] of Object.entries(commands)) {
    writeFileSync(join(bin, name), `#!/bin/bash\nprintf '%s\\t' "$@" >>"${bin}/${name}.calls"\necho >>"${bin}/${name}.calls"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const calls = (name: string) => {
    try {
      return readFileSync(join(bin, `${name}.calls`), 'utf8').trimEnd().split('\n').map((l) => l.replace(/\t$/, '').split('\t'));
    } catch {
      return [];
    }
  };
  return { bin, calls };
}

function bash(script: string, args: string[], env: Readonly<Record<string, string>>, cwd = ROOT): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', [join(ROOT, script), ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('the scripts parse and ask Slurm for what the docs promise', () => {
  it.each(SCRIPTS)('bash -n %s', (f) => {
    const r = spawnSync('bash', ['-n', join(ROOT, f)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('bash -n fails on a script with a syntax error (the check can fail)', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'robustlaw-bad-')), 'bad.sbatch');
    writeFileSync(bad, read('examples/cluster/sweep.sbatch').replace('exit 0; fi', 'exit 0;'));
    expect(spawnSync('bash', ['-n', bad]).status).not.toBe(0);
  });

  it('the array task is requeued on node failure or preemption and appends its log across attempts; the merge is not an array', () => {
    expect(sbatchOptions('examples/cluster/sweep.sbatch')).toEqual(expect.arrayContaining(['--array=1-4', '--requeue', '--open-mode=append']));
    expect(sbatchOptions('examples/cluster/merge.sbatch').some((o) => o.startsWith('--array') || o === '--requeue')).toBe(false);
    expect(read('examples/cluster/submit.sh')).toContain('--dependency="afterok:$array"');
  });

  it('every robustlaw flag the cluster examples pass exists on its command', async () => {
    const program = await buildProgram();
    const files = ['examples/cluster/sweep.sbatch', 'examples/cluster/merge.sbatch', 'examples/cluster/k8s/sweep-job.yaml', 'examples/cluster/k8s/merge-job.yaml'];
    const calls = files.flatMap((f) => [...read(f).matchAll(/bin\/robustlaw\.js (\w[\w-]*)([^\n;]*)/g)]);
    expect(calls.map(([, name]) => name).sort()).toEqual(['merge', 'merge', 'sweep', 'sweep']);
    for (const [, name, rest] of calls) {
      const cmd = program.commands.find((c) => c.name() === name)!;
      for (const [flag] of rest.matchAll(/--[a-z][\w-]*/g)) expect(cmd.options.some((o) => o.long === flag), `${name} ${flag}`).toBe(true);
    }
  });

  it('examples/cluster/sweep.yaml is a valid spec of the 80 grid points its comment says', () => {
    const spec = parseSweepSpec(parse(read('examples/cluster/sweep.yaml')), 'examples/cluster/sweep.yaml');
    expect(expandGrid(spec)).toHaveLength(80);
    expect(read('examples/cluster/sweep.yaml')).toContain('= 80 grid points');
    expect(spec.backend).toBe('cpu');
  });
});

describe('what the scripts run (stand-ins for node and sbatch)', () => {
  const slurmTask = { SLURM_ARRAY_JOB_ID: '41', SLURM_ARRAY_TASK_ID: '3', SLURM_SUBMIT_DIR: ROOT };

  it('sweep.sbatch runs robustlaw sweep --shard env into RUN/shard-ID; exit 1 (a counterexample found) ends the task well, others are kept', () => {
    for (const [code, expected] of [[0, 0], [1, 0], [2, 2], [137, 137]]) {
      const { bin, calls } = fakeBin({ node: `exit ${code}` });
      const r = bash('examples/cluster/sweep.sbatch', [], { ...slurmTask, PATH: `${bin}:${process.env.PATH}`, ROBUSTLAW_SPEC: 's.yaml', ROBUSTLAW_RUN: '/shared/grid1' });
      expect(r.code, r.stderr).toBe(expected);
      expect(calls('node')).toEqual([['bin/robustlaw.js', 'sweep', '--spec', 's.yaml', '--shard', 'env', '--out', '/shared/grid1/shard-3', '--no-report']]);
      if (code === 1) expect(r.stdout).toMatch(/certified counterexample in this shard/);
    }
  });

  it('sweep.sbatch stops robustlaw at once on SIGTERM (a requeue, a scancel) and waits for it, so that robustlaw is never orphaned', async () => {
    // the fake robustlaw ignores SIGTERM, as robustlaw does within an instance: only a kill stops it, and it
    // must be stopped before the script exits (an orphan would go on writing beside the requeued task)
    const { bin } = fakeBin({ node: `trap 'echo TERM >>"${'$'}{0%/*}/signals"' TERM\necho $$ >"${'$'}{0%/*}/started"\nfor i in $(seq 1 200); do sleep 0.05; done\necho finished >"${'$'}{0%/*}/finished"` });
    const child = spawn('bash', [join(ROOT, 'examples/cluster/sweep.sbatch')], { cwd: ROOT, env: { ...slurmTask, PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME ?? '/' }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 200 && !existsSync(join(bin, 'started')); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGTERM');
    expect(await exited).toBe(137);
    // gone before the script ended, and before its loop finished
    const pid = Number(readFileSync(join(bin, 'started'), 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();
    expect(existsSync(join(bin, 'finished'))).toBe(false);
  });

  it('sweep.sbatch defaults to the example spec and runs/cluster, and refuses to run outside an array', () => {
    const { bin, calls } = fakeBin({ node: 'exit 0' });
    expect(bash('examples/cluster/sweep.sbatch', [], { ...slurmTask, PATH: `${bin}:${process.env.PATH}` }).code).toBe(0);
    expect(calls('node')[0]).toEqual(['bin/robustlaw.js', 'sweep', '--spec', 'examples/cluster/sweep.yaml', '--shard', 'env', '--out', 'runs/cluster/shard-3', '--no-report']);
    const outside = bash('examples/cluster/sweep.sbatch', [], { PATH: `${bin}:${process.env.PATH}` });
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toMatch(/not a task of a Slurm job array: submit with sbatch --array=1-N/);
    expect(calls('node')).toHaveLength(1);
  });

  it('merge.sbatch merges every RUN/shard-* into RUN/merged', () => {
    const run = mkdtempSync(join(tmpdir(), 'robustlaw-run-'));
    for (const i of [1, 2, 10]) mkdirSync(join(run, `shard-${i}`));
    const { bin, calls } = fakeBin({ node: 'exit 0' });
    expect(bash('examples/cluster/merge.sbatch', [], { PATH: `${bin}:${process.env.PATH}`, SLURM_SUBMIT_DIR: ROOT, ROBUSTLAW_RUN: run }).code).toBe(0);
    expect(calls('node')).toEqual([['bin/robustlaw.js', 'merge', `${run}/shard-1`, `${run}/shard-10`, `${run}/shard-2`, '--out', `${run}/merged`, '--no-bench']]);
  });

  it('submit.sh submits the array of TASKS tasks, then the merge after it (afterok), passing extra options to both', () => {
    const run = join(mkdtempSync(join(tmpdir(), 'robustlaw-submit-')), 'grid1');
    const { bin, calls } = fakeBin({ sbatch: 'if [[ "$*" == *--array=* ]]; then echo "501;cluster"; else echo 502; fi' });
    const r = bash('examples/cluster/submit.sh', ['spec.yaml', run, '6', '--partition=short'], { PATH: `${bin}:${process.env.PATH}` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`array 501: tasks 1-6 -> ${run}/shard-<task>; merge 502 after all of them -> ${run}/merged (logs in ${run}/logs)\n`);
    const [array, merge] = calls('sbatch');
    expect(array.slice(0, -1)).toEqual(['--parsable', '--export=ALL', '--array=1-6', `--output=${run}/logs/sweep-%A_%a.out`, '--partition=short']);
    expect(array.at(-1)).toMatch(/examples\/cluster\/sweep\.sbatch$/);
    expect(merge.slice(0, -1)).toEqual(['--parsable', '--export=ALL', '--dependency=afterok:501', '--kill-on-invalid-dep=yes', `--output=${run}/logs/merge-%j.out`, '--partition=short']);
    expect(merge.at(-1)).toMatch(/examples\/cluster\/merge\.sbatch$/);
  });

  it.each([[['spec.yaml', 'run']], [['spec.yaml', 'run', '0']], [['spec.yaml', 'run', 'four']]])('submit.sh %j: usage, exit 2, nothing submitted', (args) => {
    const { bin, calls } = fakeBin({ sbatch: 'echo 1' });
    const r = bash('examples/cluster/submit.sh', args, { PATH: `${bin}:${process.env.PATH}` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usage: .*submit\.sh SPEC RUN_DIR TASKS/);
    expect(calls('sbatch')).toEqual([]);
  });
});
