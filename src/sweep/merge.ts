import { join } from 'node:path';
import { InputError, show } from '../core/input-error.js';
import { expandGrid } from './grid.js';
import { readManifest, sameExperiment, type SweepManifest } from './manifest.js';
import { withoutTiming, type SweepRecord } from './record.js';
import { readResults } from './results-file.js';
import { openRunDir, type RunDirOptions } from './run-dir.js';
import { canonicalJson, type SweepSpec } from './spec.js';

/** What {@link mergeRuns} produces. */
export interface MergeOutcome {
  readonly manifest: SweepManifest;
  /** Every record found, in grid order, one per grid point. */
  readonly records: readonly SweepRecord[];
  /** Grid points no input directory had. */
  readonly missing: readonly string[];
}

/**
 * Joins the outputs of shard runs (or of any runs of the same spec): every directory must hold a
 * `sweep.json` with the same kind and spec, or the merge is refused naming the first that differs. A grid
 * point present in several inputs must carry the same record (timings aside); it is kept once. The
 * result is in grid order, so a merge of shards 1/N..N/N equals the unsharded run's records.
 */
export function mergeRuns(dirs: readonly string[]): MergeOutcome {
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
  const byId = new Map<string, SweepRecord>();
  dirs.forEach((d) => {
    const path = join(d, 'results.jsonl');
    const read = readResults(path);
    for (const r of read.records) {
      const prev = byId.get(r.id);
      if (prev && canonicalJson(withoutTiming(prev)) !== canonicalJson(withoutTiming(r))) {
        const kernels = [...new Set(manifests.map((m) => m.f64Kernel ?? 'unknown'))];
        throw new InputError('dirs', 'runs that agree on every grid point they share', dirs, { context: 'mergeRuns', shown: `grid point ${r.id} with different results in two inputs, last seen in ${path}; ${kernels.length > 1 ? `the shards ran on different f64 kernels (${kernels.join(', ')}), which agree to rounding only` : 'the runs are not reproducible on this setup'}` });
      }
      if (!prev) byId.set(r.id, r);
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
  return { manifest, records, missing };
}

/**
 * Writes a merge into `outDir` through the one writer ({@link openRunDir}): `outDir` must be absent, empty or
 * hold a merge of the same experiment (never a shard or a run, nor files its manifest does not list), and is
 * locked while `sweep.json` and `results.jsonl` are written. Returns the path of `results.jsonl`.
 */
export function writeMerge(outDir: string, merged: MergeOutcome, options: RunDirOptions = {}): string {
  const run = openRunDir(outDir, { ...options, manifest: merged.manifest, merged: true, continues: () => true });
  try {
    return run.writeFile('results.jsonl', merged.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  } finally {
    run.close();
  }
}
