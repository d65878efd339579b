/**
 * The one runner behind `robustlaw verify`, `sweep` and `search`: instance specs in, robustlaw-record/1
 * records out, at a fixed estimator effort. No wall-clock budget is ever passed to the estimator, so a
 * record depends only on its spec (and the f64 kernel, which the manifest names): a resumed, sharded or
 * repeated run gives the same records on any machine, timings aside.
 * @module
 */

import type { SearchBackend } from '../backends/search-backend.js';
import { InputError, show } from '../core/input-error.js';
import { evaluateInstance, type InstanceReport } from '../law/evaluate.js';
import { wasmKernelActive } from '../linalg/wasm-abt.js';
import type { GridPoint } from './grid.js';
import { MANIFEST_FORMAT, type SweepManifest } from './manifest.js';
import { toRecord, type SweepRecord } from '../law/record.js';
import { appendRecord, readResults, repairResults } from './results-file.js';
import type { NoteSink } from '../core/output-lock.js';
import { openRunDir, type RunDir } from './run-dir.js';
import { certificateFileJson } from './certificate-file.js';
import { mkdirSync } from 'node:fs';

/** The files a run directory may hold (`replace` removes only those its `sweep.json` lists: see run-dir.ts). */
export const RUN_FILES = ['sweep.json', 'results.jsonl', 'summary.json', 'report.md', 'report.html', 'plots', 'certificates'] as const;

/**
 * Fixed estimator effort per instance: gradient-ascent starts and steps, ascent rounds, and whether the
 * O(n^2 d) data floor is computed (absent: only where the class has no exact Lipschitz value). There is
 * deliberately no time limit: effort, not the clock, decides when the estimator stops.
 */
export interface EstimatorEffort {
  readonly starts: number;
  readonly steps: number;
  readonly rounds: number;
  readonly dataFloor?: boolean;
}

/** The f64 matmul kernel this process computes with, as manifests name it. */
export function f64KernelName(): string {
  return wasmKernelActive() ? 'wasm-simd-f64' : 'js-f64';
}

/**
 * Evaluates one point (a grid point or a verify draw) at a fixed effort: its report and its record. The
 * search runs on `backend` (default: f64 on the cpu); certificates are f64 either way.
 */
export function runInstance(point: GridPoint, effort: EstimatorEffort, backend?: SearchBackend, certificates = false): { readonly report: InstanceReport; readonly record: SweepRecord } {
  const report = evaluateInstance(point.instance, { starts: effort.starts, steps: effort.steps, rounds: effort.rounds, dataFloor: effort.dataFloor, backend: backend?.kernels, certificates });
  return { report, record: toRecord(point.index, point.id, report, point.block) };
}

/** What a run directory's manifest says about the experiment (the runner adds the format and the f64 kernel). */
export type Experiment = Pick<SweepManifest, 'kind' | 'spec' | 'gridSize' | 'shard'>;

/** Options of {@link runInstances}. */
export interface RunInstancesOptions {
  /** The instances to compute, each with its position (`index`) and stable key (`id`) in the experiment. */
  readonly points: readonly GridPoint[];
  readonly effort: EstimatorEffort;
  /** Where the estimators' search runs (default: f64 on the cpu); the manifest names it. */
  readonly backend?: SearchBackend;
  /** Where to write `sweep.json` and `results.jsonl` (resumable); absent: compute in memory only. */
  readonly outDir?: string;
  /** The experiment `outDir` holds; required with `outDir`. */
  readonly experiment?: Experiment;
  /** When `outDir` holds another experiment or shard, remove the files its manifest lists and start over instead of refusing. */
  readonly replace?: boolean;
  /** Where the note of a stale lock taken over goes (default stderr). */
  readonly note?: NoteSink;
  /** Called once before the first instance: how many points, how many are already done, torn bytes dropped. */
  readonly onStart?: (total: number, done: number, repairedBytes: number) => void;
  /** Called after each instance computed in this run. */
  readonly onRecord?: (r: SweepRecord) => void;
  /**
   * With `outDir`: write each computed record's certificate (robustlaw-certificate/1) to
   * `certificates/<index>.json` before its record, which names it (`certificate`), for `robustlaw check`.
   */
  readonly certificates?: boolean;
}

/** What {@link runInstances} did. */
export interface RunOutcome {
  /** The manifest of `outDir` (null without one). */
  readonly manifest: SweepManifest | null;
  /** One record per point, in the points' order. */
  readonly records: readonly SweepRecord[];
  readonly resumed: number;
  readonly computed: number;
  /** Bytes of a torn final line dropped on resume. */
  readonly repairedBytes: number;
}

/** Opens `dir` for `manifest` through the one writer ({@link openRunDir}): refuses (or with `replace` clears) a
 * directory of another experiment or shard, or holding files its manifest does not list, and refuses to
 * continue a run computed on another search backend or f64 kernel. */
function openRun(dir: string, manifest: SweepManifest, replace: boolean, note?: NoteSink): RunDir {
  const search = (m: SweepManifest) => (m.search === undefined ? 'cpu/f64' : `${m.search.backend}/${m.search.precision}`);
  // computed otherwise: another search backend or f64 kernel gives other numbers, so it is not resumable
  const sameComputation = (m: SweepManifest) => search(m) === search(manifest) && (m.f64Kernel === undefined || m.f64Kernel === manifest.f64Kernel);
  return openRunDir(dir, {
    manifest,
    replace,
    note,
    continues: (old) => {
      if (sameComputation(old)) return false;
      if (replace) return true;
      if (search(old) !== search(manifest)) {
        throw new InputError('backend', `the search backend the run in ${show(dir)} was computed with (${search(old)}), or a new directory`, manifest.search?.backend ?? 'cpu', { context: 'runInstances' });
      }
      throw new InputError('outDir', 'a new directory or a run computed with this f64 kernel (kernels agree to rounding, not bit for bit)', dir, { context: 'runInstances', shown: `${show(dir)}, computed with the ${old.f64Kernel} f64 kernel and this run would use ${manifest.f64Kernel}` });
    },
  });
}

/**
 * Runs (or resumes) a list of instances at a fixed effort. With `outDir`: writes `sweep.json` (refusing a
 * directory that holds another experiment or shard, or one computed on another f64 kernel), appends one
 * fsync'd line per finished instance to `results.jsonl`, skipping the instances already there (a torn last
 * line from a kill is dropped first), and finally rewrites `results.jsonl` atomically in the points' order.
 * Every argument is checked before any file is touched.
 */
export function runInstances(options: RunInstancesOptions): RunOutcome {
  const steps = instanceSteps(options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * {@link runInstances}, giving the event loop a turn after each instance: what the CLI runs, so that SIGINT
 * (Ctrl-C) and SIGTERM stop a long run between two instances (releasing its lock; every finished record is
 * already on disk) instead of waiting for the whole grid. A synchronous loop never lets Node deliver a signal
 * to its handlers: measured, a sweep sent SIGINT 3 s into a 10-s run finished all its instances first.
 */
export async function runInstancesYielding(options: RunInstancesOptions): Promise<RunOutcome> {
  const steps = instanceSteps(options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The body of {@link runInstances}: yields after each computed instance, returns the outcome. */
function* instanceSteps(options: RunInstancesOptions): Generator<void, RunOutcome> {
  const { points, effort } = options;
  const ids = new Set(points.map((g) => g.id));
  if (ids.size !== points.length) throw new InputError('points', 'a list of points with distinct ids', points, { context: 'runInstances', shown: `${points.length} points with ${ids.size} distinct ids` });
  const dir = options.outDir;
  let manifest: SweepManifest | null = null;
  let resultsPath: string | null = null;
  const done = new Map<string, SweepRecord>();
  let repairedBytes = 0;
  let run: RunDir | null = null;
  if (dir !== undefined) {
    if (!options.experiment) throw new InputError('experiment', 'given with outDir (the manifest of the run directory)', options.experiment, { context: 'runInstances' });
    manifest = { format: MANIFEST_FORMAT, ...options.experiment, f64Kernel: f64KernelName(), search: { backend: options.backend?.name ?? 'cpu', precision: options.backend?.precision ?? 'f64' } };
    run = openRun(dir, manifest, options.replace ?? false, options.note);
  }
  try {
    if (run !== null) {
      const out = run;
      manifest = out.manifest;
      out.own('results.jsonl');
      resultsPath = out.path('results.jsonl');
      const path = resultsPath;
      const read = out.guard(() => readResults(path));
      out.guard(() => repairResults(path, read));
      repairedBytes = read.tornBytes;
      const wanted = new Map(points.map((g) => [g.id, g]));
      for (const r of read.records) {
        const g = wanted.get(r.id);
        if (!g || g.index !== r.index) throw new InputError('outDir', `a run of this ${manifest.kind}'s instances`, dir, { context: 'runInstances', shown: `${show(dir)}, whose results.jsonl holds record ${r.id} of another spec` });
        done.set(r.id, r);
      }
    }
    options.onStart?.(points.length, done.size, repairedBytes);
    let computed = 0;
    for (const g of points) {
      if (done.has(g.id)) continue;
      const computedNow = runInstance(g, effort, options.backend, options.certificates === true && run !== null);
      let record = computedNow.record;
      if (run !== null && resultsPath !== null) {
        const cert = computedNow.report.certificate;
        if (cert !== undefined) {
          // the certificate first: a record on disk never names a file that is not there
          const rel = `certificates/${String(g.index).padStart(5, '0')}.json`;
          const out = run;
          out.guard(() => mkdirSync(out.path('certificates'), { recursive: true }));
          out.writeFile(rel, certificateFileJson(g.id, cert));
          record = { ...record, certificate: rel };
        }
        const path = resultsPath;
        const line = record;
        run.guard(() => appendRecord(path, line));
      }
      done.set(g.id, record);
      computed++;
      options.onRecord?.(record);
      yield;
    }
    const records = points.map((g) => done.get(g.id)!);
    if (run !== null) {
      run.writeFile('results.jsonl', records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      manifest = run.manifest;
    }
    return { manifest, records, resumed: points.length - computed, computed, repairedBytes };
  } finally {
    run?.close();
  }
}
