import type { InstanceReport } from './evaluate.js';
import type { InstanceSpec } from './instance.js';
import { inLawRegime } from './law-regime.js';
import type { VerdictKind } from './verdict.js';

/** The format tag of a results.jsonl line. */
export const RECORD_FORMAT = 'robustlaw-record/1';

/** What every record's `spec` carries: the size of the data the verdict was computed on. */
export interface RecordSpecBase {
  readonly n: number;
  readonly d: number;
}

/**
 * One finished instance, as one line of `results.jsonl` (robustlaw-record/1): the instance, its fit, its
 * certified Lipschitz bounds, the law's and Theorem 3's thresholds and verdicts. Everything but `timing` is
 * a deterministic function of the spec (same seed, same numbers: the estimator runs at a fixed effort, never
 * against the clock); `timing` is excluded when runs are compared. `spec` is the {@link InstanceSpec} the
 * runner evaluated (verify, sweep, search); `robustlaw check-model`, which checks a user's model rather than
 * a spec, fills it with its own description of the model and data (`S`).
 */
export interface SweepRecord<S extends RecordSpecBase = InstanceSpec> {
  readonly format: typeof RECORD_FORMAT;
  readonly index: number;
  readonly id: string;
  /** The block of a sweep spec with blocks the instance belongs to (absent otherwise): the report groups by it. */
  readonly block?: string;
  readonly spec: S;
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
  /**
   * Where the estimators' search ran: backend, what ran, and its precision. Every bound above is f64 (an
   * f32 search only ranks and steers; its best points are re-evaluated in f64), but the search's path,
   * and so the lower bound it reaches, depends on the backend: compare records of one backend.
   */
  readonly search: { readonly backend: string; readonly mode: string; readonly precision: 'f64' | 'f32' };
  readonly timing: { readonly fitSeconds: number; readonly lipSeconds: number };
  /** The record's certificate file (robustlaw-certificate/1), relative to the run directory, where the run wrote one (`--certificates`). */
  readonly certificate?: string;
}

const finite = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);

/** What {@link toRecord} reads: an {@link InstanceReport}, or the same figures of a checked user model. */
export type RecordSource<S extends RecordSpecBase = InstanceSpec> = Pick<InstanceReport, 'p' | 'W' | 'J' | 'trainMse' | 'sigma2' | 'eps' | 'epsSource' | 'components' | 'lower' | 'upper' | 'exact' | 'ratio' | 'dataFloor' | 'law' | 'R' | 'Rupper' | 'theorem3Formula' | 'lowerMethod' | 'upperMethod' | 'warnings' | 'fitSeconds' | 'lipSeconds' | 'search'> & {
  readonly spec: S;
  readonly verdict: Pick<InstanceReport['verdict'], 'law' | 'theorem3'>;
};

/** Builds the record of an evaluated instance: the one record builder of verify, sweep, search and check-model. */
export function toRecord<S extends RecordSpecBase = InstanceSpec>(index: number, id: string, r: RecordSource<S>, block?: string): SweepRecord<S> {
  return {
    format: RECORD_FORMAT,
    index,
    id,
    ...(block === undefined ? {} : { block }),
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
    search: r.search,
    timing: { fitSeconds: r.fitSeconds, lipSeconds: r.lipSeconds },
  };
}

/** A record without its timing: what must agree between two runs of the same spec (resume, shards). */
export function withoutTiming<S extends RecordSpecBase>(r: SweepRecord<S>): Omit<SweepRecord<S>, 'timing'> {
  const { timing: _timing, ...rest } = r;
  return rest;
}

/**
 * Whether a record is a certified counterexample: to Theorem 3 where it applies, or to the law with
 * tolerance tau for an instance in the law's regime (`inLawRegime`). The one test behind verify's and
 * sweep's exit codes and the report's counterexample list.
 */
export function isCounterexampleRecord(r: Pick<SweepRecord<RecordSpecBase>, 'theorem3' | 'inLawRegime' | 'lawVerdict'>): boolean {
  return r.theorem3.verdict === 'counterexample' || (r.inLawRegime && r.lawVerdict === 'counterexample');
}

/** The smallest R = lower / law over the records in the law's regime (null when there is none): the
 * headline figure of verify, sweep and the report. */
export function smallestR(records: readonly Pick<SweepRecord<RecordSpecBase>, 'R' | 'inLawRegime'>[]): number | null {
  let min: number | null = null;
  for (const r of records) if (r.inLawRegime && r.R !== null && (min === null || r.R < min)) min = r.R;
  return min;
}

/** A short label of a record's class with its distinguishing options (activation, degree, profile, penalty). */
export function classLabel(spec: InstanceSpec): string {
  const o = spec.modelOptions ?? {};
  const bits = [o.activation, o.degree !== undefined ? `deg ${o.degree}` : undefined, o.profile, o.penalty ? `pen ${o.penalty}` : undefined].filter((b) => b !== undefined);
  return bits.length ? `${spec.className} (${bits.join(', ')})` : spec.className;
}

/** The series a record belongs to in a report: its class label ({@link classLabel}), after its block's name
 * (`wide: random-features (relu)`) when the run's spec has blocks and the label does not already start with it. */
export function seriesLabel(r: Pick<SweepRecord, 'block' | 'spec'>): string {
  const label = classLabel(r.spec);
  return r.block === undefined || label === r.block || label.startsWith(`${r.block} (`) ? label : `${r.block}: ${label}`;
}
