import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { Rng } from '../../src/core/rng.js';
import { certainInterval } from '../../src/lipschitz/estimate.js';
import { QUADRATIC_MAX_WORK, QUADRATIC_TRUST_REGION, quadraticLipschitz, trustRegionLipschitz, verifyTrustRegionDual, type AffineGradientField } from '../../src/lipschitz/quadratic-trust-region.js';
import { ball } from '../../src/lipschitz/domain.js';
import { buildInstance } from '../../src/law/instance.js';
import type { Model } from '../../src/models/model.js';

/** A field with exact inputs (errA = errG = 0) from row-major A (symmetrised) and g. */
function field(A: number[], g: number[]): AffineGradientField {
  const d = g.length;
  const S = new Float64Array(d * d);
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) S[r * d + c] = (A[r * d + c] + A[c * d + r]) / 2;
  return { d, A: S, g: Float64Array.from(g), errA: 0, errG: 0 };
}

/** ||A x + g|| in plain f64 (an independent evaluation, no certificate). */
function gradNorm(F: AffineGradientField, x: ArrayLike<number>): number {
  let s = 0;
  for (let r = 0; r < F.d; r++) {
    let v = F.g[r];
    for (let c = 0; c < F.d; c++) v += F.A[r * F.d + c] * x[c];
    s += v * v;
  }
  return Math.sqrt(s);
}

/** The largest gradient norm on a dense grid of the ball (d = 2: polar, d = 3: spherical), boundary included. */
function gridMax(F: AffineGradientField, R: number, steps: number): number {
  let best = 0;
  if (F.d === 2) {
    for (let i = 0; i <= steps; i++) for (let j = 0; j < 4 * steps; j++) {
      const r = (R * i) / steps;
      const a = (2 * Math.PI * j) / (4 * steps);
      best = Math.max(best, gradNorm(F, [r * Math.cos(a), r * Math.sin(a)]));
    }
  } else {
    for (let j = 0; j <= steps; j++) for (let k = 0; k < 2 * steps; k++) {
      const th = (Math.PI * j) / steps;
      const ph = (2 * Math.PI * k) / (2 * steps);
      // the maximum of a convex function on the ball lies on the sphere
      best = Math.max(best, gradNorm(F, [R * Math.sin(th) * Math.cos(ph), R * Math.sin(th) * Math.sin(ph), R * Math.cos(th)]));
    }
  }
  return best;
}

/** Projected gradient ascent of ||A x + g||^2 on the ball from many random starts (a brute-force maximiser). */
function bruteMax(F: AffineGradientField, R: number, rng: Rng, starts = 200, steps = 400): number {
  const d = F.d;
  let best = 0;
  for (let s = 0; s < starts; s++) {
    const x = rng.fillNormal(new Float64Array(d));
    let n = Math.hypot(...x);
    for (let t = 0; t < d; t++) x[t] *= R / n;
    for (let it = 0; it < steps; it++) {
      // grad of ||A x + g||^2 / 2 is A (A x + g); on the sphere the maximiser of a convex function: step and renormalise
      const G = new Float64Array(d);
      for (let r = 0; r < d; r++) {
        let v = F.g[r];
        for (let c = 0; c < d; c++) v += F.A[r * d + c] * x[c];
        G[r] = v;
      }
      for (let r = 0; r < d; r++) {
        let v = 0;
        for (let c = 0; c < d; c++) v += F.A[r * d + c] * G[c];
        x[r] += 0.5 * v;
      }
      n = Math.hypot(...x);
      for (let t = 0; t < d; t++) x[t] *= R / n;
    }
    best = Math.max(best, gradNorm(F, x));
  }
  return best;
}

const randomField = (rng: Rng, d: number, gScale = 1) => {
  const A = Array.from(rng.fillNormal(new Float64Array(d * d)));
  return field(A, Array.from(rng.fillNormal(new Float64Array(d), gScale)));
};

describe('trustRegionLipschitz: the exact Lipschitz constant of a quadratic on a ball, with a certified interval', () => {
  it('d = 2 and 3: the interval contains the dense grid maximum and is at most 1e-9 wide relative', () => {
    const rng = new Rng(21);
    for (let q = 0; q < 12; q++) {
      const d = 2 + (q % 2);
      const F = randomField(rng, d);
      const R = 0.3 + 2 * rng.uniform();
      const r = trustRegionLipschitz(F, R, 'ball');
      const iv = certainInterval(r.estimate!);
      const grid = gridMax(F, R, d === 2 ? 400 : 150);
      expect(iv.hi).toBeGreaterThanOrEqual(grid);
      // the grid comes within its resolution of the maximum (second order in the angle step)
      expect(grid).toBeGreaterThan(iv.lo * (1 - 2e-4));
      expect(iv.hi / iv.lo).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('d = 6 and 12: the brute-force maximiser never exceeds the upper end and reaches the lower end', () => {
    const rng = new Rng(22);
    for (const d of [6, 12]) {
      for (let q = 0; q < 3; q++) {
        const F = randomField(rng, d, q);
        const R = 1 + rng.uniform();
        const iv = certainInterval(trustRegionLipschitz(F, R, 'ball').estimate!);
        const brute = bruteMax(F, R, rng);
        expect(iv.hi).toBeGreaterThanOrEqual(brute);
        expect(brute).toBeGreaterThan(iv.lo * (1 - 1e-7));
        expect(iv.hi / iv.lo).toBeLessThanOrEqual(1 + 1e-9);
      }
    }
  });

  it('the hard case (g orthogonal to the top eigenvector, R beyond the secular range): worked by hand, sqrt(6.399...)', () => {
    // A = diag(2, 1, 0.5), g = (0, 1, 1), R = 1: mu = 4, y_2 = 1/3, y_3 = 0.5 / 3.75, y_1 = sqrt(1 - y_2^2 - y_3^2)
    const F = field([2, 0, 0, 0, 1, 0, 0, 0, 0.5], [0, 1, 1]);
    const y2 = 1 / 3;
    const y3 = 0.5 / 3.75;
    const y1 = Math.sqrt(1 - y2 * y2 - y3 * y3);
    const truth = Math.hypot(2 * y1, y2 + 1, 0.5 * y3 + 1);
    const r = trustRegionLipschitz(F, 1, 'ball');
    expect(r.dual!.hardCase).toBe(true);
    const iv = certainInterval(r.estimate!);
    expect(iv.lo).toBeLessThanOrEqual(truth * (1 + 1e-15));
    expect(iv.hi).toBeGreaterThanOrEqual(truth * (1 - 1e-15));
    expect(iv.hi / iv.lo).toBeLessThanOrEqual(1 + 1e-9);
    expect(gridMax(F, 1, 150)).toBeLessThanOrEqual(iv.hi);
    // and just inside the secular range (R small) it is not the hard case
    expect(trustRegionLipschitz(F, 0.2, 'ball').dual!.hardCase).toBe(false);
  });

  it('edge cases: A = 0 (Lip = ||g||), g = 0 (Lip = R max |lambda|), the zero field, stated errors widen the interval, bad R', () => {
    const lin = certainInterval(trustRegionLipschitz(field([0, 0, 0, 0], [3, 4]), 2, 'ball').estimate!);
    expect(lin.lo).toBeLessThanOrEqual(5);
    expect(lin.hi).toBeGreaterThanOrEqual(5);
    expect(lin.hi / lin.lo).toBeLessThan(1 + 1e-9);
    const pure = certainInterval(trustRegionLipschitz(field([1, 2, 2, -3], [0, 0]), 0.5, 'ball').estimate!);
    // eigenvalues of [[1, 2], [2, -3]]: -1 +- sqrt(8)
    const lmax = Math.max(Math.abs(-1 + Math.sqrt(8)), Math.abs(-1 - Math.sqrt(8)));
    expect(pure.lo).toBeLessThanOrEqual(0.5 * lmax * (1 + 1e-15));
    expect(pure.hi).toBeGreaterThanOrEqual(0.5 * lmax * (1 - 1e-15));
    const zero = trustRegionLipschitz({ d: 2, A: new Float64Array(4), g: new Float64Array(2), errA: 0.1, errG: 0.2 }, 1, 'ball').estimate!;
    expect(certainInterval(zero).lo).toBe(0);
    expect(certainInterval(zero).hi).toBeGreaterThanOrEqual(0.3);
    const F = field([1, 0, 0, 2], [1, 1]);
    const tight = certainInterval(trustRegionLipschitz(F, 1, 'ball').estimate!);
    const loose = certainInterval(trustRegionLipschitz({ ...F, errA: 1e-3, errG: 1e-3 }, 1, 'ball').estimate!);
    expect(loose.lo).toBeLessThan(tight.lo);
    expect(loose.hi).toBeGreaterThan(tight.hi);
    for (const R of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(trustRegionLipschitz(F, R, 'ball').estimate).toBeNull();
    expect(trustRegionLipschitz({ ...F, g: Float64Array.from([Number.NaN, 1]) }, 1, 'ball').estimate).toBeNull();
  });

  it('scales exactly: A and g times 2^j give the interval times 2^j', () => {
    const F = randomField(new Rng(5), 4);
    const a = trustRegionLipschitz(F, 1.3, 'ball').estimate!;
    for (const j of [-600, -7, 9, 500]) {
      const s = trustRegionLipschitz({ ...F, A: F.A.map((v) => v * 2 ** j), g: F.g.map((v) => v * 2 ** j) }, 1.3, 'ball').estimate!;
      expect(certainInterval(s).hi).toBe(certainInterval(a).hi * 2 ** j);
      expect(certainInterval(s).lo).toBe(certainInterval(a).lo * 2 ** j);
    }
  });

  it('the reported dual re-verifies; a corrupted one (V lowered by 1e-6 relative, mu halved, a field entry moved) is rejected', () => {
    const F = randomField(new Rng(6), 5);
    const r = trustRegionLipschitz(F, 1, 'ball');
    const { mu, V } = r.dual!;
    const hi = certainInterval(r.estimate!).hi;
    expect(verifyTrustRegionDual(F, 1, mu, V)).toBeGreaterThanOrEqual(V);
    expect(Math.sqrt(verifyTrustRegionDual(F, 1, mu, V)!)).toBeLessThanOrEqual(hi);
    expect(verifyTrustRegionDual(F, 1, mu, V * (1 - 1e-6))).toBeNull();
    expect(verifyTrustRegionDual(F, 1, mu / 2, V)).toBeNull();
    const moved = { ...F, g: F.g.map((v, i) => (i === 0 ? v + 1e-3 * Math.sign(v) : v)) };
    expect(verifyTrustRegionDual(moved, 1, mu, V)).toBeNull();
    // a larger radius is not certified by the same pair either
    expect(verifyTrustRegionDual(F, 1.001, mu, V)).toBeNull();
  });
});

describe('property: the upper end is never below a sampled gradient norm in the ball, and a broken bound is caught', () => {
  const caseArb = fc.record({ seed: fc.nat(), d: fc.integer({ min: 1, max: 7 }), R: fc.double({ min: 0.05, max: 5, noNaN: true }), gScale: fc.constantFrom(0, 0.1, 1, 10) });
  const property = (upperOf: (F: AffineGradientField, R: number) => number) =>
    fc.property(caseArb, ({ seed, d, R, gScale }) => {
      const rng = new Rng(seed);
      const F = randomField(rng, d, gScale);
      const hi = upperOf(F, R);
      for (let i = 0; i < 300; i++) {
        const x = rng.fillNormal(new Float64Array(d));
        const n = Math.hypot(...x);
        const r = (R * (i % 3 === 0 ? 1 : rng.uniform() ** (1 / d))) / n;
        expect(hi).toBeGreaterThanOrEqual(gradNorm(F, x.map((v) => v * r * (1 - 1e-12))));
      }
    });
  const certified = (F: AffineGradientField, R: number) => certainInterval(trustRegionLipschitz(F, R, 'ball').estimate!).hi;

  it('holds for the certified upper end (fast-check)', () => {
    fc.assert(property(certified), { numRuns: 60 });
  });

  it('fails for a bound 1% below it (the planted fault), by its assertion', () => {
    const run = fc.check(property((F, R) => 0.99 * certified(F, R)), { seed: 3, numRuns: 60 });
    expect(run.failed).toBe(true);
    expect(String(run.errorInstance)).toMatch(/to be greater than or equal to/);
  });
});

describe('the square-activation classes are exact on balls: random features and NTK features (two-layer nets do not offer square)', () => {
  /** The largest norm of the model's own gradient (independent code: the class's backward pass) over a dense grid of the ball in d = 2. */
  const modelGridMax = (model: Model, R: number) => {
    const pts: number[] = [];
    for (let i = 0; i <= 200; i++) for (let j = 0; j < 800; j++) pts.push(((R * i) / 200) * Math.cos((2 * Math.PI * j) / 800), ((R * i) / 200) * Math.sin((2 * Math.PI * j) / 800));
    const m = pts.length / 2;
    const G = model.gradient(Float64Array.from(pts), m);
    let best = 0;
    for (let i = 0; i < m; i++) best = Math.max(best, Math.hypot(G[2 * i], G[2 * i + 1]));
    return best;
  };
  it.each([
    ['random-features', 40],
    ['ntk-features', 30],
  ] as const)('%s (square, d = 2): the exact interval contains the grid maximum of the gradient norm and is 1e-9 wide', (className, k) => {
    const inst = buildInstance({ dist: 'sphere', labels: 'signs', className, n: 20, d: 2, seed: 4, modelOptions: { k, activation: 'square' } });
    const model = inst.fit.model;
    const D = ball(model.radius);
    const e = model.exactLipschitz(D);
    expect(e?.method).toBe(QUADRATIC_TRUST_REGION);
    const iv = certainInterval(e!);
    const grid = modelGridMax(model, model.radius);
    expect(iv.hi).toBeGreaterThanOrEqual(grid);
    expect(grid).toBeGreaterThan(iv.lo * (1 - 1e-4));
    expect(iv.hi / iv.lo).toBeLessThanOrEqual(1 + 1e-9);
    // on the sphere of the same radius: an upper bound only, said so by its method
    const sphere = model.upperLipschitz({ kind: 'sphere', radius: model.radius }, new Rng(1));
    expect(sphere!.value).toBeLessThanOrEqual(iv.hi);
    expect(model.exactLipschitz({ kind: 'sphere', radius: model.radius })).toBeNull();
  });
});

describe('quadraticLipschitz: built once, per radius; over its work budget it gives way to the class bounds', () => {
  it('builds the field at most once, solves each radius once, and is null beyond QUADRATIC_MAX_WORK', () => {
    let builds = 0;
    const F = randomField(new Rng(8), 3);
    const q = quadraticLipschitz(() => (builds++, F), 10)!;
    const a = q.exact(ball(1))!;
    expect(q.exact(ball(1))).toBe(a);
    expect(q.exact(ball(2))!.value).toBeGreaterThan(a.value);
    expect(builds).toBe(1);
    expect(q.exact({ kind: 'Rd' })).toBeNull();
    expect(q.upperOnSphere({ kind: 'sphere', radius: 1 })!.value).toBe(certainInterval(a).hi);
    expect(quadraticLipschitz(() => F, QUADRATIC_MAX_WORK * 2)).toBeNull();
  });
});
