/**
 * `--shard env`: the shard from a Slurm array's or a Kubernetes Indexed Job's environment (shard-env.ts),
 * one shard count per run of an array (shard-count.ts), and the CLI's `sweep --shard env`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGrid } from '../../src/sweep/grid.js';
import { readManifest } from '../../src/sweep/manifest.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { inShard } from '../../src/sweep/shard.js';
import { checkShardCount } from '../../src/sweep/shard-count.js';
import { shardFromEnv, SHARD_COUNT_VAR, type Environment } from '../../src/sweep/shard-env.js';
import { parseSweepSpec } from '../../src/sweep/spec.js';
import { cli } from '../cli/helpers.js';
import { thrown } from '../support.js';

const root = mkdtempSync(join(tmpdir(), 'robustlaw-shard-env-'));
/** What sbatch sets in task `id` of `--array=min-max`. */
const slurm = (id: number, min: number, max: number): Environment => ({ SLURM_ARRAY_JOB_ID: '77', SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: String(min), SLURM_ARRAY_TASK_MAX: String(max), SLURM_ARRAY_TASK_COUNT: String(max - min + 1), SLURM_ARRAY_TASK_STEP: '1' });
/** What an Indexed Job's pod `index` sees, with the count its manifest passes. */
const kube = (index: number, count: number): Record<string, string> => ({ JOB_COMPLETION_INDEX: String(index), [SHARD_COUNT_VAR]: String(count) });
const shardOf = (env: Environment) => {
  const s = shardFromEnv(env);
  return `${s.index}/${s.count}`;
};

describe('the shard from a Slurm job array', () => {
  it('task ID of ids MIN..MAX is shard ID - MIN + 1 of MAX - MIN + 1, for arrays counting from 0 or 1', () => {
    expect([1, 2, 3, 4].map((id) => shardOf(slurm(id, 1, 4)))).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect([0, 1, 2, 3].map((id) => shardOf(slurm(id, 0, 3)))).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(shardOf(slurm(12, 10, 13))).toBe('3/4');
    expect(shardFromEnv(slurm(3, 1, 4))).toEqual({ index: 3, count: 4, scheduler: 'slurm', from: 'SLURM_ARRAY_TASK_ID=3 of 1..4' });
    // the count from MIN/MAX alone, or from COUNT alone
    expect(shardOf({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '5' })).toBe('2/5');
    expect(shardOf({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '5' })).toBe('3/5');
    // a pinned count that agrees
    expect(shardOf({ ...slurm(2, 1, 4), [SHARD_COUNT_VAR]: '4' })).toBe('2/4');
  });

  it('the tasks of an array partition the grid: each point in exactly one task', () => {
    const grid = expandGrid(parseSweepSpec({ class: ['random-features', 'bumps'], n: 20, d: 4, k: [4, 8, 16], seeds: 3 }));
    for (const [min, max] of [[1, 4], [0, 6], [5, 5]]) {
      const shards = Array.from({ length: max - min + 1 }, (_, i) => shardFromEnv(slurm(min + i, min, max)));
      expect(grid.every((g) => shards.filter((s) => inShard(g.index, s)).length === 1)).toBe(true);
    }
  });

  it.each([
    ['an id outside the array', slurm(5, 1, 4), 'SLURM_ARRAY_TASK_ID', /SLURM_ARRAY_TASK_ID must be an integer in \[1, 4\], the array's task ids \(got "5"\)/],
    ['an id below MIN', slurm(0, 1, 4), 'SLURM_ARRAY_TASK_ID', /in \[1, 4\].*\(got "0"\)/],
    ['a count that disagrees with MIN..MAX (a list such as --array=1,3,7)', { ...slurm(3, 1, 7), SLURM_ARRAY_TASK_COUNT: '3' }, 'SLURM_ARRAY_TASK_COUNT', /must be 7, the number of ids in SLURM_ARRAY_TASK_MIN\.\.MAX = 1\.\.7.*not a list such as --array=1,3,7\) \(got "3"\)/],
    ['a step other than 1 (--array=0-20:2)', { ...slurm(4, 0, 20), SLURM_ARRAY_TASK_STEP: '2' }, 'SLURM_ARRAY_TASK_STEP', /must be 1: an array of consecutive task ids/],
    ['no MIN', { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' }, 'SLURM_ARRAY_TASK_MIN', /SLURM_ARRAY_TASK_MIN must be set with SLURM_ARRAY_TASK_ID .*\(got unset\)/],
    ['neither COUNT nor MAX', { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1' }, 'SLURM_ARRAY_TASK_COUNT', /must be set, or SLURM_ARRAY_TASK_MAX.*\(got neither set\)/],
    ['MAX below MIN', { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '3', SLURM_ARRAY_TASK_MAX: '2' }, 'SLURM_ARRAY_TASK_MAX', /must be an integer in \[3, /],
    ['an id that is not an integer', { ...slurm(1, 1, 4), SLURM_ARRAY_TASK_ID: '1.5' }, 'SLURM_ARRAY_TASK_ID', /must be an integer in \[0, 4000000000\] \(got "1\.5"\)/],
    ['an empty id', { ...slurm(1, 1, 4), SLURM_ARRAY_TASK_ID: '' }, 'SLURM_ARRAY_TASK_ID', /\(got ""\)/],
    ['a pinned count that is not the array\'s (the array was resized)', { ...slurm(2, 1, 4), [SHARD_COUNT_VAR]: '5' }, SHARD_COUNT_VAR, /ROBUSTLAW_SHARD_COUNT must be 4, the number of tasks of the Slurm array 1\.\.4, when set \(got "5"\)/],
  ])('refuses %s, naming the variable', (_what, env, variable, message) => {
    const e = thrown(() => shardFromEnv(env));
    expect(e.parameter).toBe(variable);
    expect(e.message).toMatch(/^--shard env: /);
    expect(e.message).toMatch(message);
  });
});

describe('the shard from a Kubernetes Indexed Job', () => {
  it('JOB_COMPLETION_INDEX = 0..N-1 is shard 1..N of ROBUSTLAW_SHARD_COUNT = N', () => {
    expect([0, 1, 2].map((k) => shardOf(kube(k, 3)))).toEqual(['1/3', '2/3', '3/3']);
    expect(shardFromEnv(kube(0, 1))).toEqual({ index: 1, count: 1, scheduler: 'kubernetes', from: 'JOB_COMPLETION_INDEX=0 of ROBUSTLAW_SHARD_COUNT=1' });
  });

  it.each([
    ['an index outside the count (completions larger than the count)', kube(3, 3), 'JOB_COMPLETION_INDEX', /JOB_COMPLETION_INDEX must be an integer in \[0, 2\] \(ROBUSTLAW_SHARD_COUNT = 3: is the Job's spec\.completions larger than ROBUSTLAW_SHARD_COUNT\?\) \(got "3"\)/],
    ['no count', { JOB_COMPLETION_INDEX: '0' }, SHARD_COUNT_VAR, /ROBUSTLAW_SHARD_COUNT must be set with JOB_COMPLETION_INDEX, to the Job's spec\.completions .*\(got unset\)/],
    ['a count of 0', kube(0, 0), SHARD_COUNT_VAR, /must be an integer in \[1, 100000\] \(got "0"\)/],
    ['a count that is not a number', { JOB_COMPLETION_INDEX: '0', [SHARD_COUNT_VAR]: 'four' }, SHARD_COUNT_VAR, /\(got "four"\)/],
    ['a negative index', { JOB_COMPLETION_INDEX: '-1', [SHARD_COUNT_VAR]: '4' }, 'JOB_COMPLETION_INDEX', /\(got "-1"\)/],
  ])('refuses %s, naming the variable', (_what, env, variable, message) => {
    const e = thrown(() => shardFromEnv(env));
    expect(e.parameter).toBe(variable);
    expect(e.message).toMatch(message);
  });
});

describe('outside a scheduler, or inside two', () => {
  it('neither variable set, or both, is refused as --shard', () => {
    expect(thrown(() => shardFromEnv({})).message).toBe('shard must be env only in a task of a Slurm job array (SLURM_ARRAY_TASK_ID set) or of a Kubernetes Indexed Job (JOB_COMPLETION_INDEX set) (got "env" with neither variable set)');
    expect(thrown(() => shardFromEnv({ ...slurm(1, 1, 2), ...kube(0, 2) })).message).toMatch(/both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set/);
    // the variables of a Slurm job that is not an array do not count
    expect(thrown(() => shardFromEnv({ SLURM_JOB_ID: '5' })).parameter).toBe('shard');
  });
});

describe('one shard count per run of an array', () => {
  const spec = parseSweepSpec({ class: 'linear', n: 12, d: 2, seeds: 4 });
  const run = join(root, 'run');
  runSweep({ spec, outDir: join(run, 'shard-1'), shard: { index: 1, count: 2 } });

  it('a task with the count its siblings used passes; one with another count is refused, naming the sibling', () => {
    expect(() => checkShardCount(join(run, 'shard-2'), spec, { index: 2, count: 2 }, 'SLURM_ARRAY_TASK_ID=2 of 1..2')).not.toThrow();
    const e = thrown(() => checkShardCount(join(run, 'shard-3'), spec, { index: 3, count: 3 }, 'SLURM_ARRAY_TASK_ID=3 of 1..3'));
    expect(e.parameter).toBe('shard');
    expect(e.describe('--shard')).toMatch(/^--shard must be the shard count the run's other tasks used \(2\) \(got 3\/3 from SLURM_ARRAY_TASK_ID=3 of 1\.\.3, but ".*run\/shard-1" holds shard 1\/2 of this spec: the array's size changed between tasks of one run/);
  });

  it('a requeued task meets the count in its own directory first', () => {
    expect(thrown(() => checkShardCount(join(run, 'shard-1'), spec, { index: 1, count: 3 }, 'x')).shown).toMatch(/but its own directory ".*shard-1" holds shard 1\/2/);
  });

  it('other specs, merges, whole runs and directories without a manifest do not count', () => {
    const other = join(root, 'mixed');
    runSweep({ spec: parseSweepSpec({ class: 'linear', n: 14, d: 2, seeds: 2 }), outDir: join(other, 'a'), shard: { index: 1, count: 5 } });
    runSweep({ spec, outDir: join(other, 'whole') });
    expect(() => checkShardCount(join(other, 'b'), spec, { index: 1, count: 3 }, 'x')).not.toThrow();
    expect(() => checkShardCount(join(root, 'nowhere', 'deeper', 'shard-1'), spec, { index: 1, count: 3 }, 'x')).not.toThrow();
  });
});

describe('robustlaw sweep --shard env', () => {
  const flags = ['--class', 'linear', '--n', '12', '--d', '2', '--seeds', '3', '--no-report', '--backend', 'cpu'];

  it('runs the shard its scheduler names and says where it came from; the manifest records i/N', () => {
    const out = join(root, 'cli', 'shard-0');
    const r = cli(['sweep', ...flags, '--shard', 'env', '--out', out], 60_000, kube(0, 2));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/robustlaw sweep: 2 instances \(shard 1\/2, from JOB_COMPLETION_INDEX=0 of ROBUSTLAW_SHARD_COUNT=2\) -> /);
    expect(readManifest(out)!.shard).toEqual({ index: 1, count: 2 });
    expect(readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('bad or missing variables, and a count changed between tasks, are one line and exit 2, before any work', () => {
    const bad = cli(['sweep', ...flags, '--shard', 'env', '--out', join(root, 'cli', 'shard-9')], 60_000, kube(2, 2));
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/^robustlaw: --shard env: JOB_COMPLETION_INDEX must be an integer in \[0, 1\] .*\(got "2"\)\n$/);
    const resized = cli(['sweep', ...flags, '--shard', 'env', '--out', join(root, 'cli', 'shard-1')], 60_000, kube(1, 3));
    expect(resized.code).toBe(2);
    expect(resized.stderr).toMatch(/^robustlaw: --shard must be the shard count the run's other tasks used \(2\) \(got 2\/3 from JOB_COMPLETION_INDEX=1 of ROBUSTLAW_SHARD_COUNT=3, but .*shard-0" holds shard 1\/2 of this spec/);
  });
});
