import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, show } from '../core/input-error.js';
import type { Shard } from './shard.js';
import { canonicalJson, type SweepSpec } from './spec.js';

/** The format tag of `sweep.json`. */
export const MANIFEST_FORMAT = 'robustlaw-sweep/1';

/**
 * `sweep.json`: what a run directory holds. A resumed run and the shards being merged must carry the same
 * `kind` and `spec` (compared in canonical JSON); `shard` says which part of the grid this directory ran.
 */
export interface SweepManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly kind: 'sweep' | 'verify';
  /** The validated sweep spec, or for `verify` its profile, seed and count. */
  readonly spec: SweepSpec | { readonly profile: string; readonly seed: number; readonly count: number };
  readonly gridSize: number;
  readonly shard: Shard;
  /** The f64 matmul kernel that computed the records (`wasm-simd-f64` or `js-f64`): the two agree to
   * rounding, not bit for bit, so a merge of shards run on different kernels can be refused as mismatched. */
  readonly f64Kernel?: string;
  /** The search backend that computed the records and its precision (`auto` resolved): a resume on another
   * backend is refused, since the search's path, and so each lower bound, depends on it. */
  readonly search?: { readonly backend: string; readonly precision: 'f64' | 'f32' };
  /** Shards joined by `robustlaw merge` (absent for a run). */
  readonly mergedFrom?: readonly string[];
  /** The files this run created in its directory, relative paths (`results.jsonl`, `summary.json`,
   * `report.md`, `report.html`, `plots/*.svg`), `sweep.json` itself aside: the run owns these and no others,
   * and replacing the run deletes only these. Updated atomically before each file is created; absent in
   * manifests written before the list existed (then the standard file names are taken as the run's). */
  readonly files?: readonly string[];
}

/** Reads `DIR/sweep.json`, or null when the directory has none. Errors name the file, as the input `parameter`. */
export function readManifest(dir: string, parameter = 'dir'): SweepManifest | null {
  const path = join(dir, 'sweep.json');
  if (!existsSync(path)) return null;
  let m: SweepManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as SweepManifest;
  } catch (e) {
    throw new InputError(parameter, `a run directory with a ${MANIFEST_FORMAT} sweep.json`, dir, { context: 'readManifest', shown: `${show(dir)}, whose sweep.json is not valid JSON: ${(e as Error).message.split('\n')[0]}` });
  }
  if (m !== null && typeof m === 'object' && m.files !== undefined && !(Array.isArray(m.files) && m.files.every((f) => typeof f === 'string' && f !== '' && !f.startsWith('/') && !f.split('/').includes('..')))) {
    throw new InputError(parameter, `a run directory with a ${MANIFEST_FORMAT} sweep.json`, dir, { context: 'readManifest', shown: `${show(dir)}, whose sweep.json has a files list that is not relative paths inside it` });
  }
  if (m?.format !== MANIFEST_FORMAT) throw new InputError(parameter, `a run directory with a ${String(MANIFEST_FORMAT)} sweep.json`, dir, { context: 'readManifest', shown: `${show(dir)}, whose sweep.json has format ${JSON.stringify(m?.format)}` });
  return m;
}

/** Whether two manifests describe the same experiment (kind and spec), whatever their shards. */
export function sameExperiment(a: SweepManifest, b: SweepManifest): boolean {
  return a.kind === b.kind && canonicalJson(a.spec) === canonicalJson(b.spec);
}
