import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { InputError } from '../../src/core/input-error.js';
import { minSamplesForKCondition, theorem3, type Theorem3Input } from '../../src/law/theorem3.js';
import { theorem2 } from '../../src/law/theorem2.js';
import { informalLaw, parametersNeeded } from '../../src/law/informal.js';
import { realDataTable } from '../../src/law/real-data.js';
import { NEURIPS_2021, type LawConstants } from '../../src/law/constants.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Random valid inputs of Theorem 3 (applicability not required: `formula` is always defined). */
const inputArb: fc.Arbitrary<Theorem3Input> = fc.record({
  n: fc.integer({ min: 1, max: 1e9 }),
  d: fc.integer({ min: 1, max: 1e6 }),
  p: fc.integer({ min: 1, max: 1e9 }),
  eps: fc.double({ min: 0.001, max: 0.999, noNaN: true }),
  delta: fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
  c: fc.double({ min: 0.01, max: 100, noNaN: true }),
  W: fc.double({ min: 1, max: 1e6, noNaN: true }),
  J: fc.double({ min: 1, max: 1e6, noNaN: true }),
  k: fc.integer({ min: 1, max: 1000 }),
});

type BoundFn = (i: Theorem3Input) => number;
const real: BoundFn = (i) => theorem3(i).formula;

/** Property: the bound grows (weakly) with n, d and eps and shrinks with p, W, J and c. */
function monotoneProperty(bound: BoundFn) {
  return fc.property(inputArb, fc.double({ min: 1.01, max: 10, noNaN: true }), (i, f) => {
    const b = bound(i);
    const up = (key: 'n' | 'd' | 'p') => ({ ...i, [key]: Math.round(i[key] * f) + 1 });
    expect(bound(up('n'))).toBeGreaterThanOrEqual(b);
    expect(bound(up('d'))).toBeGreaterThanOrEqual(b);
    expect(bound({ ...i, eps: Math.min(0.9999, i.eps * f) })).toBeGreaterThanOrEqual(b);
    expect(bound(up('p'))).toBeLessThanOrEqual(b);
    expect(bound({ ...i, W: i.W * f })).toBeLessThanOrEqual(b);
    expect(bound({ ...i, J: i.J * f })).toBeLessThanOrEqual(b);
    expect(bound({ ...i, c: (i.c ?? 1) * f })).toBeLessThanOrEqual(b);
  });
}

/** Property: exactly sqrt(n) and sqrt(d) scaling (the log term depends on neither). */
function sqrtScalingProperty(bound: BoundFn) {
  return fc.property(inputArb, fc.integer({ min: 2, max: 9 }), (i, m) => {
    const b = bound(i);
    expect(rel(bound({ ...i, n: i.n * m * m }), m * b)).toBeLessThan(1e-12);
    expect(rel(bound({ ...i, d: i.d * m * m }), m * b)).toBeLessThan(1e-12);
  });
}

describe('Theorem 3: reference values (docs/science.md section 7)', () => {
  it('eps = 0.5, c = 1, n = 1e6, d = 1000, p = 1e4, W = J = 10, delta = 0.01 gives 0.10076', () => {
    const r = theorem3({ n: 1e6, d: 1000, p: 1e4, eps: 0.5, c: 1, W: 10, J: 10, delta: 0.01 });
    expect(r.applies).toBe(true);
    expect(r.failedAssumptions).toEqual([]);
    expect(rel(r.bound!, 0.10076)).toBeLessThan(1e-4);
    // Golden value from the formula by hand: 0.5/512 * sqrt(1e9 / (1e4 ln 12000 + ln 400)).
    expect(rel(r.bound!, (0.5 / 512) * Math.sqrt(1e9 / (1e4 * Math.log(12000) + Math.log(400))))).toBeLessThan(1e-14);
  });

  it('eps = 0.1, n = 6e4, d = 784 (MNIST-like): not applicable, naming the k-condition', () => {
    const r = theorem3({ n: 6e4, d: 784, p: 1e5, eps: 0.1, W: 10, J: 10, delta: 0.01 });
    expect(r.applies).toBe(false);
    expect(r.bound).toBeNull();
    expect(r.failedAssumptions.map((f) => f.id)).toEqual(['k-condition']);
    expect(rel(r.kCondition.lhs, 4096 * Math.log(800))).toBeLessThan(1e-12);
    expect(rel(r.kCondition.lhs, 27376)).toBeLessThan(2e-4); // docs/science.md quotes 27,376
    expect(r.kCondition.rhs).toBeCloseTo(600, 9);
  });

  it('its regime at eps ~ 1 (exact interpolation of sign noise, delta = 0.01): n >= 27,381 for k = 1, 60,439 for k = 2 (properties/law.prop.ts draws there)', () => {
    const eps = 1 - 1e-9; // the verdict's eps' for eps >= 1
    expect(minSamplesForKCondition(eps, 1)).toBe(27_381);
    expect(minSamplesForKCondition(eps, 2)).toBe(60_439);
    expect(theorem3({ n: 27_381, d: 3, p: 27_381 * 4, eps, W: 10, J: 10 }).applies).toBe(true);
    expect(theorem3({ n: 27_380, d: 3, p: 27_380 * 4, eps, W: 10, J: 10 }).failedAssumptions.map((f) => f.id)).toEqual(['k-condition']);
  });

  it('sigma^2 <= 0 and a negative log term are listed as failed assumptions', () => {
    const r = theorem3({ n: 1e6, d: 10, p: 10, eps: 0.5, W: 0.001, J: 0.001, sigma2: 0 });
    expect(r.failedAssumptions.map((f) => f.id).sort()).toEqual(['log-term', 'sigma2']);
    expect(r.bound).toBeNull();
  });

  it('constants are data: another set changes the value without touching the formula', () => {
    const alt: LawConstants = { ...NEURIPS_2021, label: 'test', theorem3: { ...NEURIPS_2021.theorem3, prefactor: 2 ** 8 } };
    const i = { n: 1e6, d: 1000, p: 1e4, eps: 0.5, W: 10, J: 10 };
    expect(rel(theorem3({ ...i, constants: alt }).bound!, 2 * theorem3(i).bound!)).toBeLessThan(1e-14);
    expect(theorem3({ ...i, constants: alt }).constants).toBe('test');
  });
});

describe('Theorem 3: properties', () => {
  it('grows with n, d, eps and shrinks with p, W, J, c', () => {
    fc.assert(monotoneProperty(real));
  });
  it('scales exactly as sqrt(n) and sqrt(d)', () => {
    fc.assert(sqrtScalingProperty(real));
  });
  it('the monotonicity property catches a bound that shrinks with n (known bad input)', () => {
    const bad: BoundFn = (i) => theorem3(i).formula / i.n;
    expect(fc.check(monotoneProperty(bad), { numRuns: 50 }).failed).toBe(true);
  });
  it('the scaling property catches a bound with n to the power 0.6 (known bad input)', () => {
    const bad: BoundFn = (i) => theorem3(i).formula * i.n ** 0.1;
    expect(fc.check(sqrtScalingProperty(bad), { numRuns: 50 }).failed).toBe(true);
  });

  test.prop([
    fc.double({ min: 0.01, max: 0.999, noNaN: true }),
    fc.integer({ min: 1, max: 500 }),
    fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
  ])('the applicability guard flips exactly at the k-condition boundary', (eps, k, delta) => {
    const nStar = minSamplesForKCondition(eps, k, delta);
    const at = theorem3({ n: nStar, d: 10, p: 10, eps, delta, k, W: 10, J: 10 });
    expect(at.applies).toBe(true);
    expect(at.kCondition.lhs).toBeLessThanOrEqual(at.kCondition.rhs);
    if (nStar > 1) {
      const below = theorem3({ n: nStar - 1, d: 10, p: 10, eps, delta, k, W: 10, J: 10 });
      expect(below.applies).toBe(false);
      expect(below.failedAssumptions[0].id).toBe('k-condition');
    }
  });
});

describe('Theorem 3: bad input', () => {
  const ok = { n: 100, d: 10, p: 10, eps: 0.5, W: 10, J: 10 };
  it.each([
    [{ n: 0 }, /theorem3: n must be an integer >= 1 \(got 0\)/],
    [{ n: 1.5 }, /theorem3: n must be an integer >= 1 \(got 1.5\)/],
    [{ d: Number.NaN }, /theorem3: d must be a finite number >= 1 \(got NaN\)/],
    [{ p: 0 }, /theorem3: p must be an integer >= 1/],
    [{ eps: 0 }, /theorem3: eps must be in \(0, 1\) \(got 0\)/],
    [{ eps: -0 }, /theorem3: eps must be in \(0, 1\) \(got -0\)/],
    [{ eps: 1 }, /theorem3: eps must be in \(0, 1\) \(got 1\)/],
    [{ eps: Number.POSITIVE_INFINITY }, /eps must be a finite number/],
    [{ delta: 1 }, /theorem3: delta must be in \(0, 1\)/],
    [{ c: 0 }, /theorem3: c must be a finite number > 0/],
    [{ W: -1 }, /theorem3: W must be a finite number > 0/],
    [{ k: 0 }, /theorem3: k must be an integer >= 1/],
  ])('rejects %o', (patch, msg) => {
    expect(() => theorem3({ ...ok, ...patch })).toThrow(msg);
  });
  it('throws an InputError naming the input for a non-number', () => {
    expect(() => theorem3({ ...ok, n: '100' as unknown as number })).toThrow(InputError);
    expect(() => theorem3({ ...ok, n: '100' as unknown as number })).toThrow(/theorem3: n must be a number >= 1 \(got "100"\)/);
  });
});

describe('Theorem 2, informal law and real-data arithmetic', () => {
  it('Theorem 2 is the sum of its two terms, capped at 1', () => {
    const r = theorem2({ n: 1e4, d: 100, eps: 0.5, L: 1, logClassSize: 10 });
    expect(rel(r.sampleTerm, 4 * Math.exp((-1e4 * 0.25) / 512))).toBeLessThan(1e-12);
    expect(rel(r.classTerm, 2 * Math.exp(10 - (0.25 * 1e6) / 4096))).toBeLessThan(1e-12);
    expect(r.classTerm).toBeGreaterThan(0);
    expect(r.probability).toBe(Math.min(1, r.raw));
    expect(theorem2({ n: 10, d: 1, eps: 0.1, L: 100, logClassSize: 0 }).probability).toBe(1);
  });
  test.prop([fc.integer({ min: 1, max: 1e7 }), fc.integer({ min: 1, max: 1e4 }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true })])(
    'parametersNeeded inverts the informal law',
    (n, d, eps, lip) => {
      const p = parametersNeeded(n, d, eps, lip);
      expect(rel(informalLaw(n, d, p, eps), lip)).toBeLessThan(1e-12);
    },
  );
  it('reproduces the paper section 1.1 numbers: MNIST n d in [9e5, 9e6], ImageNet 1e10 to 1e11', () => {
    const rows = realDataTable();
    const mnist = rows.filter((r) => r.dataset === 'MNIST' && r.dKind.startsWith('effective'));
    expect(mnist.map((r) => r.pSmooth)).toEqual([9e5, 9e6]);
    const imagenet = rows.filter((r) => r.dataset === 'ImageNet' && r.dKind.startsWith('effective'));
    for (const r of imagenet) {
      expect(r.pSmooth).toBeGreaterThanOrEqual(1e10);
      expect(r.pSmooth).toBeLessThanOrEqual(1e11);
    }
    expect(rows.every((r) => r.pInterpolate === r.n)).toBe(true);
  });
});
