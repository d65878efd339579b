/**
 * Measures the statistics the scaling and tightness bands are set from (docs/properties.md):
 *   npx tsx properties/measure-bands.ts [seed] [runs] [ntk|ntk-corners|rf|pair|track|bumps]
 * draws `runs` cases of each property's arbitrary from `seed` (fast-check's sampler, the same arbitraries
 * the properties use) and prints min, 5% / 50% / 95% quantiles and max of each statistic.
 */
import fc from 'fast-check';
import { bumpsBand, bumpsCase, bumpsReport, ntkCase, oddOverEvenRatio, pairCase, rfCase, scalingRun, trackCase, trackRows } from './cases.js';

const seed = Number(process.argv[2] ?? 1);
const runs = Number(process.argv[3] ?? 12);
const only = process.argv[4];
const stats: Record<string, number[]> = {};
const note = (k: string, v: number) => (stats[k] ??= []).push(v);
const q = (v: number[], f: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(f * (v.length - 1) + 0.5))];

const t0 = performance.now();
const want = (name: string) => only === undefined || only === name;
if (want('ntk')) for (const c of fc.sample(ntkCase, { seed, numRuns: runs })) {
  note(`ntk ${c.activation} slope`, scalingRun('ntk-features', c).slope);
}
// the corners of ntkCase's box (aspect 0.7 / 1.0 / 1.4, d = 60 / 125, both activations, 12 seeds each):
// the random draws above visit them rarely, and the steepest slopes live there (small n / d, square)
if (only === 'ntk-corners') for (const activation of ['square', 'cos'] as const) for (const aspect of [70, 100, 140]) for (const d of [60, 125]) {
  for (let s = 0; s < 12; s++) note(`ntk ${activation} slope (corners)`, scalingRun('ntk-features', { n: Math.round((d * aspect) / 100), d, activation, seed: s }).slope);
}
if (want('rf')) for (const c of fc.sample(rfCase, { seed, numRuns: runs })) note(`random-features ${c.activation} slope`, scalingRun('random-features', c).slope);
if (want('pair')) for (const c of fc.sample(pairCase, { seed, numRuns: runs })) note('ntk tanh / cos lower at p = n d', oddOverEvenRatio(c));
if (want('track')) for (const c of fc.sample(trackCase, { seed, numRuns: runs })) {
  const rows = trackRows(c);
  for (const r of rows) {
    note(`track ${c.activation} lower / law`, r.Rlower);
    note(`track ${c.activation} upper / law`, r.Rupper ?? Number.NaN);
  }
  note(`track ${c.activation} spread`, Math.max(...rows.map((r) => r.Rlower)) / Math.min(...rows.map((r) => r.Rlower)));
}
if (want('bumps')) for (const c of fc.sample(bumpsCase, { seed, numRuns: runs * 5 })) {
  const r = bumpsReport(c);
  const band = bumpsBand(c.n, c.d, r.eps, c.profile)!;
  note('bumps R / derived upper end', r.R! / band[1]);
  note('bumps R / derived lower end', r.R! / band[0]);
}
console.log(`measure-bands seed=${seed} runs=${runs}${only ? ` only=${only}` : ''} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
for (const [k, v] of Object.entries(stats)) console.log(`${k.padEnd(40)} n=${String(v.length).padStart(3)}  min ${q(v, 0).toFixed(3)}  q05 ${q(v, 0.05).toFixed(3)}  median ${q(v, 0.5).toFixed(3)}  q95 ${q(v, 0.95).toFixed(3)}  max ${q(v, 1).toFixed(3)}`);
