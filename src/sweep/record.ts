import type { InstanceReport } from '../law/evaluate.js';
import type { InstanceSpec } from '../law/instance.js';
import { inLawRegime } from '../law/regimes.js';
import type { VerdictKind } from '../law/verdict.js';

/** The format tag of a results.jsonl line. */
export const RECORD_FORMAT = 'robustlaw-record/1';

/**
 * One finished instance, as one line of `results.jsonl`: the instance, its fit, its certified Lipschitz
 * bounds, the law's and Theorem 3's thresholds and verdicts. Everything but `timing` is a deterministic
 * function of the spec (same seed, same numbers); `timing` is excluded when runs are compared.
 */
export interface SweepRecord {
  readonly format: typeof RECORD_FORMAT;
  readonly index: number;
  readonly id: string;
  readonly spec: InstanceSpec;
  readonly p: number;
  readonly W: number;
  readonly J: number;
  readonly trainMse: number;
  readonly sigma2: number;
  readonly eps: number;
  readonly epsSource: 'sigma2' | 'label-variance';
  readonly components: number;
  readonly lower: number;
  readonly upper: number | null;
  readonly exact: number | null;
  readonly ratio: number | null;
  readonly dataFloor: number | null;
  /** The law eps sqrt(n d / p) (null when eps <= 0). */
  readonly law: number | null;
  readonly R: number | null;
  readonly Rupper: number | null;
  /** Whether the instance is in the law's regime (eps >= 0.1 and n eps^2 >= 8 k). */
  readonly inLawRegime: boolean;
  readonly lawVerdict: VerdictKind;
  readonly theorem3: { readonly verdict: VerdictKind; readonly bound: number | null; readonly formula: number | null; readonly failed: readonly string[] };
  readonly lowerMethod: string;
  readonly upperMethod: string | null;
  readonly warnings: readonly string[];
  readonly timing: { readonly fitSeconds: number; readonly lipSeconds: number };
}

const finite = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);

/** Builds the record of an evaluated instance. */
export function toRecord(index: number, id: string, r: InstanceReport): SweepRecord {
  return {
    format: RECORD_FORMAT,
    index,
    id,
    spec: r.spec,
    p: r.p,
    W: r.W,
    J: r.J,
    trainMse: r.trainMse,
    sigma2: r.sigma2,
    eps: r.eps,
    epsSource: r.epsSource,
    components: r.components,
    lower: r.lower,
    upper: finite(r.upper),
    exact: finite(r.exact),
    ratio: finite(r.ratio),
    dataFloor: finite(r.dataFloor),
    law: finite(r.law),
    R: finite(r.R),
    Rupper: finite(r.Rupper),
    inLawRegime: inLawRegime(r.spec.n, r.eps, r.components),
    lawVerdict: r.verdict.law.verdict,
    theorem3: { verdict: r.verdict.theorem3.verdict, bound: r.verdict.theorem3.threshold, formula: finite(r.theorem3Formula), failed: r.verdict.theorem3.failedAssumptions },
    lowerMethod: r.lowerMethod,
    upperMethod: r.upperMethod,
    warnings: r.warnings,
    timing: { fitSeconds: r.fitSeconds, lipSeconds: r.lipSeconds },
  };
}

/** A record without its timing: what must agree between two runs of the same spec (resume, shards). */
export function withoutTiming(r: SweepRecord): Omit<SweepRecord, 'timing'> {
  const { timing: _timing, ...rest } = r;
  return rest;
}

/** Whether a record is a certified counterexample: to Theorem 3 where it applies, or to the law (tau) in its regime. */
export function isCounterexampleRecord(r: SweepRecord): boolean {
  return r.theorem3.verdict === 'counterexample' || (r.inLawRegime && r.lawVerdict === 'counterexample');
}

/** A short label of a record's class with its distinguishing options (activation, degree, profile, penalty). */
export function classLabel(spec: InstanceSpec): string {
  const o = spec.modelOptions ?? {};
  const bits = [o.activation, o.degree !== undefined ? `deg ${o.degree}` : undefined, o.profile, o.penalty ? `pen ${o.penalty}` : undefined].filter((b) => b !== undefined);
  return bits.length ? `${spec.className} (${bits.join(', ')})` : spec.className;
}
