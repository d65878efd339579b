import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, show } from '../core/input-error.js';
import { evaluateInstance } from '../law/evaluate.js';
import { wasmKernelActive } from '../linalg/wasm-abt.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { expandGrid, type GridPoint } from './grid.js';
import { MANIFEST_FORMAT, readManifest, sameExperiment, type SweepManifest } from './manifest.js';
import { toRecord, type SweepRecord } from './record.js';
import { appendRecord, readResults, repairResults } from './results-file.js';
import { inShard, WHOLE, type Shard } from './shard.js';
import { canonicalJson, type SweepSpec } from './spec.js';

/** The files a run directory holds (what --replace removes; nothing else is touched). */
export const RUN_FILES = ['sweep.json', 'results.jsonl', 'summary.json', 'report.md', 'report.html', 'plots'] as const;

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  readonly spec: SweepSpec;
  readonly outDir: string;
  readonly shard?: Shard;
  /** When `outDir` holds another experiment or shard, remove its run files (sweep.json, results.jsonl,
   * summary.json, report.md, report.html, plots/) and start over instead of refusing. */
  readonly replace?: boolean;
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
 * Estimator budget of a sweep: fixed start and step counts and no wall-clock limit, so that the records
 * are a function of the spec alone (a resumed or sharded run gives the same numbers as a straight one).
 */
export function sweepEvaluateOptions(spec: SweepSpec) {
  return { starts: spec.estimator.starts ?? 8, steps: spec.estimator.steps ?? 60, rounds: spec.estimator.rounds ?? 1, dataFloor: spec.estimator.dataFloor ?? true, timeLimit: 1e9 };
}

/** The grid points of a shard. */
export function shardPoints(spec: SweepSpec, shard: Shard): GridPoint[] {
  return expandGrid(spec).filter((g) => inShard(g.index, shard));
}

/**
 * Runs (or resumes) a sweep into `outDir`: writes `sweep.json` (refusing a directory that holds another
 * experiment or shard), appends one fsync'd line per finished instance to `results.jsonl`, skipping the
 * instances already there (a torn last line from a kill is dropped first), and finally rewrites
 * `results.jsonl` atomically in grid order. Every argument is checked before any file is touched.
 */
export function runSweep(options: RunSweepOptions): SweepOutcome {
  const shard = options.shard ?? WHOLE;
  const grid = expandGrid(options.spec);
  const points = grid.filter((g) => inShard(g.index, shard));
  const manifest: SweepManifest = { format: MANIFEST_FORMAT, kind: 'sweep', spec: options.spec, gridSize: grid.length, shard, f64Kernel: wasmKernelActive() ? 'wasm-simd-f64' : 'js-f64' };
  const dir = options.outDir;
  let old = existsSync(dir) ? readManifest(dir) : null;
  if (old && options.replace && !(sameExperiment(old, manifest) && canonicalJson(old.shard) === canonicalJson(shard))) {
    for (const f of RUN_FILES) rmSync(join(dir, f), { recursive: true, force: true });
    old = null;
  }
  if (old && !(sameExperiment(old, manifest) && canonicalJson(old.shard) === canonicalJson(shard))) {
    throw new InputError('outDir', 'a new directory or a run of this same sweep and shard', dir, { context: 'runSweep', shown: `${show(dir)}, which holds a different ${old.kind}: its sweep.json differs${sameExperiment(old, manifest) ? ` in the shard: ${old.shard.index}/${old.shard.count}` : ' in the spec'}` });
  }
  if (old && old.f64Kernel !== undefined && old.f64Kernel !== manifest.f64Kernel) {
    throw new InputError('outDir', 'a new directory or a run computed with this f64 kernel (kernels agree to rounding, not bit for bit)', dir, { context: 'runSweep', shown: `${show(dir)}, computed with the ${old.f64Kernel} f64 kernel and this run would use ${manifest.f64Kernel}` });
  }
  if (!old && existsSync(dir) && readdirSync(dir).some((f) => f === 'results.jsonl')) {
    throw new InputError('outDir', 'a new directory or a run directory with its sweep.json', dir, { context: 'runSweep', shown: `${show(dir)}, which has a results.jsonl but no sweep.json` });
  }
  mkdirSync(dir, { recursive: true });
  if (!old) writeFileAtomic(join(dir, 'sweep.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const resultsPath = join(dir, 'results.jsonl');
  const read = readResults(resultsPath);
  repairResults(resultsPath, read);
  const wanted = new Map(points.map((g) => [g.id, g]));
  const done = new Map<string, SweepRecord>();
  for (const r of read.records) {
    const g = wanted.get(r.id);
    if (!g || g.index !== r.index) throw new InputError('outDir', "a run of this sweep's grid", dir, { context: 'runSweep', shown: `${show(dir)}, whose results.jsonl holds record ${r.id} of another spec` });
    done.set(r.id, r);
  }
  options.onStart?.(points.length, done.size, read.tornBytes);
  const evalOptions = sweepEvaluateOptions(options.spec);
  let computed = 0;
  for (const g of points) {
    if (done.has(g.id)) continue;
    const rec = toRecord(g.index, g.id, evaluateInstance(g.instance, evalOptions));
    appendRecord(resultsPath, rec);
    done.set(g.id, rec);
    computed++;
    options.onRecord?.(rec);
  }
  const records = points.map((g) => done.get(g.id)!);
  writeFileAtomic(resultsPath, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return { manifest, records, resumed: points.length - computed, computed, repairedBytes: read.tornBytes };
}
