/**
 * `--shard env`: the shard of a task of a job array, read from the environment its scheduler sets.
 *
 * - **Slurm** job arrays (`sbatch --array=A-B`): task `SLURM_ARRAY_TASK_ID` of the ids
 *   `SLURM_ARRAY_TASK_MIN`..`SLURM_ARRAY_TASK_MAX` (count `SLURM_ARRAY_TASK_COUNT`) is shard
 *   `ID - MIN + 1` of `COUNT`, whether the array counts from 0 or from 1. The ids must be consecutive (step
 *   1, no list such as `--array=1,3,7`): sbatch sets all four variables, and any two that disagree are refused.
 * - **Kubernetes** Indexed Jobs (`completionMode: Indexed`): `JOB_COMPLETION_INDEX` (0-based) is shard
 *   `INDEX + 1`, of a count the manifest passes in {@link SHARD_COUNT_VAR} (Kubernetes gives a pod its
 *   index but not the Job's `completions`).
 *
 * `ROBUSTLAW_SHARD_COUNT`, when set in a Slurm task too, must equal the array's count: a script can pin the
 * size it was written for. Every variable is checked here, once; a bad one is an {@link InputError} naming it.
 * @module
 */
import { InputError } from '../core/input-error.js';
import { MAX_SHARD_COUNT, type Shard } from './shard.js';

/** The variable that carries the shard count where the scheduler does not (a Kubernetes Indexed Job). */
export const SHARD_COUNT_VAR = 'ROBUSTLAW_SHARD_COUNT';

/** The environment read (process.env by default). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A shard taken from a scheduler's environment. */
export interface EnvShard extends Shard {
  readonly scheduler: 'slurm' | 'kubernetes';
  /** The variables it came from, for the run's first line, e.g. `SLURM_ARRAY_TASK_ID=3 of 1..4`. */
  readonly from: string;
}

/** Where the variables are checked: the prefix of every error. */
const CONTEXT = '--shard env';

/** The variable `name` as an integer in [min, max]; absent: undefined. */
function intVar(env: Environment, name: string, min: number, max: number, why = ''): number | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const v = /^\s*\d{1,9}\s*$/.test(raw) ? Number(raw) : NaN;
  if (!(v >= min && v <= max)) throw new InputError(name, `an integer in [${min}, ${max}]${why}`, raw, { context: CONTEXT });
  return v;
}

/** `ROBUSTLAW_SHARD_COUNT` when set: it must equal the count the scheduler gives (when it gives one). */
function pinnedCount(env: Environment, count: number, source: string): void {
  const pinned = intVar(env, SHARD_COUNT_VAR, 1, MAX_SHARD_COUNT);
  if (pinned !== undefined && pinned !== count) throw new InputError(SHARD_COUNT_VAR, `${count}, the number of tasks of ${source}, when set`, env[SHARD_COUNT_VAR], { context: CONTEXT });
}

function fromSlurm(env: Environment): EnvShard {
  const id = intVar(env, 'SLURM_ARRAY_TASK_ID', 0, 4_000_000_000)!;
  const step = intVar(env, 'SLURM_ARRAY_TASK_STEP', 1, 4_000_000_000);
  if (step !== undefined && step !== 1) throw new InputError('SLURM_ARRAY_TASK_STEP', '1: an array of consecutive task ids such as --array=1-N (not --array=A-B:S)', env.SLURM_ARRAY_TASK_STEP, { context: CONTEXT });
  const min = intVar(env, 'SLURM_ARRAY_TASK_MIN', 0, 4_000_000_000);
  if (min === undefined) throw new InputError('SLURM_ARRAY_TASK_MIN', 'set with SLURM_ARRAY_TASK_ID (sbatch sets it for every array: the shard is ID - MIN + 1)', undefined, { context: CONTEXT, shown: 'unset' });
  const max = intVar(env, 'SLURM_ARRAY_TASK_MAX', min, min + MAX_SHARD_COUNT - 1, ` (SLURM_ARRAY_TASK_MIN = ${min}, at most ${MAX_SHARD_COUNT} tasks)`);
  const count = intVar(env, 'SLURM_ARRAY_TASK_COUNT', 1, MAX_SHARD_COUNT);
  let n: number;
  if (max !== undefined) {
    n = max - min + 1;
    if (count !== undefined && count !== n) throw new InputError('SLURM_ARRAY_TASK_COUNT', `${n}, the number of ids in SLURM_ARRAY_TASK_MIN..MAX = ${min}..${max}: an array of consecutive task ids such as --array=1-N (not a list such as --array=1,3,7)`, env.SLURM_ARRAY_TASK_COUNT, { context: CONTEXT });
  } else if (count !== undefined) {
    n = count;
  } else {
    throw new InputError('SLURM_ARRAY_TASK_COUNT', 'set, or SLURM_ARRAY_TASK_MAX, with SLURM_ARRAY_TASK_ID (sbatch sets both for every array)', undefined, { context: CONTEXT, shown: 'neither set' });
  }
  if (!(id >= min && id <= min + n - 1)) throw new InputError('SLURM_ARRAY_TASK_ID', `an integer in [${min}, ${min + n - 1}], the array's task ids`, env.SLURM_ARRAY_TASK_ID, { context: CONTEXT });
  pinnedCount(env, n, `the Slurm array ${min}..${min + n - 1}`);
  return { index: id - min + 1, count: n, scheduler: 'slurm', from: `SLURM_ARRAY_TASK_ID=${id} of ${min}..${min + n - 1}` };
}

function fromKubernetes(env: Environment): EnvShard {
  const count = intVar(env, SHARD_COUNT_VAR, 1, MAX_SHARD_COUNT);
  if (count === undefined) throw new InputError(SHARD_COUNT_VAR, `set with JOB_COMPLETION_INDEX, to the Job's spec.completions (Kubernetes does not tell a pod the count: set it in the container's env)`, undefined, { context: CONTEXT, shown: 'unset' });
  const index = intVar(env, 'JOB_COMPLETION_INDEX', 0, count - 1, ` (${SHARD_COUNT_VAR} = ${count}: is the Job's spec.completions larger than ${SHARD_COUNT_VAR}?)`)!;
  return { index: index + 1, count, scheduler: 'kubernetes', from: `JOB_COMPLETION_INDEX=${index} of ${SHARD_COUNT_VAR}=${count}` };
}

/**
 * The shard of this task from its scheduler's environment (see the module's description): Slurm's
 * `SLURM_ARRAY_TASK_*` variables or Kubernetes' `JOB_COMPLETION_INDEX` with {@link SHARD_COUNT_VAR}.
 * Throws an {@link InputError} naming the variable when one is missing, not an integer, or disagrees with
 * another (an index outside the count, a count that is not the array's), and when neither or both
 * schedulers' variables are set.
 */
export function shardFromEnv(env: Environment = process.env): EnvShard {
  const slurm = env.SLURM_ARRAY_TASK_ID !== undefined;
  const kube = env.JOB_COMPLETION_INDEX !== undefined;
  if (slurm && kube) throw new InputError('shard', 'env in a task of one scheduler: both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set', 'env', { shown: `"env" with SLURM_ARRAY_TASK_ID=${env.SLURM_ARRAY_TASK_ID} and JOB_COMPLETION_INDEX=${env.JOB_COMPLETION_INDEX}` });
  if (slurm) return fromSlurm(env);
  if (kube) return fromKubernetes(env);
  throw new InputError('shard', 'env only in a task of a Slurm job array (SLURM_ARRAY_TASK_ID set) or of a Kubernetes Indexed Job (JOB_COMPLETION_INDEX set)', 'env', { shown: '"env" with neither variable set' });
}
