import type { TopLevelSpec } from 'vega-lite';
import type { FamilyResult } from '../search/regime-family.js';
import { LAW_TOLERANCE } from '../law/verdict.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = { font: 'sans-serif', view: { stroke: '#ccc' }, axis: { labelFontSize: 10, titleFontSize: 11 }, legend: { labelLimit: 360 } };

/** The series of the family plot, in legend order. */
export const FAMILY_SERIES = ['certified R', 'fitted slope', 'predicted'] as const;

/**
 * Rows of the family plot: the certified R at each value; the fitted line exp(a) v^b of
 * src/law/slope.ts; and the predicted R (known up to a constant) scaled so that its mean log equals the
 * measured one: for the power-law families a line that differs from the fit only in its slope, for
 * `average` the predicted curve (docs/science.md section 5, "Scaling families").
 */
export function familyRows(f: FamilyResult): { series: string; value: number; R: number }[] {
  const pts = f.points.filter((q) => q.R !== null && q.R > 0);
  const rows: { series: string; value: number; R: number }[] = pts.map((q) => ({ series: FAMILY_SERIES[0], value: q.value, R: q.R! }));
  if (f.slope !== null && pts.length >= 2) {
    const idx = f.points.map((q, i) => (q.R !== null && q.R > 0 && f.predicted[i] > 0 ? i : -1)).filter((i) => i >= 0);
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const shift = mean(idx.map((i) => Math.log(f.points[i].R!))) - mean(idx.map((i) => Math.log(f.predicted[i])));
    for (const q of pts) rows.push({ series: FAMILY_SERIES[1], value: q.value, R: Math.exp(f.slope.intercept + f.slope.slope * Math.log(q.value)) });
    for (const i of idx) rows.push({ series: FAMILY_SERIES[2], value: f.points[i].value, R: Math.exp(Math.log(f.predicted[i]) + shift) });
  }
  return rows;
}

/** Log-log plot of a family's certified R against its parameter, with the fitted and predicted slopes and the tolerance tau. */
export function familyPlot(f: FamilyResult): TopLevelSpec {
  const fit = f.slope === null ? 'no fit' : `fitted slope ${f.slope.slope.toPrecision(3)}${f.slope.lo === null ? '' : ` [${f.slope.lo.toPrecision(3)}, ${f.slope.hi!.toPrecision(3)}]`}`;
  return {
    $schema: SCHEMA,
    title: {
      text: `${f.regime}: certified R against ${f.parameter} (seed ${f.seed})`,
      subtitle: [
        `${f.fixed}; every point ${f.allInPremise ? 'inside' : 'NOT all inside'} the premise`,
        `${fit}, predicted ${f.predictedSlope.toPrecision(3)} (the prediction drawn through the points' mean); dashed rule: tau = ${LAW_TOLERANCE}`,
      ],
    },
    description: `Log-log plot of the certified ratio R against ${f.parameter} over ${f.points.length} doublings, with the least-squares line and the predicted slope through the points' centroid, and the tolerance tau = ${LAW_TOLERANCE}.`,
    width: 420,
    height: 260,
    layer: [
      {
        data: { values: familyRows(f) },
        mark: { type: 'line', clip: true, strokeWidth: 1.5 },
        encoding: {
          x: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: f.parameter },
          y: { field: 'R', type: 'quantitative', scale: { type: 'log' }, title: 'R = certified statistic / (eps sqrt(n d / p))' },
          color: { field: 'series', type: 'nominal', title: null, scale: { domain: [...FAMILY_SERIES] } },
          strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: [...FAMILY_SERIES], range: [[1, 0], [6, 3], [2, 2]] } },
        },
      },
      {
        data: { values: familyRows(f).filter((r) => r.series === FAMILY_SERIES[0]) },
        mark: { type: 'point', filled: true, size: 40, clip: true },
        encoding: {
          x: { field: 'value', type: 'quantitative', scale: { type: 'log' } },
          y: { field: 'R', type: 'quantitative', scale: { type: 'log' } },
          color: { field: 'series', type: 'nominal', title: null, scale: { domain: [...FAMILY_SERIES] } },
        },
      },
      {
        data: { values: [{ tau: LAW_TOLERANCE }] },
        mark: { type: 'rule', color: 'orangered', strokeDash: [4, 4] },
        encoding: { y: { field: 'tau', type: 'quantitative' } },
      },
    ],
    config: CONFIG,
  };
}
