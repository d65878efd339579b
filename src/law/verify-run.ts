import fc from 'fast-check';
import { MAX_SEED } from '../core/rng.js';
import { requireInt, requireOneOf } from '../core/validate.js';
import { evaluateInstance, type InstanceReport } from './evaluate.js';
import { BUDGETS, inRegimeInstance } from './instance-arbitrary.js';
import type { InstanceSpec } from './instance.js';
import { inLawRegime } from './regimes.js';
import { LAW_TOLERANCE } from './verdict.js';

/** Options of {@link verifyRun}. */
export interface VerifyOptions {
  readonly profile: 'quick' | 'deep';
  readonly seed: number;
  /** Number of instances (default 48 quick, 200 deep). */
  readonly count?: number;
  /** Called after each instance. */
  readonly onInstance?: (r: InstanceReport, i: number) => void;
}

/** The outcome of a verification run. */
export interface VerifyResult {
  readonly profile: 'quick' | 'deep';
  readonly seed: number;
  readonly tau: number;
  readonly reports: readonly InstanceReport[];
  /** Instances whose certified upper bound is below a threshold they are in the regime for. */
  readonly counterexamples: readonly InstanceReport[];
  readonly smallestR: number | null;
  readonly seconds: number;
}

/** Whether a report is a certified counterexample: to Theorem 3 where it applies, or to the law with
 * tolerance tau for an instance in the law's regime (inLawRegime). */
export function isCertifiedCounterexample(r: InstanceReport): boolean {
  return r.verdict.theorem3.verdict === 'counterexample' || (inLawRegime(r.spec.n, r.eps, r.components) && r.verdict.law.verdict === 'counterexample');
}

/**
 * Draws `count` in-regime instances (the property suites' arbitrary) from the seed and evaluates each:
 * the verification run behind `robustlaw verify` and `npm start`.
 */
export function verifyRun(options: VerifyOptions): VerifyResult {
  const profile = requireOneOf('verifyRun', 'profile', options.profile, ['quick', 'deep'] as const);
  const seed = requireInt('verifyRun', 'seed', options.seed, 0, MAX_SEED);
  const count = requireInt('verifyRun', 'count', options.count ?? (profile === 'quick' ? 48 : 200), 1);
  const t0 = performance.now();
  const specs: InstanceSpec[] = fc.sample(inRegimeInstance(BUDGETS[profile]), { numRuns: count, seed: seed | 0 });
  const reports = specs.map((s, i) => {
    const r = evaluateInstance(s);
    options.onInstance?.(r, i);
    return r;
  });
  const eligible = reports.filter((r) => r.R !== null && inLawRegime(r.spec.n, r.eps, r.components));
  return {
    profile,
    seed,
    tau: LAW_TOLERANCE,
    reports,
    counterexamples: reports.filter(isCertifiedCounterexample),
    smallestR: eligible.length ? Math.min(...eligible.map((r) => r.R!)) : null,
    seconds: (performance.now() - t0) / 1000,
  };
}
