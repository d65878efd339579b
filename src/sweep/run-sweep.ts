import { expandGrid, type GridPoint } from './grid.js';
import type { SweepManifest } from './manifest.js';
import type { SweepRecord } from '../law/record.js';
import { runInstances, runInstancesYielding, type EstimatorEffort, type RunInstancesOptions } from './runner.js';
import { inShard, WHOLE, type Shard } from './shard.js';
import type { SweepSpec } from './spec.js';

export { RUN_FILES } from './runner.js';

/**
 * Options of {@link runSweep}: the spec, the run directory and the shard; the rest (replace, lock note,
 * search backend, progress callbacks) are the runner's own options, passed through.
 */
export interface RunSweepOptions extends Pick<RunInstancesOptions, 'replace' | 'note' | 'backend' | 'onStart' | 'onRecord' | 'certificates'> {
  readonly spec: SweepSpec;
  readonly outDir: string;
  readonly shard?: Shard;
}

/** What {@link runSweep} did. */
export interface SweepOutcome {
  readonly manifest: SweepManifest;
  /** Every record of this shard, in grid order. */
  readonly records: readonly SweepRecord[];
  readonly resumed: number;
  readonly computed: number;
  /** Bytes of a torn final line dropped on resume. */
  readonly repairedBytes: number;
}

/**
 * Estimator effort of a sweep: the spec's start, step and round counts (default 8, 60, 1) and the data
 * floor (default on). Fixed, never a time limit, so that the records are a function of the spec alone (a
 * resumed or sharded run gives the same numbers as a straight one).
 */
export function sweepEvaluateOptions(spec: SweepSpec): EstimatorEffort {
  return { starts: spec.estimator.starts ?? 8, steps: spec.estimator.steps ?? 60, rounds: spec.estimator.rounds ?? 1, dataFloor: spec.estimator.dataFloor ?? true };
}

/** The grid points of a shard. */
export function shardPoints(spec: SweepSpec, shard: Shard): GridPoint[] {
  return expandGrid(spec).filter((g) => inShard(g.index, shard));
}

/** What {@link runSweep} hands the runner: the shard's points at the spec's effort, and the manifest's experiment. */
function sweepRun(options: RunSweepOptions): RunInstancesOptions {
  const shard = options.shard ?? WHOLE;
  const grid = expandGrid(options.spec);
  return {
    points: grid.filter((g) => inShard(g.index, shard)),
    effort: sweepEvaluateOptions(options.spec),
    outDir: options.outDir,
    experiment: { kind: 'sweep', spec: options.spec, gridSize: grid.length, shard },
    replace: options.replace,
    note: options.note,
    backend: options.backend,
    onStart: options.onStart,
    onRecord: options.onRecord,
    certificates: options.certificates,
  };
}

/**
 * Runs (or resumes) a sweep, or one shard of it, into `outDir` through {@link runInstances}: the grid
 * points of the shard at the spec's effort, with `sweep.json` naming the spec, grid size and shard.
 */
export function runSweep(options: RunSweepOptions): SweepOutcome {
  const outcome = runInstances(sweepRun(options));
  return { ...outcome, manifest: outcome.manifest! };
}

/** {@link runSweep} giving the event loop a turn after each instance (a signal stops it between two:
 * {@link runInstancesYielding}); what `robustlaw sweep` runs. */
export async function runSweepYielding(options: RunSweepOptions): Promise<SweepOutcome> {
  const outcome = await runInstancesYielding(sweepRun(options));
  return { ...outcome, manifest: outcome.manifest! };
}
