import type { TopLevelSpec } from 'vega-lite';
import type { FamilyResult } from '../law/regime-family.js';
import { LAW_TOLERANCE } from '../law/verdict.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = { font: 'sans-serif', view: { stroke: '#ccc' }, axis: { labelFontSize: 10, titleFontSize: 11 }, legend: { labelLimit: 360 } };

/** The series of the family plot, in legend order. */
export const FAMILY_SERIES = ['certified R', 'fitted slope', 'predicted slope'] as const;

/**
 * Rows of the family plot: the certified R at each value; the fitted line exp(a) v^b of
 * src/report/slope.ts; and the prediction's slope drawn through the centroid of the measured (log v, log R),
 * so the two lines differ only in their slopes (docs/science.md section 5, "Scaling families").
 */
export function familyRows(f: FamilyResult): { series: string; value: number; R: number }[] {
  const pts = f.points.filter((q) => q.R !== null && q.R > 0);
  const rows: { series: string; value: number; R: number }[] = pts.map((q) => ({ series: FAMILY_SERIES[0], value: q.value, R: q.R! }));
  if (f.slope !== null && pts.length >= 2) {
    const lx = pts.map((q) => Math.log(q.value));
    const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
    const my = pts.reduce((s, q) => s + Math.log(q.R!), 0) / pts.length;
    for (const q of pts) {
      rows.push({ series: FAMILY_SERIES[1], value: q.value, R: Math.exp(f.slope.intercept + f.slope.slope * Math.log(q.value)) });
      rows.push({ series: FAMILY_SERIES[2], value: q.value, R: Math.exp(my + f.predictedSlope * (Math.log(q.value) - mx)) });
    }
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
      subtitle: [`${f.fixed}; every point ${f.allInPremise ? 'inside' : 'NOT all inside'} the premise`, `${fit}, predicted ${f.predictedSlope.toPrecision(3)}; rule: tau = ${LAW_TOLERANCE}`],
    },
    description: `Log-log plot of the certified ratio R against ${f.parameter} over ${f.points.length} doublings, with the least-squares line and the predicted slope through the points' centroid, and the tolerance tau = ${LAW_TOLERANCE}.`,
    width: 420,
    height: 260,
    layer: [
      {
        data: { values: familyRows(f) },
        mark: { type: 'line', point: true, clip: true, strokeWidth: 1.5 },
        encoding: {
          x: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: f.parameter },
          y: { field: 'R', type: 'quantitative', scale: { type: 'log' }, title: 'R = certified statistic / (eps sqrt(n d / p))' },
          color: { field: 'series', type: 'nominal', title: null, scale: { domain: [...FAMILY_SERIES] } },
          strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: [...FAMILY_SERIES], range: [[1, 0], [6, 3], [2, 2]] } },
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
