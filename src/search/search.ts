import fc from 'fast-check';
import { MAX_SEED } from '../core/rng.js';
import { InputError, requireInt, requireOneOf, requirePositive } from '../core/validate.js';
import { REGIME_NAMES, REGIMES, runRegimeInstance, type RegimeMode, type RegimeName, type RegimeOutcome, type RegimeParams } from './regimes.js';
import type { SearchBackend } from '../backends/search-backend.js';

/** The longest replay path accepted (characters). */
export const MAX_PATH_LENGTH = 1000;
/** The largest step of a replay path: a run index or a shrink step (fast-check walks to it one by one). */
export const MAX_PATH_STEP = 1_000_000;

/**
 * Checks a fast-check replay path before it is replayed: steps of digits separated by `:`, at most
 * {@link MAX_PATH_LENGTH} characters, each step at most {@link MAX_PATH_STEP} (fast-check generates every run
 * and shrink up to the step, so `99999999999999999999:0` would never end). Refused as an InputError on
 * `replayPath`.
 */
export function requireReplayPath(fn: string, path: unknown): string {
  if (typeof path !== 'string' || path.length > MAX_PATH_LENGTH || !/^\d{1,7}(:\d{1,7})*$/.test(path)) {
    throw new InputError('replayPath', `a fast-check path: steps of digits separated by ':' (e.g. 12:0:3), at most ${MAX_PATH_LENGTH} characters`, path, { context: fn });
  }
  const big = path.split(':').find((step) => Number(step) > MAX_PATH_STEP);
  if (big !== undefined) throw new InputError('replayPath', `a fast-check path whose steps are at most ${MAX_PATH_STEP}`, path, { context: fn, shown: `a step of ${big}` });
  return path;
}

/** Options of {@link searchRegime}. */
export interface SearchOptions {
  /** Number of generated instances before shrinking (fast-check numRuns). */
  readonly budget: number;
  /** fast-check seed (printed; replays with `path`). */
  readonly seed: number;
  /** Replay path of an earlier run (fast-check's `path`). */
  readonly path?: string;
  /** The law counts as beaten when the certified ratio is <= factor (default 0.2). */
  readonly factor?: number;
  /** Run the in-regime control instead (must find nothing). */
  readonly inRegime?: boolean;
  /** Let the search and its shrinker leave the premise (eps >= 0.1, n eps^2 >= 8 k, n >= 50): the original
   * shapes, down to n = 5 (default false: every instance that counts is inside the premise). */
  readonly allowOutsidePremise?: boolean;
  /** Where the estimators' search runs (default: f64 on the cpu). */
  readonly backend?: SearchBackend;
}

/** The result of a search: the minimal counterexample found, or none. */
export interface SearchResult {
  readonly regime: RegimeName;
  readonly inRegime: boolean;
  /** How instances were built and which counted ({@link RegimeMode}). */
  readonly mode: RegimeMode;
  readonly found: boolean;
  readonly factor: number;
  readonly seed: number;
  /** fast-check replay path of the (shrunk) counterexample. */
  readonly path: string | null;
  readonly numRuns: number;
  readonly numShrinks: number;
  /** The shrunk instance shape and its evaluation. */
  readonly counterexample: RegimeParams | null;
  readonly outcome: RegimeOutcome | null;
  readonly description: string;
  readonly seconds: number;
}

/**
 * Searches a regime with fast-check for an instance whose certified ratio (upper bound, or certified
 * average bound, over eps sqrt(n d / p) with the ambient d and c = 1) is <= factor, and shrinks it to a
 * minimal (n, d, extra, seed). The property checked is "the law is not beaten by the factor", so a
 * failure IS the counterexample; fast-check's seed and path replay it. Only instances inside the premise
 * (docs/science.md section 5, "Inside the premise") count unless `allowOutsidePremise`, so the shrinker
 * never leaves it: a shrunk candidate outside the premise passes the property and is not taken.
 */
export function searchRegime(name: RegimeName, options: SearchOptions): SearchResult {
  requireOneOf('searchRegime', 'regime', name, REGIME_NAMES);
  const budget = requireInt('searchRegime', 'budget', options.budget, 1);
  const seed = requireInt('searchRegime', 'seed', options.seed, 0, MAX_SEED);
  const factor = requirePositive('searchRegime', 'factor', options.factor ?? 0.2);
  const path = options.path === undefined ? undefined : requireReplayPath('searchRegime', options.path);
  const inRegime = options.inRegime ?? false;
  const mode: RegimeMode = inRegime ? 'control' : options.allowOutsidePremise === true ? 'outside' : 'premise';
  const regime = REGIMES[name];
  const t0 = performance.now();
  const beaten = (o: RegimeOutcome) => o.eligible && o.Rcertified !== null && o.Rcertified <= factor;
  const prop = fc.property(mode === 'premise' ? regime.arbitrary : regime.outsideArbitrary, (q) => !beaten(runRegimeInstance(regime, q, mode, options.backend)));
  const r = fc.check(prop, { numRuns: budget, seed: seed | 0, path, endOnFailure: false });
  const cex = r.failed && r.counterexample ? r.counterexample[0] : null;
  return {
    regime: name,
    inRegime,
    mode,
    found: r.failed,
    factor,
    seed,
    path: r.failed ? r.counterexamplePath : null,
    numRuns: r.numRuns,
    numShrinks: r.numShrinks,
    counterexample: cex,
    outcome: cex ? runRegimeInstance(regime, cex, mode, options.backend) : null,
    description: regime.description,
    seconds: (performance.now() - t0) / 1000,
  };
}
