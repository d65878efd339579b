import fc from 'fast-check';
import { MAX_SEED } from '../core/rng.js';
import { requireInt, requireOneOf } from '../core/validate.js';
import type { GridPoint } from './grid.js';
import type { SweepManifest } from './manifest.js';
import { isCounterexampleRecord, smallestR, type SweepRecord } from '../law/record.js';
import { runInstances, runInstancesYielding, type EstimatorEffort, type RunInstancesOptions, type RunOutcome } from './runner.js';
import { WHOLE } from './shard.js';
import { BUDGETS, inRegimeInstance } from '../law/instance-arbitrary.js';
import type { InstanceSpec } from '../law/instance.js';
import { LAW_TOLERANCE } from '../law/verdict.js';
import { MAX_VERIFY_COUNT } from '../law/size-limits.js';
import type { SearchBackend } from '../backends/search-backend.js';

/** Options of {@link verifyRun}. */
export interface VerifyOptions {
  readonly profile: 'quick' | 'deep';
  readonly seed: number;
  /** Where the estimators' search runs (default: f64 on the cpu). */
  readonly backend?: SearchBackend;
  /** Number of instances (default 48 quick, 200 deep; at most {@link MAX_VERIFY_COUNT}). */
  readonly count?: number;
  /** Write `sweep.json` and `results.jsonl` there (resumable, as a sweep's). */
  readonly outDir?: string;
  /** When `outDir` holds another run, remove its run files and start over instead of refusing. */
  readonly replace?: boolean;
  /** Called after each instance computed. */
  readonly onRecord?: (r: SweepRecord) => void;
  /** With `outDir`: write each record's certificate for `robustlaw check` ({@link RunInstancesOptions.certificates}). */
  readonly certificates?: boolean;
}

/** The outcome of a verification run. */
export interface VerifyResult {
  readonly profile: 'quick' | 'deep';
  readonly seed: number;
  readonly tau: number;
  /** One robustlaw-record/1 record per drawn instance, in draw order. */
  readonly records: readonly SweepRecord[];
  /** Records of certified counterexamples ({@link isCounterexampleRecord}). */
  readonly counterexamples: readonly SweepRecord[];
  /** The smallest R over the law's regime ({@link smallestR}). */
  readonly smallestR: number | null;
  /** The manifest written to `outDir` (null without one). */
  readonly manifest: SweepManifest | null;
  readonly seconds: number;
}

/** The estimator effort of every verify instance: fixed, so a record depends on its draw only. */
export const VERIFY_EFFORT: EstimatorEffort = { starts: 8, steps: 60, rounds: 1 };

/** The default number of instances of a profile. */
export function verifyCount(profile: 'quick' | 'deep'): number {
  return profile === 'quick' ? 48 : 200;
}

/** The `count` in-regime instances (the property suites' arbitrary) drawn from `seed`, as runner points. */
export function verifyPoints(profile: 'quick' | 'deep', seed: number, count: number): GridPoint[] {
  const specs: InstanceSpec[] = fc.sample(inRegimeInstance(BUDGETS[profile]), { numRuns: count, seed: seed | 0 });
  return specs.map((s, i) => ({ index: i, id: `verify#${i + 1} class=${s.className},dist=${s.dist},labels=${s.labels},n=${s.n},d=${s.d},seed=${s.seed}`, instance: s }));
}

/** What {@link verifyRun} hands the runner (inputs checked), and its start time. */
function verifyInputs(options: VerifyOptions): { readonly run: RunInstancesOptions; readonly profile: 'quick' | 'deep'; readonly seed: number; readonly t0: number } {
  const profile = requireOneOf('verifyRun', 'profile', options.profile, ['quick', 'deep'] as const);
  const seed = requireInt('verifyRun', 'seed', options.seed, 0, MAX_SEED);
  const count = requireInt('verifyRun', 'count', options.count ?? verifyCount(profile), 1, MAX_VERIFY_COUNT);
  const t0 = performance.now();
  const run: RunInstancesOptions = {
    points: verifyPoints(profile, seed, count),
    effort: VERIFY_EFFORT,
    backend: options.backend,
    outDir: options.outDir,
    experiment: { kind: 'verify', spec: { profile, seed, count }, gridSize: count, shard: WHOLE },
    replace: options.replace,
    onRecord: options.onRecord,
    certificates: options.certificates,
  };
  return { run, profile, seed, t0 };
}

/** The result of a verification run from the runner's outcome. */
function verifyResult(profile: 'quick' | 'deep', seed: number, t0: number, outcome: RunOutcome): VerifyResult {
  return {
    profile,
    seed,
    tau: LAW_TOLERANCE,
    records: outcome.records,
    counterexamples: outcome.records.filter(isCounterexampleRecord),
    smallestR: smallestR(outcome.records),
    manifest: outcome.manifest,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * Draws `count` in-regime instances from the seed and evaluates each through the runner
 * ({@link runInstances}, at {@link VERIFY_EFFORT}): the verification run behind `robustlaw verify`.
 */
export function verifyRun(options: VerifyOptions): VerifyResult {
  const { run, profile, seed, t0 } = verifyInputs(options);
  return verifyResult(profile, seed, t0, runInstances(run));
}

/** {@link verifyRun} giving the event loop a turn after each instance, so that Ctrl-C and SIGTERM stop it
 * between two ({@link runInstancesYielding}); what `robustlaw verify` runs. */
export async function verifyRunYielding(options: VerifyOptions): Promise<VerifyResult> {
  const { run, profile, seed, t0 } = verifyInputs(options);
  return verifyResult(profile, seed, t0, await runInstancesYielding(run));
}
