import { LAW_TOLERANCE } from '../law/verdict.js';
import { isCounterexampleRecord, seriesLabel, smallestR, type SweepRecord } from '../law/record.js';
import { logLogSlope } from '../law/slope.js';

/** Per-class figures of a run. */
export interface ClassSummary {
  readonly label: string;
  readonly instances: number;
  /** Instances in the law's regime (eps >= 0.1, n eps^2 >= 8 k): the ones the law makes a claim about. */
  readonly inRegime: number;
  readonly holds: number;
  readonly inconclusive: number;
  readonly counterexamples: number;
  readonly Rmin: number | null;
  readonly Rmedian: number | null;
  readonly Rmax: number | null;
  /** Median certified upper / lower. */
  readonly ratioMedian: number | null;
  /** The worst (largest) certified upper / lower: where Lip(f) is pinned down least (null: no instance has an upper bound). */
  readonly ratioMax: number | null;
}

/** Per-block figures of a run whose spec has blocks (docs/cli.md, "Specs with blocks"). */
export interface BlockSummary {
  readonly name: string;
  readonly instances: number;
  /** The block's series (class labels), in run order. */
  readonly series: readonly string[];
  readonly inRegime: number;
  readonly counterexamples: number;
  readonly smallestR: number | null;
  readonly ratioMedian: number | null;
  readonly ratioMax: number | null;
}

/** The fitted exponent of Lip against p for one class in one data configuration. */
export interface SlopeSummary {
  readonly group: string;
  readonly label: string;
  /**
   * Which Lipschitz figure was regressed: the certified lower bound, the certified upper bound, or the geometric
   * midpoint sqrt(lower upper). Lip(f) itself lies between the first two, so its exponent is pinned down where
   * their slopes agree.
   */
  readonly statistic: 'lower' | 'upper' | 'midpoint';
  readonly slope: number;
  readonly lo: number | null;
  readonly hi: number | null;
  readonly points: number;
  readonly pMin: number;
  readonly pMax: number;
}

/** What `summary.json` holds. */
export interface Summary {
  readonly format: 'robustlaw-summary/1';
  readonly tau: number;
  readonly instances: number;
  readonly gridSize: number;
  /** Grid points without a record (an unfinished run or a missing shard). */
  readonly missing: number;
  readonly seeds: readonly number[];
  readonly smallestR: number | null;
  readonly theorem3Applicable: number;
  readonly classes: readonly ClassSummary[];
  /** Per block, in the spec's order (absent for a one-grid spec). */
  readonly blocks?: readonly BlockSummary[];
  readonly slopes: readonly SlopeSummary[];
  /** Ids of certified counterexamples. */
  readonly counterexamples: readonly string[];
}

/** The data configuration of a record: distribution, labels, n, d. */
export function groupOf(r: SweepRecord): string {
  return `${r.spec.dist}/${r.spec.labels} n=${r.spec.n} d=${r.spec.d}`;
}

function median(v: readonly number[]): number | null {
  if (v.length === 0) return null;
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Median of a list (null when empty). */
export { median };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Summarises records (in grid order): per class, the law's verdicts and R = lower / law over the law's
 * regime, and the median and worst certified upper / lower; per (data configuration, class) with at least
 * two values of p, the log-log slopes of the certified lower bound, the certified upper bound and the
 * midpoint sqrt(lower upper) against p, with 95% intervals.
 */
export function summarize(records: readonly SweepRecord[], gridSize: number): Summary {
  const byClass = new Map<string, SweepRecord[]>();
  for (const r of records) {
    const k = seriesLabel(r);
    byClass.set(k, [...(byClass.get(k) ?? []), r]);
  }
  // blocks in the spec's (run) order, the series of a block by label
  const blockNames = [...new Set(records.filter((r) => r.block !== undefined).map((r) => r.block!))];
  const rankOf = new Map(records.map((r) => [seriesLabel(r), r.block === undefined ? -1 : blockNames.indexOf(r.block)]));
  const blockRank = (label: string) => rankOf.get(label) ?? -1;
  const ratios = (rs: readonly SweepRecord[]) => rs.filter((r) => r.ratio !== null).map((r) => r.ratio!);
  const classes: ClassSummary[] = [...byClass.keys()].sort((a, b) => blockRank(a) - blockRank(b) || cmp(a, b)).map((label) => {
    const rs = byClass.get(label)!;
    const reg = rs.filter((r) => r.inLawRegime && r.R !== null);
    const Rs = reg.map((r) => r.R!);
    return {
      label,
      instances: rs.length,
      inRegime: reg.length,
      holds: reg.filter((r) => r.lawVerdict === 'holds').length,
      inconclusive: reg.filter((r) => r.lawVerdict === 'inconclusive').length,
      counterexamples: rs.filter(isCounterexampleRecord).length,
      Rmin: Rs.length ? Math.min(...Rs) : null,
      Rmedian: median(Rs),
      Rmax: Rs.length ? Math.max(...Rs) : null,
      ratioMedian: median(rs.filter((r) => r.ratio !== null).map((r) => r.ratio!)),
      ratioMax: rs.some((r) => r.ratio !== null) ? Math.max(...rs.filter((r) => r.ratio !== null).map((r) => r.ratio!)) : null,
    };
  });
  const byCurve = new Map<string, SweepRecord[]>();
  for (const r of records) {
    const k = `${groupOf(r)}\u0000${seriesLabel(r)}`;
    byCurve.set(k, [...(byCurve.get(k) ?? []), r]);
  }
  const slopes: SlopeSummary[] = [];
  for (const key of [...byCurve.keys()].sort(cmp)) {
    const rs = byCurve.get(key)!;
    const [group, label] = key.split('\u0000');
    const ps = rs.map((r) => r.p);
    if (new Set(ps).size < 2) continue;
    const fits: [SlopeSummary['statistic'], number[]][] = [
      ['lower', rs.map((r) => r.lower)],
      ['upper', rs.map((r) => (r.upper !== null ? r.upper : NaN))],
      ['midpoint', rs.map((r) => (r.upper !== null ? Math.sqrt(r.lower * r.upper) : NaN))],
    ];
    for (const [statistic, y] of fits) {
      const f = logLogSlope(ps, y);
      if (f) slopes.push({ group, label, statistic, slope: f.slope, lo: f.lo, hi: f.hi, points: f.m, pMin: Math.min(...ps), pMax: Math.max(...ps) });
    }
  }
  return {
    format: 'robustlaw-summary/1',
    tau: LAW_TOLERANCE,
    instances: records.length,
    gridSize,
    missing: gridSize - records.length,
    seeds: [...new Set(records.map((r) => r.spec.seed))].sort((a, b) => a - b),
    smallestR: smallestR(records),
    theorem3Applicable: records.filter((r) => r.theorem3.verdict !== 'not-applicable').length,
    classes,
    ...(blockNames.length === 0
      ? {}
      : {
          blocks: blockNames.map((name) => {
            const rs = records.filter((r) => r.block === name);
            const rr = ratios(rs);
            return {
              name,
              instances: rs.length,
              series: [...new Set(rs.map(seriesLabel))],
              inRegime: rs.filter((r) => r.inLawRegime).length,
              counterexamples: rs.filter(isCounterexampleRecord).length,
              smallestR: smallestR(rs),
              ratioMedian: median(rr),
              ratioMax: rr.length ? Math.max(...rr) : null,
            };
          }),
        }),
    slopes,
    counterexamples: records.filter(isCounterexampleRecord).map((r) => r.id),
  };
}
