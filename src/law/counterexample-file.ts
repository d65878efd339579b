import type { SweepRecord } from '../sweep/record.js';
import type { SearchResult } from './search.js';

/** The JSON document written to reports/counterexamples/<regime>.json. */
export interface CounterexampleFile {
  readonly format: 'robustlaw-counterexample/1';
  readonly regime: string;
  readonly description: string;
  readonly found: boolean;
  readonly verdict: 'counterexample' | 'none-found';
  readonly factor: number;
  /** Replay: `robustlaw search --regime <regime> --seed <seed> --path <path>` re-evaluates exactly this instance. */
  readonly replay: { readonly seed: number; readonly path: string | null; readonly command: string };
  readonly instance: Record<string, unknown> | null;
  readonly params: Record<string, number> | null;
  readonly measured: Record<string, number | string | null> | null;
  /** The instance's robustlaw-record/1 record, as verify and sweep write them (null when none was found). */
  readonly record: SweepRecord | null;
  readonly search: { readonly numRuns: number; readonly numShrinks: number; readonly seconds: number };
}

/** Builds the counterexample document of a search result. */
export function counterexampleFile(r: SearchResult): CounterexampleFile {
  const rep = r.outcome?.report ?? null;
  return {
    format: 'robustlaw-counterexample/1',
    regime: r.regime,
    description: r.description,
    found: r.found,
    verdict: r.found ? 'counterexample' : 'none-found',
    factor: r.factor,
    replay: { seed: r.seed, path: r.path, command: `robustlaw search --regime ${r.regime} --seed ${r.seed}${r.path ? ` --path ${r.path}` : ''}${r.inRegime ? ' --in-regime' : ''}` },
    instance: rep ? (rep.spec as unknown as Record<string, unknown>) : null,
    params: r.counterexample ? { ...r.counterexample } : null,
    measured: rep
      ? {
          n: rep.spec.n,
          d: rep.spec.d,
          p: rep.p,
          eps: rep.eps,
          epsSource: rep.epsSource,
          law: rep.law,
          lower: rep.lower,
          upper: rep.upper,
          exact: rep.exact,
          averageUpper: rep.averageUpper,
          Rcertified: r.outcome?.Rcertified ?? null,
          R: rep.R,
        }
      : null,
    record: r.outcome?.record ?? null,
    search: { numRuns: r.numRuns, numShrinks: r.numShrinks, seconds: r.seconds },
  };
}
