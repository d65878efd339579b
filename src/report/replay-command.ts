import type { InstanceSpec } from '../law/instance.js';
import type { SweepRecord } from '../law/record.js';

/** The estimator effort a run evaluated its instances at (the sweep spec's `estimator`, or verify's fixed effort). */
export interface ReplayEffort {
  readonly starts: number;
  readonly steps: number;
  readonly rounds: number;
  /** Whether the data floor was computed (a sweep's default; verify does not). */
  readonly dataFloor: boolean;
}

/** A sweep's default effort (src/sweep/run-sweep.ts sweepEvaluateOptions): what the flags form leaves out. */
const SWEEP_DEFAULT: ReplayEffort = { starts: 8, steps: 60, rounds: 1, dataFloor: true };

/** The class options `robustlaw sweep` has a flag for (besides --k). */
const FLAGGED_MODEL_KEYS = ['activation', 'degree', 'profile', 'penalty'] as const;

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The `--seeds` value naming exactly these seeds: `N` means seeds 0..N-1, so one seed s > 0 is written `s,s` (the grid keeps it once). */
function seedsFlag(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  if (sorted.every((s, i) => s === i)) return String(sorted.length);
  return sorted.length === 1 ? `${sorted[0]},${sorted[0]}` : sorted.join(',');
}

/**
 * The one shell command that recomputes these records (instances that differ at most in their seed):
 * a sweep whose grid is exactly those instances, at the run's estimator effort and on the search backend
 * each record names, written to a fresh directory. Every record field but `timing` is a function of the
 * instance, the effort and the backend (src/law/record.ts: the estimators run at a fixed effort, never against the clock), so the replay's
 * results.jsonl repeats these numbers. Uses the sweep's flags when they can state the instance, else a
 * spec file (class options such as `bandwidth` or `maxIter` have no sweep flag).
 *
 * Seeds searched on different backends get one such sweep each (`--out replay-cpu && ...`).
 *
 * @throws RangeError when the records are not one instance up to the seed (a caller's bug, not input).
 */
export function replayCommand(records: readonly SweepRecord[], effort: ReplayEffort, out = 'replay'): string {
  const first = records[0];
  if (first === undefined) throw new RangeError('replayCommand: no record');
  const key = (s: InstanceSpec) => JSON.stringify({ ...s, seed: 0 });
  if (records.some((r) => key(r.spec) !== key(first.spec))) throw new RangeError('replayCommand: the records differ in more than their seed');
  // seeds searched on different backends (shards run on different machines): one sweep per backend
  const backends = [...new Set(records.map((r) => r.search.backend))];
  if (backends.length > 1) return backends.map((b) => replayCommand(records.filter((r) => r.search.backend === b), effort, `${out}-${b}`)).join(' && ');
  const s = first.spec;
  const seeds = records.map((r) => r.spec.seed);
  const mo = s.modelOptions ?? {};
  const tail = ['--backend', first.search.backend, '--no-bench', '--out', out];
  const flaggable =
    Object.entries(mo).every(([k, v]) => v === undefined || k === 'k' || (FLAGGED_MODEL_KEYS as readonly string[]).includes(k)) &&
    effort.rounds === SWEEP_DEFAULT.rounds &&
    effort.dataFloor === SWEEP_DEFAULT.dataFloor;
  if (flaggable) {
    const args = ['robustlaw', 'sweep', '--class', s.className, '--dist', s.dist, '--labels', s.labels, '--n', String(s.n), '--d', String(s.d)];
    if (mo.k !== undefined) args.push('--k', String(mo.k));
    for (const k of FLAGGED_MODEL_KEYS) if (mo[k] !== undefined) args.push(`--${k}`, String(mo[k]));
    const dopt = s.distOptions ?? {};
    if (dopt.k !== undefined) args.push('--components', String(dopt.k));
    if (dopt.m !== undefined) args.push('--m', String(dopt.m));
    if (dopt.scale !== undefined) args.push('--scale', String(dopt.scale));
    const lopt = s.labelOptions ?? {};
    if (lopt.eta !== undefined) args.push('--eta', String(lopt.eta));
    if (lopt.noise !== undefined) args.push('--noise', String(lopt.noise));
    args.push('--seeds', seedsFlag(seeds));
    if (effort.starts !== SWEEP_DEFAULT.starts) args.push('--starts', String(effort.starts));
    if (effort.steps !== SWEEP_DEFAULT.steps) args.push('--steps', String(effort.steps));
    return [...args, ...tail].map(shellQuote).join(' ');
  }
  const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, unknown>;
  const { k, ...model } = mo;
  const dopt = s.distOptions ?? {};
  const spec = {
    format: 'robustlaw-sweep-spec/1',
    class: s.className,
    dist: s.dist,
    labels: s.labels,
    n: s.n,
    d: s.d,
    ...(k !== undefined ? { k } : {}),
    seeds: [...new Set(seeds)].sort((a, b) => a - b),
    model: defined(model),
    distOptions: defined({ components: dopt.k, m: dopt.m, scale: dopt.scale }),
    labelOptions: defined(s.labelOptions ?? {}),
    estimator: { starts: effort.starts, steps: effort.steps, rounds: effort.rounds, dataFloor: effort.dataFloor },
  };
  return `echo ${shellQuote(JSON.stringify(spec))} > ${out}.json && ${['robustlaw', 'sweep', '--spec', `${out}.json`, ...tail].map(shellQuote).join(' ')}`;
}

/**
 * The command that replays a `verify` run (its records carry ids `verify#i ...`): verify at the run's
 * profile, seed and count. A verify instance cannot be replayed alone exactly: verify leaves the data floor
 * to the estimator's default (computed for classes without an exact constant), which no sweep spec states,
 * so the whole seeded run is replayed, instance i among the rest. The backend is the one every record
 * names, or `auto` when they differ (auto keeps small models on the cpu: src/backends/search-backend.ts).
 */
export function verifyReplayCommand(run: { readonly profile: string; readonly seed: number; readonly count: number }, records: readonly SweepRecord[], out = 'replay'): string {
  const backends = [...new Set(records.map((r) => r.search.backend))];
  const backend = backends.length === 1 ? backends[0] : 'auto';
  return ['robustlaw', 'verify', '--profile', run.profile, '--seed', String(run.seed), '--count', String(run.count), '--backend', backend, '--no-bench', '--out', out].map(shellQuote).join(' ');
}
