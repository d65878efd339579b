import { afterAll, describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import { DEEP } from './arbitraries.js';
import { bumpsBand, bumpsCase, bumpsReport, inBumpsBand, NTK_TRACK, trackCase, trackGrid, trackRows, tracksLaw, type BumpsCase } from './cases.js';

// Bands, their derivations and the runs that measured them: docs/properties.md section 3.

const seen: Record<string, number[]> = {};
const note = (key: string, v: number) => (seen[key] ??= []).push(v);

describe('tightness from above: the law is sharp (sizes drawn)', () => {
  test.prop([bumpsCase], { numRuns: DEEP ? 100 : 10 })('bumps on the sphere: exact R within the derived band (2 sup|g\'| / (eps dmin)) sqrt((d+1)/d), dmin in [sqrt(2 - 2 t*), sqrt 2]', (c) => {
    const r = bumpsReport(c);
    const band = bumpsBand(c.n, c.d, r.eps, c.profile);
    note(`bumps R / upper end of band`, r.R! / band![1]);
    note(`bumps R / lower end of band`, r.R! / band![0]);
    expect(inBumpsBand(c, r), JSON.stringify({ c, R: r.R, exact: r.exact, eps: r.eps, band })).toBe(true);
  });

  test.prop([trackCase], { numRuns: DEEP ? 12 : 2 })(`NTK features with cos or square track eps sqrt(n d / p) over p = 16n .. n d: lower / law in [${NTK_TRACK.lower.join(', ')}], upper / law in [${NTK_TRACK.upper.join(', ')}], spread <= ${NTK_TRACK.spread}`, (c) => {
    const rows = trackRows(c);
    for (const r of rows) {
      note(`ntk ${c.activation} lower / law`, r.Rlower);
      note(`ntk ${c.activation} upper / law`, r.Rupper ?? Number.NaN);
    }
    note(`ntk ${c.activation} spread`, Math.max(...rows.map((r) => r.Rlower)) / Math.min(...rows.map((r) => r.Rlower)));
    expect(tracksLaw(rows), JSON.stringify({ c, rows })).toBe(true);
  });

  // the deep profile prints what it measured, as evidence (docs/properties.md): a report, not a test
  if (DEEP) afterAll(() => console.log(Object.entries(seen).map(([k, v]) => `${k}: min ${Math.min(...v).toFixed(3)} max ${Math.max(...v).toFixed(3)} (${v.length} values)`).join('\n')));
});

describe('the tightness checks bite (known bad inputs)', () => {
  it('the bumps band rejects a Lip 3x too large (radius a third of the derived one) and a value below sqrt 2 / r', () => {
    const c: BumpsCase = { n: 200, d: 100, profile: 'hat', eta: 0.5, seed: 1 };
    const [lo, hi] = bumpsBand(c.n, c.d, 1, c.profile)!;
    expect(inBumpsBand(c, { R: 3 * hi, exact: 1, eps: 1 })).toBe(false);
    expect(inBumpsBand(c, { R: 0.9 * lo, exact: 1, eps: 1 })).toBe(false);
    expect(inBumpsBand(c, { R: (lo + hi) / 2, exact: 1, eps: 1 })).toBe(true);
    expect(inBumpsBand(c, { R: (lo + hi) / 2, exact: null, eps: 1 })).toBe(false); // no exact value: no claim
  });
  it('the tracking check rejects a class whose Lip decays like p^-0.1 (random-feature-like)', () => {
    const g = trackGrid(100, 100);
    const rows = g.map((p) => ({ p, Rlower: 5 * (p / g[0]) ** 0.4, Rupper: 20 * (p / g[0]) ** 0.4 }));
    expect(tracksLaw(rows)).toBe(false);
  });
});
