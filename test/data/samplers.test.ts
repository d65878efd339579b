import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Streams } from '../../src/core/streams.js';
import { DISTRIBUTION_NAMES, type Distribution, type DistributionName } from '../../src/data/distribution.js';
import { makeDistribution } from '../../src/data/make-distribution.js';
import { isoperimetryTailCheck } from '../../src/data/isoperimetry-check.js';

function draw(name: DistributionName, d: number, n: number, seed: number, opts = {}): { dist: Distribution; X: Float64Array } {
  const s = new Streams(seed);
  const dist = makeDistribution(name, d, opts, s);
  return { dist, X: dist.sample(n, s.stream('data')) };
}

/** Values of the 1-Lipschitz test functions <u, x> and (|<u,x>| - |<v,x>|)/sqrt(2) for orthonormal u, v. */
function testFunctionValues(X: Float64Array, n: number, d: number, u: Float64Array, v: Float64Array): [Float64Array, Float64Array] {
  const lin = new Float64Array(n);
  const fold = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    for (let j = 0; j < d; j++) {
      a += u[j] * X[i * d + j];
      b += v[j] * X[i * d + j];
    }
    lin[i] = a;
    fold[i] = (Math.abs(a) - Math.abs(b)) / Math.SQRT2;
  }
  return [lin, fold];
}

function unit(d: number, j: number): Float64Array {
  const e = new Float64Array(d);
  e[j] = 1;
  return e;
}

describe('samplers', () => {
  test.prop([fc.constantFrom(...DISTRIBUTION_NAMES), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 40 }), fc.nat()])(
    'same seed gives bit-identical data; another seed does not',
    (name, d, n, seed) => {
      const a = draw(name, d, n, seed).X;
      const b = draw(name, d, n, seed).X;
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      expect(a.every(Number.isFinite)).toBe(true);
      const c = draw(name, d, n, seed + 1).X;
      expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
    },
  );

  it('gaussian: E||x||^2 = 1 (6-sigma interval; Var ||x||^2 = 2/d)', () => {
    const d = 20;
    const n = 50_000;
    const { X } = draw('gaussian', d, n, 3);
    let s = 0;
    for (let i = 0; i < n * d; i++) s += X[i] * X[i];
    expect(Math.abs(s / n - 1)).toBeLessThan(6 * Math.sqrt(2 / d / n));
  });

  test.prop([fc.integer({ min: 2, max: 200 }), fc.nat()])('sphere: every ||x|| = 1 to 1e-12', (d, seed) => {
    const n = 10;
    const { X } = draw('sphere', d, n, seed);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j] ** 2;
      expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThan(1e-12);
    }
  });

  it('hypercube has diameter 1: every coordinate in [-s/2, s/2] with s = 1/sqrt(d)', () => {
    const d = 16;
    const { X } = draw('hypercube', d, 1000, 1);
    expect(Math.max(...X.map(Math.abs))).toBeLessThanOrEqual(0.5 / Math.sqrt(d));
  });

  it('reports c, k, intrinsic dimension and whether the assumptions hold', () => {
    const d = 50;
    const s = new Streams(1);
    expect(makeDistribution('gaussian', d, {}, s).isoperimetry.c).toBe(1);
    expect(makeDistribution('sphere', d, {}, s).isoperimetry.c).toBe(d / (d - 1));
    expect(makeDistribution('hypercube', d, {}, s).isoperimetry.kind).toBe('derived');
    const mix = makeDistribution('mixture', d, { k: 5 }, s);
    expect([mix.components, mix.assumptionsHold]).toEqual([5, true]);
    const sub = makeDistribution('subspace', d, { m: 5 }, s);
    expect([sub.intrinsicDim, sub.assumptionsHold, sub.isoperimetry.c]).toEqual([5, false, d / 4]);
    const cl = makeDistribution('clusters', d, { k: 150 }, s);
    expect([cl.components, cl.assumptionsHold]).toEqual([150, false]);
    expect(cl.notes[0]).toMatch(/8\^4 k ln/);
  });

  it('rejects bad parameters before drawing', () => {
    const s = new Streams(1);
    expect(() => makeDistribution('sphere', 1, {}, s)).toThrow(/sphere: d must be an integer >= 2 \(got 1\)/);
    expect(() => makeDistribution('subspace', 10, { m: 11 }, s)).toThrow(/subspace: distOptions.m must be an integer in \[2, 10\]/);
    expect(() => makeDistribution('mixture', 10, { k: 0 }, s)).toThrow(/mixture: distOptions.k must be an integer >= 1/);
    expect(() => makeDistribution('nope' as DistributionName, 10, {}, s)).toThrow(/makeDistribution: dist must be one of gaussian/);
    expect(() => makeDistribution('gaussian', 10, {}, s).sample(0, s.stream('data'))).toThrow(/gaussian.sample: n must be an integer >= 1/);
  });
});

describe('empirical isoperimetry (Definition 1.1) at level alpha = 1e-9', () => {
  const ts = [0.5, 1, 1.5, 2, 3].map((z) => z); // in units of 1/sqrt(d), scaled below
  const N = 20_000;

  it.each(['gaussian', 'sphere', 'hypercube'] as const)('%s passes with its reported c', (name) => {
    const d = 64;
    const { dist, X } = draw(name, d, N, 11);
    const [lin, fold] = testFunctionValues(X, N, d, unit(d, 0), unit(d, 1));
    for (const values of [lin, fold]) {
      const rows = isoperimetryTailCheck(values, 0, d, dist.isoperimetry.c!, 1, ts.map((z) => z / Math.sqrt(d)));
      expect(rows.filter((r) => !r.ok)).toEqual([]);
    }
  });

  it('subspace data FAIL the same check taken with the ambient d and c = 1', () => {
    const d = 200;
    const { dist, X } = draw('subspace', d, N, 11, { m: 3 });
    const U = dist.basis!;
    const u = new Float64Array(d);
    const v = new Float64Array(d);
    for (let r = 0; r < d; r++) {
      u[r] = U[r * 3];
      v[r] = U[r * 3 + 1];
    }
    const [lin] = testFunctionValues(X, N, d, u, v);
    const rows = isoperimetryTailCheck(lin, 0, d, 1, 1, [0.1, 0.3, 0.5]);
    expect(rows.some((r) => !r.ok)).toBe(true);
    // ... and pass with the c the distribution reports (d / (m - 1)).
    expect(isoperimetryTailCheck(lin, 0, d, dist.isoperimetry.c!, 1, [0.1, 0.3, 0.5]).every((r) => r.ok)).toBe(true);
  });
});
