import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/input-error.js';
import { Streams } from '../../src/core/streams.js';
import { covarianceSpectrum } from '../../src/data/effective-dimension/covariance-spectrum.js';
import { effectiveDimension, FAR_BELOW_FACTOR, MAX_POINTS } from '../../src/data/effective-dimension/effective-dimension.js';
import { participationRatio } from '../../src/data/effective-dimension/participation-ratio.js';
import { pcaDimension } from '../../src/data/effective-dimension/pca-dimension.js';
import { twoNN } from '../../src/data/effective-dimension/two-nn.js';
import { makeDistribution } from '../../src/data/make-distribution.js';
import type { DistributionName } from '../../src/data/distribution.js';

const draw = (name: DistributionName, n: number, d: number, seed: number, options: { m?: number; k?: number } = {}) => {
  const s = new Streams(seed);
  return makeDistribution(name, d, options, s).sample(n, s.stream('data'));
};

describe('PCA dimension and participation ratio (docs/science.md section 6)', () => {
  // spectrum 4, 3, 2, 1 (total 10): 90% needs 9 = 4 + 3 + 2 (k = 3), 95% needs 9.5 (k = 4);
  // PR = 10^2 / (16 + 9 + 4 + 1) = 100 / 30
  const spec = Float64Array.of(4, 3, 2, 1);
  it('gives the values computed by hand', () => {
    expect(pcaDimension(spec, 0.9)).toBe(3);
    expect(pcaDimension(spec, 0.95)).toBe(4);
    expect(pcaDimension(spec, 0.4)).toBe(1);
    expect(participationRatio(spec)).toBeCloseTo(100 / 30, 14);
    expect(participationRatio(Float64Array.of(5, 5, 5, 0))).toBeCloseTo(3, 14);
    expect(participationRatio(Float64Array.of(0, 0))).toBe(0);
    expect(pcaDimension(Float64Array.of(0, 0), 0.9)).toBe(0);
    // far from overflow or underflow: scaled by the largest eigenvalue
    expect(participationRatio(Float64Array.of(1e200, 1e200))).toBeCloseTo(2, 14);
    expect(participationRatio(Float64Array.of(1e-200, 1e-200))).toBeCloseTo(2, 14);
  });
  it('refuses a spectrum out of order, a negative eigenvalue and q outside (0, 1)', () => {
    expect(() => pcaDimension(Float64Array.of(1, 2), 0.9)).toThrow(InputError);
    expect(() => pcaDimension(Float64Array.of(1, -1), 0.9)).toThrow(InputError);
    expect(() => pcaDimension(spec, 1)).toThrow(InputError);
    expect(() => participationRatio(Float64Array.of(1, Number.NaN))).toThrow(InputError);
  });
});

describe('covarianceSpectrum', () => {
  it('has the variances of independent axis-aligned coordinates', () => {
    // x = (a, 2 b, 3 c) with a, b, c = +-1 over all 8 sign patterns: covariance diag(1, 4, 9), exactly
    const X: number[] = [];
    for (const a of [-1, 1]) for (const b of [-1, 1]) for (const c of [-1, 1]) X.push(a, 2 * b, 3 * c);
    const s = covarianceSpectrum(Float64Array.from(X), 8, 3);
    expect(Array.from(s).map((v) => Number(v.toFixed(10)))).toEqual([9, 4, 1]);
  });
  it('gives the same non-zero eigenvalues through the Gram matrix when n < d', () => {
    const n = 6;
    const X = draw('gaussian', n, 4, 3);
    // the same points with 20 zero columns appended (d = 24 > n): same covariance eigenvalues, then zeros
    const wide = new Float64Array(n * 24);
    for (let i = 0; i < n; i++) wide.set(X.subarray(i * 4, i * 4 + 4), i * 24);
    const a = covarianceSpectrum(X, n, 4);
    const b = covarianceSpectrum(wide, n, 24);
    expect(b.length).toBe(n);
    for (let i = 0; i < 4; i++) expect(b[i]).toBeCloseTo(a[i], 12);
    for (let i = 4; i < n; i++) expect(b[i]).toBeLessThan(1e-12);
  });
  it('refuses a matrix of the wrong size and non-finite entries', () => {
    expect(() => covarianceSpectrum(new Float64Array(5), 2, 3)).toThrow(InputError);
    expect(() => covarianceSpectrum(Float64Array.of(1, Number.POSITIVE_INFINITY, 0, 1), 2, 2)).toThrow(/X must be finite entries/);
  });
});

describe('TwoNN (Facco et al. 2017)', () => {
  it('finds the dimension of a flat m-dimensional set inside R^d', () => {
    // uniform on [0, 1]^m in the first m of d = 12 coordinates, n = 1500: MLE within 10% of m
    for (const m of [2, 5]) {
      const n = 1500;
      const d = 12;
      const rng = new Streams(m).stream('data');
      const X = new Float64Array(n * d);
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) X[i * d + j] = rng.uniform();
      const e = twoNN(X, n, d);
      expect(e.points).toBe(n);
      expect(Math.abs(e.dimension! - m) / m).toBeLessThan(0.1);
    }
  });
  it('drops duplicated rows (a duplicate would make r1 = 0)', () => {
    const X = draw('sphere', 100, 3, 5);
    const doubled = new Float64Array(600);
    doubled.set(X);
    doubled.set(X, 300);
    const a = twoNN(X, 100, 3);
    const b = twoNN(doubled, 200, 3);
    expect(b.points).toBe(100);
    expect(b.dimension).toBe(a.dimension);
  });
  it('is undefined on equally spaced points (every ratio 1) and refuses n < 3', () => {
    // the corners of a square: every point has two neighbours at distance 1, so r1 = r2
    expect(twoNN(Float64Array.of(0, 0, 1, 0, 0, 1, 1, 1), 4, 2).dimension).toBeNull();
    expect(() => twoNN(Float64Array.of(0, 1), 2, 1)).toThrow(InputError);
  });
});

describe('effectiveDimension and the far-below flag', () => {
  it('does not flag isotropic laws, whatever n against d', () => {
    for (const name of ['sphere', 'gaussian', 'hypercube'] as const) {
      for (const [n, d] of [[20, 64], [100, 25], [200, 64], [60, 500], [400, 10], [300, 200]]) {
        const e = effectiveDimension(draw(name, n, d, n + d), n, d);
        expect(e.farBelow, `${name} n=${n} d=${d}: TwoNN ${e.twoNN}`).toBe(false);
        expect(e.lawD).toBeGreaterThan(e.resolvable / FAR_BELOW_FACTOR);
      }
    }
  });
  it('flags the subspace law (the regime of docs/science.md section 5.2) and finds its dimension', () => {
    for (const [n, d, m] of [[50, 585, 4], [200, 1000, 10], [500, 64, 12]]) {
      const e = effectiveDimension(draw('subspace', n, d, 7, { m }), n, d);
      expect(e.farBelow, `n=${n} d=${d} m=${m}`).toBe(true);
      expect(e.pca95).toBeLessThanOrEqual(m);
      expect(e.participationRatio).toBeLessThanOrEqual(m + 1e-9);
      // TwoNN sees the sphere S^(m-1): m - 1, with its finite-sample bias downwards
      expect(e.twoNN!).toBeGreaterThan(0.6 * (m - 1));
      expect(e.twoNN!).toBeLessThan(1.2 * (m - 1));
    }
  });
  it('uses the participation ratio when TwoNN is undefined and clamps to [1, d]', () => {
    const e = effectiveDimension(Float64Array.of(0, 0, 1, 0, 0, 1, 1, 1), 4, 2);
    expect(e.twoNN).toBeNull();
    expect(e.lawEstimator).toBe('participation ratio');
    expect(e.lawD).toBeGreaterThanOrEqual(1);
    expect(e.lawD).toBeLessThanOrEqual(2);
  });
});

describe('effectiveDimension on large data sets', () => {
  it(`reads at most ${MAX_POINTS} evenly spaced rows, and a thinned sample gives the same answer as the rows it reads`, () => {
    const n = 2 * MAX_POINTS + 1;
    const d = 6;
    const X = draw('subspace', n, d, 9, { m: 3 });
    const e = effectiveDimension(X, n, d);
    expect(e.points).toBe(MAX_POINTS);
    expect(e.resolvable).toBe(d);
    const rows = new Float64Array(MAX_POINTS * d);
    for (let j = 0; j < MAX_POINTS; j++) {
      const i = Math.floor((j * n) / MAX_POINTS);
      rows.set(X.subarray(i * d, (i + 1) * d), j * d);
    }
    const f = effectiveDimension(rows, MAX_POINTS, d);
    expect({ ...e, n: 0 }).toEqual({ ...f, n: 0 });
    expect(e.twoNN!).toBeGreaterThan(1.6);
    expect(e.twoNN!).toBeLessThan(2.4);
  });
});

describe('effectiveDimension is scale-free', () => {
  it('gives the same dimensions for data scaled by 2^-990 and 2^600 (no underflow or overflow of the squares)', () => {
    const n = 120;
    const d = 40;
    const X = draw('subspace', n, d, 11, { m: 5 });
    const e = effectiveDimension(X, n, d);
    for (const s of [2 ** -990, 2 ** 600]) {
      const f = effectiveDimension(X.map((v) => v * s), n, d);
      expect(f.pca90).toBe(e.pca90);
      expect(f.pca95).toBe(e.pca95);
      expect(f.participationRatio).toBeCloseTo(e.participationRatio, 10);
      expect(f.twoNN!).toBeCloseTo(e.twoNN!, 10);
      expect(f.farBelow).toBe(true);
    }
  });
});
