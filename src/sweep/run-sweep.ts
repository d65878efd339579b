import type { SearchBackend } from '../backends/search-backend.js';
import { expandGrid, type GridPoint } from './grid.js';
import type { SweepManifest } from './manifest.js';
import type { NoteSink } from './run-dir.js';
import type { SweepRecord } from './record.js';
import { runInstances, type EstimatorEffort } from './runner.js';
import { inShard, WHOLE, type Shard } from './shard.js';
import type { SweepSpec } from './spec.js';

export { RUN_FILES } from './runner.js';

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  readonly spec: SweepSpec;
  readonly outDir: string;
  readonly shard?: Shard;
  /** When `outDir` holds another experiment or shard, remove the files its sweep.json lists (and sweep.json)
   * and start over instead of refusing. A directory holding files its sweep.json does not list is refused. */
  readonly replace?: boolean;
  /** Where the note of a stale lock taken over goes (default stderr). */
  readonly note?: NoteSink;
  /** Where the estimators' search runs (default: f64 on the cpu). */
  readonly backend?: SearchBackend;
  /** Called once before the first instance: the shard's size and how many are already done. */
  readonly onStart?: (total: number, done: number, repairedBytes: number) => void;
  /** Called after each instance computed in this run. */
  readonly onRecord?: (r: SweepRecord) => void;
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

/**
 * Runs (or resumes) a sweep, or one shard of it, into `outDir` through {@link runInstances}: the grid
 * points of the shard at the spec's effort, with `sweep.json` naming the spec, grid size and shard.
 */
export function runSweep(options: RunSweepOptions): SweepOutcome {
  const shard = options.shard ?? WHOLE;
  const grid = expandGrid(options.spec);
  const outcome = runInstances({
    points: grid.filter((g) => inShard(g.index, shard)),
    effort: sweepEvaluateOptions(options.spec),
    outDir: options.outDir,
    experiment: { kind: 'sweep', spec: options.spec, gridSize: grid.length, shard },
    replace: options.replace,
    note: options.note,
    backend: options.backend,
    onStart: options.onStart,
    onRecord: options.onRecord,
  });
  return { ...outcome, manifest: outcome.manifest! };
}
