/**
 * The bench history's trend plot and Markdown (docs/package.md): per kernel, the calibration-normalised
 * median of each run (kernel time / calibration loop time in the same run, as the comparator uses it),
 * the baseline run's value (grey rule) and the regression threshold baseline x (1 + threshold) (dashed
 * rule; the comparator adds both runs' margins of error on top), regressed runs in vermillion with the
 * first commit of each regression written next to it, and deliberately slowed runs drawn as crosses.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import type { HistoryEntry, Trend } from '../bench/history.js';
import { CB_PALETTE } from './plot-specs.js';
import { fmtNum, markdownTable } from './table.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Okabe-Ito vermillion: regressions and the threshold. */
const ALERT = '#D55E00';

/** A commit as the plot and tables show it: its first 7 characters. */
export const shortCommit = (c: string): string => (/^[0-9a-f]{8,}$/i.test(c) ? c.slice(0, 7) : c);

/** The vega-lite spec of the trend: one panel per kernel (case@backend), runs along x. */
export function benchHistoryPlot(trend: Trend): TopLevelSpec {
  const base = new Map(trend.points.filter((p) => p.status === 'baseline').map((p) => [p.key, p.normalized]));
  const firsts = new Set(trend.regressions.map((r) => `${r.key}#${r.firstRun}`));
  const values = trend.points.map((p) => ({
    key: p.key,
    run: p.run,
    label: `${p.run}: ${shortCommit(p.commit)}`,
    normalized: p.normalized,
    ratio: p.ratio,
    base: base.get(p.key) ?? null,
    limit: (base.get(p.key) ?? 0) * (1 + trend.threshold),
    status: p.status,
    slowed: p.slowed ? 'deliberately slowed' : 'as measured',
    note: firsts.has(`${p.key}#${p.run}`) ? `regression from ${shortCommit(p.commit)}` : '',
  }));
  const x = { field: 'label', type: 'ordinal' as const, sort: { field: 'run' as const }, title: 'run: commit', axis: { labelAngle: -40 } };
  return {
    $schema: SCHEMA,
    title: { text: 'Kernel time per run, normalised by the calibration loop', subtitle: [`grey: the baseline run (${trend.baselineCommit === null ? 'none' : shortCommit(trend.baselineCommit)}); dashed: baseline x ${fmtNum(1 + trend.threshold)} (regression threshold, before the runs' margins of error)`, 'vermillion: a regressed run, labelled at the first commit of each regression; crosses: a deliberately slowed run'] },
    data: { values },
    facet: { row: { field: 'key', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelLimit: 300 } } },
    spec: {
      width: 420,
      height: 110,
      layer: [
        { mark: { type: 'line', color: CB_PALETTE[0] }, encoding: { x, y: { field: 'normalized', type: 'quantitative', title: 'time / calibration', scale: { zero: false } } } },
        { mark: { type: 'rule', color: '#888' }, encoding: { y: { field: 'base', type: 'quantitative', aggregate: 'min' } } },
        { mark: { type: 'rule', color: ALERT, strokeDash: [5, 4] }, encoding: { y: { field: 'limit', type: 'quantitative', aggregate: 'min' } } },
        {
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            x,
            y: { field: 'normalized', type: 'quantitative' },
            color: { field: 'status', type: 'nominal', scale: { domain: ['baseline', 'ok', 'improvement', 'regression'], range: ['#888', CB_PALETTE[0], CB_PALETTE[2], ALERT] }, title: 'run vs baseline' },
            shape: { field: 'slowed', type: 'nominal', scale: { domain: ['as measured', 'deliberately slowed'], range: ['circle', 'cross'] }, title: null },
            tooltip: [{ field: 'label' }, { field: 'normalized', format: '.4g' }, { field: 'ratio', format: '.3f' }, { field: 'status' }],
          },
        },
        { transform: [{ filter: "datum.note != ''" }], mark: { type: 'text', align: 'left', dx: 8, dy: -8, color: ALERT, fontWeight: 'bold' }, encoding: { x, y: { field: 'normalized', type: 'quantitative' }, text: { field: 'note' } } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
    config: { font: 'sans-serif', view: { stroke: '#ccc' }, axis: { labelFontSize: 10, titleFontSize: 11 } },
  };
}

/** The history as Markdown: its runs, and each regression with its first commit. */
export function benchHistoryMarkdown(history: readonly HistoryEntry[], trend: Trend, svgName: string): string {
  const runs = markdownTable(
    ['run', 'commit', 'date', 'machine', 'calibration ms', 'slowed', 'regressed kernels'],
    history.map((e, i) => [i, shortCommit(e.commit), e.date, `${e.machine.cpu} (${e.machine.cores} cores)`, e.calibration.medianMs, e.slowed ?? '', trend.points.filter((p) => p.run === i && p.status === 'regression').map((p) => p.key).join(', ')]),
  );
  const regs = trend.regressions.length === 0
    ? 'No regression against the baseline run.'
    : markdownTable(
        ['case@backend', 'first commit', 'runs', 'worst ratio', 'still regressed'],
        trend.regressions.map((r) => [r.key, shortCommit(r.firstCommit), `${r.firstRun}..${r.lastRun}`, r.worstRatio, r.open ? 'yes' : 'no']),
      );
  return `# Benchmark history\n\n${history.length} runs; baseline: run ${trend.baselineRun} (${trend.baselineCommit === null ? 'none' : shortCommit(trend.baselineCommit)}); a run regresses when its calibration-normalised time is more than ${fmtNum(trend.threshold * 100)}% above the baseline's plus both runs' margins of error.\n\n## Regressions\n\n${regs}\n\n## Runs\n\n${runs}\n\n![trend](${svgName})\n`;
}
