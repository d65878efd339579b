import type { TopLevelSpec } from 'vega-lite';
import { seriesLabel, type SweepRecord } from '../law/record.js';
import type { BenchResult } from '../bench/run-bench.js';
import { groupOf, median, type SlopeSummary } from './summary.js';
import { CELL_TOOLTIP, INSTANCE_TOOLTIP, instanceDetails, tooltipEncoding, type ReplayFn } from './point-details.js';

/** The series of the Lipschitz plot, in legend order. */
export const LIP_SERIES = ['Lip lower (certified)', 'Lip upper (certified)', 'law eps sqrt(nd/p)', 'Theorem 3 formula', 'data floor'] as const;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Okabe & Ito's colour-blind safe palette (black last), for every categorical colour of the plots. */
export const CB_PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;
/** The tolerance rule's colour (Okabe-Ito vermillion, told apart from the palette's blue by colour-blind readers). */
const TAU_COLOUR = '#D55E00';
const CONFIG = { font: 'sans-serif', view: { stroke: '#ccc' }, axis: { labelFontSize: 10, titleFontSize: 11 }, legend: { labelLimit: 260 }, range: { category: [...CB_PALETTE] } };

/**
 * The interactive page's parameters (docs/reading-a-report.md): `rl_class`, the classes picked in the legend
 * (a click toggles one; none picked shows all), and `rl_hl`, the instance id the page's tables highlight
 * (empty for none). A static SVG renders them at their defaults: every class shown, nothing highlighted.
 */
const classParam = { name: 'rl_class', select: { type: 'point' as const, fields: ['class'], toggle: 'true' }, bind: 'legend' as const };
const highlightParam = { name: 'rl_hl', value: '' };
const classOpacity = { condition: { param: 'rl_class', value: 0.85, empty: true }, value: 0.08 };
const highlighted = (test: string) => `rl_hl !== '' && ${test}`;

/** Rows of the Lipschitz plot: the median over seeds of each series, per (data configuration, class, p). */
export function lipschitzRows(records: readonly SweepRecord[], replay?: ReplayFn): { group: string; class: string; series: string; p: number; value: number; tt_cell: string; tt_series: string; tt_value: string; tt_instances: string; tt_replay: string }[] {
  const cells = new Map<string, SweepRecord[]>();
  for (const r of records) {
    const key = `${groupOf(r)}\u0000${seriesLabel(r)}\u0000${r.p}`;
    cells.set(key, [...(cells.get(key) ?? []), r]);
  }
  const rows: ReturnType<typeof lipschitzRows> = [];
  for (const [key, rs] of cells) {
    const [group, cls, p] = key.split('\u0000');
    const values: [string, (number | null)[]][] = [
      [LIP_SERIES[0], rs.map((r) => r.lower)],
      [LIP_SERIES[1], rs.map((r) => r.upper)],
      [LIP_SERIES[2], rs.map((r) => r.law)],
      [LIP_SERIES[3], rs.map((r) => r.theorem3.formula)],
      [LIP_SERIES[4], rs.map((r) => r.dataFloor)],
    ];
    for (const [series, v] of values) {
      const m = median(v.filter((x): x is number => x !== null && x > 0 && Number.isFinite(x)));
      if (m === null) continue;
      const ids = rs.map((r) => r.id);
      rows.push({ group, class: cls, series, p: Number(p), value: m, tt_cell: `${cls} | ${group} | p = ${p}`, tt_series: series, tt_value: String(Number(m.toPrecision(4))), tt_instances: ids.join('\n'), tt_replay: replay ? replay(rs) : '-' });
    }
  }
  return rows.sort((a, b) => cmp(a.group, b.group) || cmp(a.class, b.class) || cmp(a.series, b.series) || a.p - b.p);
}

/**
 * Log-log Lipschitz bounds against p, one panel per data configuration: per class (colour) the certified
 * lower and upper bounds, the law eps sqrt(n d / p), Theorem 3's formula (drawn for scale; the report says
 * where it applies) and the data floor (dash pattern). Medians over seeds.
 */
export function lipschitzPlot(records: readonly SweepRecord[], replay?: ReplayFn): TopLevelSpec {
  const applicable = records.filter((r) => r.theorem3.verdict !== 'not-applicable').length;
  return {
    $schema: SCHEMA,
    title: {
      text: 'Certified Lipschitz bounds against the parameter count p',
      subtitle: [`medians over seeds; Theorem 3 applies to ${applicable} of ${records.length} instances (elsewhere its formula is drawn for scale only)`],
    },
    description: `Log-log plot of the certified Lipschitz lower and upper bounds against p per class, medians over seeds, one panel per data configuration, with the law eps sqrt(nd/p), Theorem 3's formula and the data floor; ${records.length} instances.`,
    data: { values: lipschitzRows(records, replay) },
    facet: { field: 'group', type: 'nominal', title: null, sort: 'ascending' },
    columns: 2,
    spec: {
      width: 340,
      height: 240,
      // one unit (a layer inside the facet would lose the legend binding); no highlight size here: on a line
      // with points, size widens the line too (the instance table's links point to the law plot instead)
      params: [classParam],
      mark: { type: 'line', point: true, clip: true, strokeWidth: 1.5 },
      encoding: {
        opacity: classOpacity,
        tooltip: tooltipEncoding(CELL_TOOLTIP),
        x: { field: 'p', type: 'quantitative', scale: { type: 'log' }, title: 'parameters p' },
        y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: 'Lipschitz constant' },
        color: { field: 'class', type: 'nominal', title: 'class', sort: 'ascending' },
        strokeDash: { field: 'series', type: 'nominal', title: 'series', scale: { domain: [...LIP_SERIES], range: [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 4]] } },
        shape: { field: 'series', type: 'nominal', title: 'series', scale: { domain: [...LIP_SERIES] } },
      },
    },
    config: CONFIG,
  };
}

/** R = lower / law per class (points) and R_upper = upper / law (ticks), against the tolerance tau and 1. */
export function ratioPlot(records: readonly SweepRecord[], tau: number, replay?: ReplayFn): TopLevelSpec {
  const rows = records
    .filter((r) => r.R !== null && r.R > 0)
    .map((r) => ({ class: seriesLabel(r), R: r.R!, Rupper: r.Rupper, inRegime: r.inLawRegime ? 'in the law regime' : 'outside (eps < 0.1 or n eps^2 < 8k)', id: r.id, ...instanceDetails(r, replay) }))
    .sort((a, b) => cmp(a.class, b.class) || cmp(a.id, b.id));
  return {
    $schema: SCHEMA,
    title: { text: 'R = certified Lip lower bound / (eps sqrt(n d / p)), per class', subtitle: [`circles: R (lower bound); ticks: upper bound / law; orange-red rule: tolerance tau = ${tau}; grey rule: R = 1`] },
    description: `R, the certified lower bound over the law, for each of ${rows.length} instances, grouped by class on a log scale, with the upper bound over the law as ticks, the tolerance tau = ${tau} and R = 1 as rules; smallest R ${rows.length ? Number(Math.min(...rows.map((r) => r.R)).toPrecision(4)) : '-'}.`,
    params: [highlightParam],
    width: 420,
    height: 260,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, opacity: 0.7 },
        encoding: {
          x: { field: 'class', type: 'nominal', title: null, sort: 'ascending', axis: { labelAngle: -30 } },
          y: { field: 'R', type: 'quantitative', scale: { type: 'log' }, title: 'R' },
          shape: { field: 'inRegime', type: 'nominal', title: null, legend: { labelLimit: 400 } },
          xOffset: { field: 'id', type: 'nominal', legend: null },
          color: { field: 'class', type: 'nominal', title: 'class', sort: 'ascending' },
          opacity: classOpacity,
          size: { condition: { test: highlighted('datum.id === rl_hl'), value: 220 }, value: 30 },
          stroke: { condition: { test: highlighted('datum.id === rl_hl'), value: '#000' }, value: null },
          tooltip: tooltipEncoding(INSTANCE_TOOLTIP),
        },
        params: [classParam],
      },
      {
        data: { values: rows.filter((r) => r.Rupper !== null && r.Rupper > 0) },
        mark: { type: 'tick', color: '#555', thickness: 1 },
        encoding: { x: { field: 'class', type: 'nominal', sort: 'ascending' }, y: { field: 'Rupper', type: 'quantitative' } },
      },
      { data: { values: [{ y: tau }] }, mark: { type: 'rule', color: TAU_COLOUR, strokeDash: [4, 2] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
      { data: { values: [{ y: 1 }] }, mark: { type: 'rule', color: '#888' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}

/** Fitted log-log slopes of Lip against p with 95% intervals; the law predicts -1/2 for n <= p <= n d. */
export function slopesPlot(slopes: readonly SlopeSummary[]): TopLevelSpec {
  const rows = slopes.map((s) => ({ curve: `${s.label} | ${s.group}`, statistic: s.statistic, slope: s.slope, lo: s.lo ?? s.slope, hi: s.hi ?? s.slope, points: s.points }));
  return {
    $schema: SCHEMA,
    title: { text: 'Fitted exponent of Lip against p (log-log least squares, 95% intervals)', subtitle: ['orange-red rule: the law\'s -1/2; grey rule: 0 (no dependence on p)'] },
    description: `Fitted log-log slopes of the Lipschitz bounds against p with 95% intervals for ${rows.length} curves, against the law's -1/2 and 0.`,
    width: 360,
    height: { step: 22 },
    layer: [
      {
        data: { values: rows },
        mark: { type: 'errorbar', ticks: true },
        encoding: { y: { field: 'curve', type: 'nominal', title: null, sort: 'ascending', axis: { labelLimit: 420 } }, yOffset: { field: 'statistic', type: 'nominal' }, x: { field: 'lo', type: 'quantitative', title: 'slope' }, x2: { field: 'hi' }, color: { field: 'statistic', type: 'nominal', title: 'regressed' } },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true },
        encoding: {
          y: { field: 'curve', type: 'nominal', sort: 'ascending' },
          yOffset: { field: 'statistic', type: 'nominal' },
          x: { field: 'slope', type: 'quantitative' },
          color: { field: 'statistic', type: 'nominal' },
          tooltip: [{ field: 'curve', title: 'class | data' }, { field: 'statistic', title: 'regressed' }, { field: 'slope', format: '.4~g' }, { field: 'lo', title: '95% low', format: '.4~g' }, { field: 'hi', title: '95% high', format: '.4~g' }, { field: 'points' }],
        },
      },
      { data: { values: [{ x: -0.5 }] }, mark: { type: 'rule', color: TAU_COLOUR, strokeDash: [4, 2] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
      { data: { values: [{ x: 0 }] }, mark: { type: 'rule', color: '#888' }, encoding: { x: { field: 'x', type: 'quantitative' } } },
    ],
    config: CONFIG,
  };
}

/** Benchmark bars: GFLOP/s per case and backend (log scale), from a `robustlaw-bench/1` result. */
export function benchPlot(bench: BenchResult, source: string): TopLevelSpec {
  const rows = bench.rows.map((r) => ({ case: r.caseId, backend: `${r.backend} (${r.mode})`, gflops: r.gflops })).sort((a, b) => cmp(a.case, b.case) || cmp(a.backend, b.backend));
  return {
    $schema: SCHEMA,
    description: `Bars of the benchmark throughput in GFLOP/s per case and backend, ${rows.length} bars on a log scale.`,
    title: { text: 'Kernel throughput by backend (GFLOP/s, log scale)', subtitle: [`${source}: ${String(bench.environment.cpu ?? '')}, ${String(bench.environment.cores ?? '?')} cores, node ${String(bench.environment.node ?? '')}`] },
    data: { values: rows },
    width: 420,
    height: { step: 7 },
    mark: 'bar',
    encoding: {
      tooltip: [{ field: 'case' }, { field: 'backend', title: 'backend (mode)' }, { field: 'gflops', title: 'GFLOP/s', format: '.4~g' }],
      y: { field: 'case', type: 'nominal', title: null, sort: 'ascending', axis: { labelLimit: 300 } },
      yOffset: { field: 'backend', type: 'nominal', sort: 'ascending' },
      x: { field: 'gflops', type: 'quantitative', scale: { type: 'log', domainMin: 0.1 }, stack: null, title: 'GFLOP/s' },
      x2: { datum: 0.1 },
      color: { field: 'backend', type: 'nominal', title: 'backend (mode)', sort: 'ascending', legend: { labelLimit: 400 } },
    },
    config: CONFIG,
  };
}

/**
 * Certified Lipschitz bounds against the law's prediction, one point per instance (log-log): the lower
 * bound (filled) and the upper bound (open) of each instance, with the lines Lip = law and Lip = tau law.
 * Reads at a glance for heterogeneous runs (verify) where a per-p plot would need a panel per instance.
 */
export function lawScatterPlot(records: readonly SweepRecord[], tau: number, replay?: ReplayFn): TopLevelSpec {
  const rows = records
    .filter((r) => r.law !== null && r.law > 0)
    .flatMap((r) => [
      { id: r.id, class: seriesLabel(r), law: r.law!, value: r.lower, bound: 'Lip lower (certified)', ...instanceDetails(r, replay) },
      ...(r.upper !== null ? [{ id: r.id, class: seriesLabel(r), law: r.law!, value: r.upper, bound: 'Lip upper (certified)', ...instanceDetails(r, replay) }] : []),
    ])
    .filter((r) => r.value > 0)
    .sort((a, b) => cmp(a.id, b.id) || cmp(a.bound, b.bound));
  const lo = Math.min(...rows.map((r) => Math.min(r.law, r.value)), 1);
  const hi = Math.max(...rows.map((r) => Math.max(r.law, r.value)), 1);
  const line = [lo / 2, hi * 2];
  return {
    $schema: SCHEMA,
    title: { text: 'Certified Lipschitz bounds against the law eps sqrt(n d / p)', subtitle: ['one instance per pair of marks; grey line: Lip = law', `orange-red dashed: Lip = tau law (tau = ${tau}); a certified upper bound below it would be a counterexample`] },
    description: `Log-log scatter of the certified Lipschitz lower bound (filled) and upper bound (open) of each of ${new Set(rows.map((r) => r.id)).size} instances against the law eps sqrt(nd/p), with the lines Lip = law and Lip = tau law (tau = ${tau}); ${rows.filter((r) => r.bound === 'Lip upper (certified)' && r.value < tau * r.law).length} upper bounds lie below tau law.`,
    params: [highlightParam],
    width: 420,
    height: 320,
    layer: [
      { data: { values: line.map((x) => ({ x, y: x })) }, mark: { type: 'line', color: '#888' }, encoding: { x: { field: 'x', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'y', type: 'quantitative', scale: { type: 'log' } } } },
      { data: { values: line.map((x) => ({ x, y: tau * x })) }, mark: { type: 'line', color: TAU_COLOUR, strokeDash: [4, 2] }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
      {
        data: { values: rows },
        mark: { type: 'point', opacity: 0.8 },
        encoding: {
          x: { field: 'law', type: 'quantitative', title: 'law eps sqrt(n d / p)' },
          y: { field: 'value', type: 'quantitative', title: 'Lipschitz constant' },
          color: { field: 'class', type: 'nominal', title: 'class', sort: 'ascending' },
          shape: { field: 'bound', type: 'nominal', title: null },
          fill: { condition: { test: "datum.bound === 'Lip lower (certified)'", field: 'class', type: 'nominal' }, value: 'transparent' },
          opacity: classOpacity,
          size: { condition: { test: highlighted('datum.id === rl_hl'), value: 220 }, value: 30 },
          strokeWidth: { condition: { test: highlighted('datum.id === rl_hl'), value: 3 }, value: 1 },
          tooltip: tooltipEncoding(INSTANCE_TOOLTIP),
        },
        params: [classParam],
      },
    ],
    config: CONFIG,
  };
}
