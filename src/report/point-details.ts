import { seriesLabel, type SweepRecord } from '../law/record.js';
import { fmtNum } from './table.js';

/** Builds the replay command of a set of records that differ only in their seed (src/report/replay-command.ts). */
export type ReplayFn = (records: readonly SweepRecord[]) => string;

/**
 * The tooltip of one instance's plot marks, in display order: field (prefixed `tt_` so it never clashes
 * with a plotted field) and title. The interactive page shows them on hover; `tt_replay` is what a click
 * copies.
 */
export const INSTANCE_TOOLTIP = [
  ['tt_instance', 'instance'],
  ['tt_class', 'class'],
  ['tt_activation', 'activation'],
  ['tt_data', 'data law'],
  ['tt_labels', 'labels'],
  ['tt_options', 'other options'],
  ['tt_n', 'n'],
  ['tt_d', 'd'],
  ['tt_p', 'p'],
  ['tt_seed', 'seed'],
  ['tt_lower', 'Lip lower (method)'],
  ['tt_upper', 'Lip upper (method)'],
  ['tt_R', 'R = lower / law'],
  ['tt_law', 'law verdict'],
  ['tt_theorem3', 'Theorem 3'],
  ['tt_replay', 'replay'],
] as const;

/** The tooltip of a median-over-seeds mark (Lipschitz plot): the cell, its instances and the command replaying them all. */
export const CELL_TOOLTIP = [
  ['tt_cell', 'cell'],
  ['tt_series', 'series'],
  ['tt_value', 'median over seeds'],
  ['tt_instances', 'instances'],
  ['tt_replay', 'replay'],
] as const;

/** A vega-lite tooltip encoding listing these fields with their titles. */
export function tooltipEncoding(fields: readonly (readonly [string, string])[]): { field: string; type: 'nominal'; title: string }[] {
  return fields.map(([field, title]) => ({ field, type: 'nominal' as const, title }));
}

/** The `law verdict` text of a record: its verdict in the law's regime, else why the law makes no claim. */
export function lawVerdictText(r: SweepRecord): string {
  return r.inLawRegime ? r.lawVerdict : 'outside the law regime (eps < 0.1 or n eps^2 < 8 k)';
}

/** The instance's options besides class, activation and width: data law (components, m, scale), labels (eta, noise) and class options, or `-`. */
export function optionsText(r: SweepRecord): string {
  const { k: _k, activation: _a, ...model } = r.spec.modelOptions ?? {};
  const d = r.spec.distOptions ?? {};
  const parts = [
    ...Object.entries({ components: d.k, m: d.m, scale: d.scale }),
    ...Object.entries(r.spec.labelOptions ?? {}),
    ...Object.entries(model),
  ].filter(([, v]) => v !== undefined && v !== null);
  return parts.length ? parts.map(([key, v]) => `${key} ${String(v)}`).join(', ') : '-';
}

/** The tooltip values of one instance (every value a string, numbers to 4 significant digits). */
export function instanceDetails(r: SweepRecord, replay: ReplayFn | undefined): Record<(typeof INSTANCE_TOOLTIP)[number][0], string> {
  const mo = r.spec.modelOptions ?? {};
  return {
    tt_instance: r.id,
    tt_class: seriesLabel(r),
    tt_activation: mo.activation ?? '-',
    tt_data: r.spec.dist,
    tt_labels: r.spec.labels,
    tt_options: optionsText(r),
    tt_n: String(r.spec.n),
    tt_d: String(r.spec.d),
    tt_p: String(r.p),
    tt_seed: String(r.spec.seed),
    tt_lower: `${fmtNum(r.lower)} (${r.lowerMethod})`,
    tt_upper: r.upper === null ? '- (no certificate)' : `${fmtNum(r.upper)} (${r.upperMethod ?? '?'})`,
    tt_R: fmtNum(r.R),
    tt_law: lawVerdictText(r),
    tt_theorem3: r.theorem3.verdict,
    tt_replay: replay ? replay([r]) : '-',
  };
}
