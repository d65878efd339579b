/**
 * One shard count per run of a job array: the tasks of a run write their shards into sibling directories
 * (`RUN/shard-1`, `RUN/shard-2`, ...), and each directory's `sweep.json` records its shard `i/N`. A task whose
 * N differs from what its own directory or a sibling recorded for the same spec belongs to another split of
 * the grid (the array was resubmitted with another size into the same run): its shard would overlap theirs
 * and leave holes, so it is refused before any work.
 * @module
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, show } from '../core/input-error.js';
import { readManifest, sameExperiment, MANIFEST_FORMAT, type SweepManifest } from './manifest.js';
import type { Shard } from './shard.js';
import type { SweepSpec } from './spec.js';

/** A sibling's manifest, or null when it has none or one this check cannot read (not this run's business). */
function manifestOrNull(dir: string): SweepManifest | null {
  try {
    return readManifest(dir);
  } catch {
    return null;
  }
}

/**
 * Refuses `shard` (of `spec`, about to run into `outDir`) when `outDir` or a sibling directory (another
 * directory under the same parent) holds a shard of the same sweep spec with another count. `from` says where
 * the shard came from (e.g. `SLURM_ARRAY_TASK_ID=3 of 1..4`) for the message. Reads only; directories
 * without a readable `sweep.json`, merges and whole runs are passed over.
 */
export function checkShardCount(outDir: string, spec: SweepSpec, shard: Shard, from: string): void {
  const parent = dirname(resolve(outDir));
  const own = resolve(outDir);
  let names: string[];
  try {
    names = readdirSync(parent, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return; // no parent yet: no other task has written
  }
  const want: SweepManifest = { format: MANIFEST_FORMAT, kind: 'sweep', spec, gridSize: 0, shard };
  // the task's own directory first: a requeued or resubmitted task meets its old count there
  const dirs = [own, ...names.map((n) => join(parent, n)).filter((d) => d !== own)];
  for (const dir of dirs) {
    const m = manifestOrNull(dir);
    if (m === null || m.kind !== 'sweep' || m.mergedFrom !== undefined || m.shard.count === 1 || m.shard.count === shard.count || !sameExperiment(m, want)) continue;
    const where = dir === own ? `its own directory ${show(outDir)}` : `${show(join(dirname(outDir), basename(dir)))}`;
    throw new InputError('shard', `the shard count the run's other tasks used (${m.shard.count})`, `${shard.index}/${shard.count}`, { context: 'checkShardCount', shown: `${shard.index}/${shard.count} from ${from}, but ${where} holds shard ${m.shard.index}/${m.shard.count} of this spec: the array's size changed between tasks of one run; resubmit it with ${m.shard.count} tasks, or write to a new run directory` });
  }
}
