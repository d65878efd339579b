import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, show } from '../core/input-error.js';
import { expandGrid } from './grid.js';
import { readManifest, sameExperiment, type SweepManifest } from './manifest.js';
import { withoutTiming, type SweepRecord } from '../law/record.js';
import { readResults } from './results-file.js';
import { openRunDir, type RunDirOptions } from './run-dir.js';
import type { Shard } from './shard.js';
import { canonicalJson, type SweepSpec } from './spec.js';

/** An input of a merge: its directory, the shard it ran, and how many records it holds. */
export interface MergeInput {
  readonly dir: string;
  readonly shard: Shard;
  /** Whether it is itself a merge (its shard is then 1/1). */
  readonly merged: boolean;
  readonly records: number;
}

/** What {@link mergeRuns} produces. */
export interface MergeOutcome {
  readonly manifest: SweepManifest;
  /** Every record found, in grid order, one per grid point. */
  readonly records: readonly SweepRecord[];
  /** Grid points no input directory had (empty unless `allowMissing`). */
  readonly missing: readonly string[];
  /** The input directories, in the order given. */
  readonly inputs: readonly MergeInput[];
  /** The records' certificate files (`--certificates`): each record's `certificate` path and the file it is copied from. */
  readonly certificates: readonly { readonly rel: string; readonly from: string }[];
}

/** Options of {@link mergeRuns}. */
export interface MergeOptions {
  /** Merge what is there, listing the grid points no input had in `missing`, instead of refusing (default false). */
  readonly allowMissing?: boolean;
}

const MAX_NAMED = 6;

/** `a, b, c and 3 more`: at most {@link MAX_NAMED} items named. */
function named(items: readonly string[]): string {
  return items.length <= MAX_NAMED ? items.join(', ') : `${items.slice(0, MAX_NAMED).join(', ')} and ${items.length - MAX_NAMED} more`;
}

/**
 * Refuses a merge with missing grid points, naming what is missing: with shard inputs of one count N, the
 * shards i/N that no input ran and the shard directories that are unfinished (a task not run, or killed
 * and not resumed); otherwise the number of grid points missing and the first of them. A finished merge
 * passes.
 */
export function requireComplete(outcome: MergeOutcome): void {
  if (outcome.missing.length === 0) return;
  const context = 'mergeRuns';
  const dirs = outcome.inputs.map((i) => i.dir);
  const rule = 'the outputs of every shard, each finished';
  const hint = 'rerun those tasks (a sweep resumes from its records), or merge what is there with --allow-missing';
  const shards = outcome.inputs.filter((i) => !i.merged && i.shard.count > 1);
  const count = shards[0]?.shard.count;
  if (count === undefined || outcome.manifest.kind !== 'sweep') {
    throw new InputError('dirs', rule, dirs, { context, shown: `${outcome.missing.length} of ${outcome.manifest.gridSize} grid points missing, e.g. ${outcome.missing[0]}; ${hint}` });
  }
  const indexOf = new Map(expandGrid(outcome.manifest.spec as SweepSpec).map((g) => [g.id, g.index]));
  const perShard = new Map<number, number>();
  for (const id of outcome.missing) {
    const shard = (indexOf.get(id)! % count) + 1;
    perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
  }
  const absent: string[] = [];
  const unfinished: string[] = [];
  for (const [shard, n] of [...perShard].sort((a, b) => a[0] - b[0])) {
    const ran = shards.filter((i) => i.shard.index === shard);
    if (ran.length === 0) absent.push(`${shard}/${count}`);
    else unfinished.push(`${shard}/${count} (${ran.map((i) => i.dir).join(', ')}: ${n} of ${n + ran[0].records} points missing)`);
  }
  const parts = [absent.length > 0 ? `shard${absent.length > 1 ? 's' : ''} ${named(absent)} not among the inputs` : '', unfinished.length > 0 ? `shard${unfinished.length > 1 ? 's' : ''} ${named(unfinished)} unfinished` : ''].filter((p) => p !== '');
  throw new InputError('dirs', rule, dirs, { context, shown: `${parts.join('; ')}; ${hint}` });
}

/**
 * Joins the outputs of shard runs (or of any runs of the same spec): every directory must hold a
 * `sweep.json` with the same kind and spec, or the merge is refused naming the first that differs; shards
 * must share one count N (a run split two ways is not joined with shards of another split). A grid point
 * present in several inputs must carry the same record (timings aside); it is kept once. The result is in
 * grid order, so a merge of shards 1/N..N/N equals the unsharded run's records. A grid point that no input
 * has is refused ({@link requireComplete}: the missing or unfinished shards are named) unless
 * `allowMissing`.
 */
export function mergeRuns(dirs: readonly string[], options: MergeOptions = {}): MergeOutcome {
  if (dirs.length === 0) throw new InputError('dirs', 'a list of at least one directory', dirs, { context: 'mergeRuns', shown: 'none' });
  const manifests = dirs.map((d) => {
    const m = readManifest(d);
    if (!m) throw new InputError('dirs', 'sweep output directories', dirs, { context: 'mergeRuns', shown: `${show(d)}, which has no sweep.json` });
    return m;
  });
  const first = manifests[0];
  manifests.forEach((m, i) => {
    if (!sameExperiment(first, m)) throw new InputError('dirs', 'runs of one experiment', dirs, { context: 'mergeRuns', shown: `${dirs[i]} ran a different ${m.kind === first.kind ? 'spec' : 'kind of run'} than ${dirs[0]}; refusing to merge (compare their sweep.json)` });
  });
  const sharded = manifests.map((m, i) => ({ m, dir: dirs[i] })).filter(({ m }) => m.mergedFrom === undefined && m.shard.count > 1);
  const other = sharded.find(({ m }) => m.shard.count !== sharded[0].m.shard.count);
  if (other) throw new InputError('dirs', 'shards of one split of the grid (one count N)', dirs, { context: 'mergeRuns', shown: `${other.dir} ran shard ${other.m.shard.index}/${other.m.shard.count} and ${sharded[0].dir} shard ${sharded[0].m.shard.index}/${sharded[0].m.shard.count}: the shard count changed between tasks of one run` });
  const counts = new Map<string, number>();
  const byId = new Map<string, SweepRecord>();
  const dirOf = new Map<string, string>();
  dirs.forEach((d) => {
    const path = join(d, 'results.jsonl');
    const read = readResults(path);
    counts.set(d, read.records.length);
    for (const r of read.records) {
      const prev = byId.get(r.id);
      if (prev && canonicalJson(withoutTiming(prev)) !== canonicalJson(withoutTiming(r))) {
        const kernels = [...new Set(manifests.map((m) => m.f64Kernel ?? 'unknown'))];
        throw new InputError('dirs', 'runs that agree on every grid point they share', dirs, { context: 'mergeRuns', shown: `grid point ${r.id} with different results in two inputs, last seen in ${path}; ${kernels.length > 1 ? `the shards ran on different f64 kernels (${kernels.join(', ')}), which agree to rounding only` : 'the runs are not reproducible on this setup'}` });
      }
      if (!prev) {
        byId.set(r.id, r);
        dirOf.set(r.id, d);
      }
    }
  });
  let order: string[];
  if (first.kind === 'sweep') {
    const grid = expandGrid(first.spec as SweepSpec);
    const ids = new Set(grid.map((g) => g.id));
    for (const id of byId.keys()) if (!ids.has(id)) throw new InputError('dirs', "runs of their spec's grid", dirs, { context: 'mergeRuns', shown: `record ${id}, which is not in the spec's grid` });
    order = grid.map((g) => g.id);
  } else {
    order = [...byId.values()].sort((a, b) => a.index - b.index).map((r) => r.id);
  }
  const records = order.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
  const missing = order.filter((id) => !byId.has(id));
  const manifest: SweepManifest = { format: first.format, kind: first.kind, spec: first.spec, gridSize: first.gridSize, shard: { index: 1, count: 1 }, f64Kernel: [...new Set(manifests.map((m) => m.f64Kernel ?? 'unknown'))].join('+'), mergedFrom: manifests.map((m, i) => `${dirs[i]} (shard ${m.shard.index}/${m.shard.count})`) };
  const inputs = manifests.map((m, i): MergeInput => ({ dir: dirs[i], shard: m.shard, merged: m.mergedFrom !== undefined, records: counts.get(dirs[i]) ?? 0 }));
  const certificates = records.filter((r) => r.certificate !== undefined).map((r) => ({ rel: r.certificate!, from: join(dirOf.get(r.id)!, r.certificate!) }));
  const outcome: MergeOutcome = { manifest, records, missing, inputs, certificates };
  if (!options.allowMissing) requireComplete(outcome);
  return outcome;
}

/**
 * Writes a merge into `outDir` through the one writer ({@link openRunDir}): `outDir` must be absent, empty or
 * hold a merge of the same experiment (never a shard or a run, nor files its manifest does not list), and is
 * locked while `sweep.json`, the records' certificate files and `results.jsonl` are written. Returns the path of
 * `results.jsonl`.
 */
export function writeMerge(outDir: string, merged: MergeOutcome, options: RunDirOptions = {}): string {
  // the certificates read first: a missing one is refused before anything is written
  const certs = merged.certificates.map(({ rel, from }) => {
    if (!/^certificates\/\d+\.json$/.test(rel)) throw new InputError('dirs', 'records whose certificate is a file certificates/<index>.json', rel, { context: 'writeMerge' });
    try {
      return { rel, text: readFileSync(from, 'utf8') };
    } catch {
      throw new InputError('dirs', 'runs whose records\' certificate files are there', from, { context: 'writeMerge', shown: `${from} (named by a record) cannot be read` });
    }
  });
  const run = openRunDir(outDir, { ...options, manifest: merged.manifest, merged: true, continues: () => true });
  try {
    if (certs.length > 0) run.guard(() => mkdirSync(run.path('certificates'), { recursive: true }));
    for (const c of certs) run.writeFile(c.rel, c.text);
    return run.writeFile('results.jsonl', merged.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  } finally {
    run.close();
  }
}
