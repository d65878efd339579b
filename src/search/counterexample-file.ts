import type { SweepRecord } from '../law/record.js';
import type { SearchResult } from './search.js';
import type { Premise } from '../law/law-regime.js';
import type { FamilyResult } from './regime-family.js';

/** The JSON document written to reports/counterexamples/<regime>.json. */
export interface CounterexampleFile {
  readonly format: 'robustlaw-counterexample/1';
  readonly regime: string;
  readonly description: string;
  readonly found: boolean;
  readonly verdict: 'counterexample' | 'none-found';
  readonly factor: number;
  /** Whether the search could leave the premise (`--allow-outside-premise`); by default it cannot. */
  readonly allowOutsidePremise: boolean;
  /** Replay: `robustlaw search --regime <regime> --seed <seed> --path <path>` re-evaluates exactly this instance. */
  readonly replay: { readonly seed: number; readonly path: string | null; readonly command: string };
  readonly instance: Record<string, unknown> | null;
  readonly params: Record<string, number> | null;
  readonly measured: Record<string, number | string | null> | null;
  /** The premise items the minimal instance satisfies or not (eps >= 0.1, n eps^2 >= 8 k, n >= 50; null when none was found). */
  readonly premise: Premise | null;
  /** The instance's robustlaw-record/1 record, as verify and sweep write them (null when none was found). */
  readonly record: SweepRecord | null;
  /** The regime's scaling family inside the premise (null for the in-regime control). */
  readonly family: FamilyResult | null;
  readonly search: { readonly numRuns: number; readonly numShrinks: number; readonly seconds: number };
}

/** Builds the counterexample document of a search result and, when run, its scaling family. */
export function counterexampleFile(r: SearchResult, family: FamilyResult | null = null): CounterexampleFile {
  const rep = r.outcome?.report ?? null;
  return {
    format: 'robustlaw-counterexample/1',
    regime: r.regime,
    description: r.description,
    found: r.found,
    verdict: r.found ? 'counterexample' : 'none-found',
    factor: r.factor,
    allowOutsidePremise: r.mode === 'outside',
    replay: {
      seed: r.seed,
      path: r.path,
      command: `robustlaw search --regime ${r.regime} --seed ${r.seed}${r.path ? ` --path ${r.path}` : ''}${r.inRegime ? ' --in-regime' : ''}${r.mode === 'outside' ? ' --allow-outside-premise' : ''}${r.factor !== 0.2 ? ` --factor ${r.factor}` : ''}`,
    },
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
    premise: r.outcome?.premise ?? null,
    record: r.outcome?.record ?? null,
    family,
    search: { numRuns: r.numRuns, numShrinks: r.numShrinks, seconds: r.seconds },
  };
}
