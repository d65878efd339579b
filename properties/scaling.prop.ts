import { afterAll, describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import { DEEP } from './arbitraries.js';
import { ntkCase, oddOverEvenRatio, pairCase, pGrid, rfCase, scalingRun, slopesOf, type ScalingCase } from './cases.js';
import type { ActivationName } from '../src/activations/activation.js';

// Bands and the runs that measured them: docs/properties.md section 2 (`npx tsx properties/measure-bands.ts`).

/** Band of the midpoint slope of even-activation NTK features over p = 8n .. n d (the law's exponent is -1/2). */
export const LAW_WINDOW = [-0.78, -0.28] as const;
export const inLawWindow = (s: number) => s >= LAW_WINDOW[0] && s <= LAW_WINDOW[1];
/** Random features with a non-even activation: the slope stays above this. */
export const FLAT_ABOVE = -0.25;
export const flatterThanLaw = (s: number) => s > FLAT_ABOVE;
/** Odd (tanh) over even (cos) NTK features at p = n d: at least this ratio of certified lower bounds. */
export const ODD_OVER_EVEN = 1.2;

/** Measured values of this run (printed in the deep profile). */
const seen: Record<string, number[]> = {};
const note = (key: string, v: number) => (seen[key] ??= []).push(v);

/** Property bodies (exported so the known-bad tests can feed them). */
export const checks = {
  ntk(c: ScalingCase, run = scalingRun) {
    const r = run('ntk-features', c);
    note(`ntk ${c.activation} slope`, r.slope);
    expect(r.slope, JSON.stringify({ c, r })).toSatisfy(inLawWindow);
  },
  randomFeatures(c: ScalingCase, run = scalingRun) {
    const r = run('random-features', c);
    note(`random-features ${c.activation} slope`, r.slope);
    expect(r.slope, JSON.stringify({ c, r })).toSatisfy(flatterThanLaw);
  },
  oddOverEven(c: { n: number; d: number; seed: number }, at?: (a: ActivationName) => number) {
    const ratio = oddOverEvenRatio(c, at);
    note('ntk tanh / cos lower at p = n d', ratio);
    expect(ratio, JSON.stringify(c)).toBeGreaterThanOrEqual(ODD_OVER_EVEN);
  },
};

describe('scaling of Lip with p over p = 8n .. n d on the sphere, sizes and activations drawn (docs/science.md section 4)', () => {
  test.prop([ntkCase], { numRuns: DEEP ? 16 : 3 })(`even-activation NTK features (cos, square): slope in [${LAW_WINDOW.join(', ')}]`, (c) => checks.ntk(c));

  test.prop([rfCase], { numRuns: DEEP ? 12 : 2 })(`random features with relu, tanh or softplus: clearly flatter (slope above ${FLAT_ABOVE})`, (c) => checks.randomFeatures(c));

  test.prop([pairCase], { numRuns: DEEP ? 16 : 3 })(`odd activation (tanh) NTK features stay above the even ones (cos) at p = n d: ratio >= ${ODD_OVER_EVEN}`, (c) => checks.oddOverEven(c));

  // the deep profile prints what it measured, as evidence (docs/properties.md): a report, not a test
  if (DEEP) afterAll(() => console.log(Object.entries(seen).map(([k, v]) => `${k}: min ${Math.min(...v).toFixed(3)} max ${Math.max(...v).toFixed(3)} (${v.length} cases)`).join('\n')));
});

describe('the scaling checks bite (known bad inputs)', () => {
  const fixed = (e: number) => () => slopesOf(pGrid(64, 64).map((p) => ({ p, lower: 3 * p ** e, upper: 9 * p ** e })));
  const c = { n: 64, d: 64, activation: 'cos' as const, seed: 1 };
  it('the law window rejects a Lip decaying like p^-0.1 (random-feature-like) and like p^-1', () => {
    expect(() => checks.ntk(c, fixed(-0.1))).toThrow();
    expect(() => checks.ntk(c, fixed(-1))).toThrow();
    expect(() => checks.ntk(c, fixed(-0.5))).not.toThrow();
  });
  it('the flatness check rejects a law-like p^-0.5 decay', () => {
    expect(() => checks.randomFeatures(c, fixed(-0.5))).toThrow();
    expect(() => checks.randomFeatures(c, fixed(-0.1))).not.toThrow();
  });
  it('the odd-over-even check rejects equal activations (cos against cos)', () => {
    expect(() => checks.oddOverEven(c, () => 1)).toThrow();
  });
});
