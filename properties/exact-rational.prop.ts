import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { DEEP } from './arbitraries.js';
import { add, cmp, distSquared, div, isPsd, mul, q, qabs, qInt, sub, sumSquares, ZERO, type Q } from './rational.js';
import { ACTIVATION } from '../src/activations/activation.js';
import { bumpsModel, disjointRadius, minPairwiseDistance } from '../src/models/bumps.js';
import { linearModel } from '../src/models/linear.js';
import { twoLayerExact } from '../src/models/two-layer-lipschitz.js';
import type { TwoLayerWeights } from '../src/models/two-layer-net.js';
import { spectralNorm } from '../src/linalg/spectral-norm.js';
import { ldexp } from '../src/linalg/pow2.js';
import { ball, contains, project, type Domain } from '../src/lipschitz/domain.js';
import { dataRadius } from '../src/models/model.js';
import { certifiedKernelNorm, polyKernelError } from '../src/models/polynomial.js';
import { gram, matVec } from '../src/linalg/gram.js';
import { solveKernel } from '../src/linalg/min-norm.js';
import { Rng } from '../src/core/rng.js';
import { certainInterval } from '../src/lipschitz/estimate.js';
import type { LipEstimate } from '../src/lipschitz/estimate.js';

// Certificates against exact rational arithmetic on adversarial, near-degenerate inputs: breakpoints an
// ulp apart, pair distances an ulp from twice the radius, nearly rank-deficient matrices scaled by 2^j.
// Every double is a dyadic rational, so the truth is decided exactly (properties/rational.ts), by code
// that shares nothing with the floating-point certificates (docs/properties.md, docs/science.md section 3).

const RUNS = DEEP ? 400 : 40;

/** x moved by k ulps (k may be negative). */
function ulps(x: number, k: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  let bits = v.getBigInt64(0);
  // for negative x the bit pattern runs the other way
  bits += BigInt(x < 0 || Object.is(x, -0) ? -k : k);
  v.setBigInt64(0, bits);
  const y = v.getFloat64(0);
  return Number.isFinite(y) ? y : x;
}

/** lo <= truth <= hi, exactly, for an estimate's certain interval. */
function brackets(e: LipEstimate, truth: Q): boolean {
  const { lo, hi } = certainInterval(e);
  return cmp(q(lo), truth) <= 0 && cmp(truth, q(hi)) <= 0;
}


/** A polynomial-kernel interpolant on near-degenerate data (points on the sphere: K nearly singular) and its exact ||theta||^2 = alpha^T K* alpha. */
function kernelNormCase(X: Float64Array, n: number, d: number, deg: number, y: Float64Array) {
  const pk = (g: number) => {
    let s = 1;
    let p = 1;
    for (let t = 1; t <= deg; t++) {
      p *= g;
      s += p;
    }
    return s;
  };
  const K = gram(X, n, d).map(pk);
  const alpha = solveKernel(K, n, y, 1e-12, new Rng(1)).coef;
  let exact = ZERO;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let g = ZERO;
      for (let t = 0; t < d; t++) g = add(g, mul(q(X[i * d + t]), q(X[j * d + t])));
      let k: Q = qInt(1);
      let p: Q = qInt(1);
      for (let t = 1; t <= deg; t++) {
        p = mul(p, g);
        k = add(k, p);
      }
      exact = add(exact, mul(mul(q(alpha[i]), q(alpha[j])), k));
    }
  const naiveQ = alpha.reduce((s, a, i) => s + a * matVec(K, n, n, alpha)[i], 0);
  return { K, alpha, exact, naive: Math.sqrt(Math.max(naiveQ, 0)) };
}

const sphereRows = (rows: number[][]) => {
  const d = rows[0].length;
  return Float64Array.from(rows.flatMap((r) => {
    const nr = Math.hypot(...r) || 1;
    return r.map((v) => v / nr);
  })).subarray(0, rows.length * d);
};

// ---------- 1-D ReLU nets: the exact slope sweep ----------

/** The exact Lipschitz constant of sum_j a_j relu(w_j x + b_j) on (lo, hi), in rationals. */
export function relu1dTruth(W: ArrayLike<number>, b: ArrayLike<number>, a: ArrayLike<number>, lo: number, hi: number): Q {
  const k = W.length;
  const t = Array.from({ length: k }, (_, j) => div(q(-b[j]), q(W[j])));
  const Lo = Number.isFinite(lo) ? q(lo) : null;
  const Hi = Number.isFinite(hi) ? q(hi) : null;
  const inside = t.filter((x) => (Lo === null || cmp(x, Lo) > 0) && (Hi === null || cmp(x, Hi) < 0)).sort(cmp);
  const cuts: Q[] = [];
  for (const x of inside) if (cuts.length === 0 || cmp(cuts[cuts.length - 1], x) !== 0) cuts.push(x);
  const ends: (Q | null)[] = [Lo, ...cuts, Hi];
  let best = ZERO;
  for (let i = 0; i + 1 < ends.length; i++) {
    const [u, v] = [ends[i], ends[i + 1]];
    // a point strictly inside the interval (u, v)
    const m = u === null && v === null ? ZERO : u === null ? sub(v!, qInt(1)) : v === null ? add(u, qInt(1)) : div(add(u, v), qInt(2));
    let s = ZERO;
    for (let j = 0; j < k; j++) if (cmp(add(mul(q(W[j]), m), q(b[j])), ZERO) > 0) s = add(s, mul(q(a[j]), q(W[j])));
    if (cmp(qabs(s), best) > 0) best = qabs(s);
  }
  return best;
}

const relu1dCase = fc
  .record({
    t0: fc.double({ min: -2, max: 2, noNaN: true }),
    units: fc.array(fc.record({ w: fc.double({ min: 2 ** -20, max: 2 ** 20, noNaN: true }), neg: fc.boolean(), nudge: fc.integer({ min: -3, max: 3 }), a: fc.double({ min: -2, max: 2, noNaN: true }) }), { minLength: 2, maxLength: 8 }),
    domain: fc.constantFrom('Rd', 'ball', 'edge'),
    R: fc.constantFrom(0.5, 1, 2, 1e-6),
  })
  .map(({ t0, units, domain, R }) => {
    // every breakpoint within a few ulps of t0 (or of the ball's edge R)
    const at = domain === 'edge' ? R : t0;
    const W = units.map((u) => (u.neg ? -u.w : u.w));
    const b = units.map((u, j) => ulps(-at * W[j], u.nudge));
    const D: Domain = domain === 'Rd' ? { kind: 'Rd' } : ball(R);
    return { W, b, a: units.map((u) => u.a), D };
  });

function relu1dNet(W: number[], b: number[], a: number[]): TwoLayerWeights {
  return { W: Float64Array.from(W), b: Float64Array.from(b), a: Float64Array.from(a), c: 0, k: W.length, d: 1, act: ACTIVATION.relu };
}

describe('exact certificates against rational arithmetic (near-degenerate geometry)', () => {
  test.prop([relu1dCase], { numRuns: RUNS })('1-D ReLU nets with breakpoints ulps apart: the exact interval contains the true max |slope|', ({ W, b, a, D }) => {
    const e = twoLayerExact(relu1dNet(W, b, a), D)!;
    const [lo, hi] = D.kind === 'ball' ? [-D.radius, D.radius] : [-Infinity, Infinity];
    expect(e).not.toBeNull();
    expect(brackets(e, relu1dTruth(W, b, a, lo, hi))).toBe(true);
  });

  // ---------- hat bumps: "disjoint" must be exactly true ----------
  const bumpsCase = fc
    .record({
      d: fc.integer({ min: 1, max: 4 }),
      c0: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
      dirs: fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), { minLength: 2, maxLength: 4 }),
      s: fc.double({ min: 1e-3, max: 2, noNaN: true }),
      nudges: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 4, maxLength: 4 }),
      j: fc.integer({ min: -3, max: 12 }),
      heights: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 5, maxLength: 5 }),
    })
    .map(({ d, c0, dirs, s, nudges, j, heights }) => {
      // n points around c0, each at distance s (up to nudges of an ulp or a few) along its own direction
      const X: number[] = c0.slice(0, d);
      dirs.forEach((u, i) => {
        const v = u.slice(0, d);
        const nv = Math.hypot(...v) || 1;
        const si = ulps(s, nudges[i]);
        for (let t = 0; t < d; t++) X.push(c0[t] + (si * v[t]) / nv);
      });
      const n = X.length / d;
      return { d, n, X: Float64Array.from(X), heights: Float64Array.from(heights.slice(0, n)), j };
    })
    .filter(({ X, n, d }) => minPairwiseDistance(X, n, d) > 0);

  /** Whether the open balls of radius r around the centres are pairwise disjoint, exactly. */
  const exactlyDisjoint = (X: Float64Array, n: number, d: number, r: number) => {
    const fourR2 = mul(qInt(4), mul(q(r), q(r)));
    for (let i = 0; i < n; i++) for (let k = i + 1; k < n; k++) if (cmp(fourR2, distSquared(X.subarray(i * d, i * d + d), X.subarray(k * d, k * d + d))) > 0) return false;
    return true;
  };

  test.prop([bumpsCase], { numRuns: RUNS })('hat bumps at radii an ulp around the threshold: "disjoint" only when the supports truly are, and then the exact interval contains max|h| / r', ({ d, n, X, heights, j }) => {
    const dmin = minPairwiseDistance(X, n, d);
    const r = ulps(disjointRadius(dmin, d), j);
    const m = bumpsModel(X, heights, d, r, 'hat', 'bumps', dmin);
    if (!m.disjoint) return; // the sum bound is used instead: no exactness claimed
    expect(exactlyDisjoint(X, n, d, r)).toBe(true);
    const e = m.exactLipschitz({ kind: 'Rd' })!;
    const H = heights.reduce((t, h) => Math.max(t, Math.abs(h)), 0);
    expect(brackets(e, div(q(H), q(r)))).toBe(true);
  });

  // ---------- spectral norms: U^2 I - M^T M is PSD, exactly ----------
  const matrixCase = fc
    .record({
      rows: fc.integer({ min: 1, max: 3 }),
      cols: fc.integer({ min: 1, max: 3 }),
      base: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 }),
      nudges: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 9, maxLength: 9 }),
      nearlyRankOne: fc.boolean(),
      e: fc.integer({ min: -600, max: 600 }),
    })
    .map(({ rows, cols, base, nudges, nearlyRankOne, e }) => {
      const M = new Float64Array(rows * cols);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          // nearly rank one: every row an ulp-perturbed copy of the first
          const v = nearlyRankOne ? ulps(base[c] * (1 + r / 8), nudges[r * 3 + c]) : base[r * 3 + c];
          M[r * cols + c] = ldexp(v, e);
        }
      return { M, rows, cols };
    });

  /** Whether u^2 I - M^T M is positive semidefinite, i.e. ||M||_op <= u, exactly. */
  const boundsNorm = (M: Float64Array, rows: number, cols: number, u: number) => {
    const A: Q[] = [];
    const u2 = mul(q(u), q(u));
    for (let i = 0; i < cols; i++)
      for (let k = 0; k < cols; k++) {
        let s = ZERO;
        for (let r = 0; r < rows; r++) s = add(s, mul(q(M[r * cols + i]), q(M[r * cols + k])));
        A.push(i === k ? sub(u2, s) : sub(ZERO, s));
      }
    return isPsd(A, cols);
  };

  test.prop([matrixCase], { numRuns: RUNS })('spectral norms of nearly rank-deficient matrices scaled by 2^-600 .. 2^600: the certificate bounds ||M||_op exactly, or is unavailable', ({ M, rows, cols }) => {
    const s = spectralNorm(M, rows, cols);
    if (!s.available) {
      expect(s.upper).toBe(Number.POSITIVE_INFINITY);
      return;
    }
    expect(Number.isFinite(s.upper)).toBe(true);
    expect(boundsNorm(M, rows, cols, s.upper)).toBe(true);
  });

  // ---------- linear maps: ||w|| at any scale ----------
  const vectorCase = fc.array(fc.record({ m: fc.double({ min: -1, max: 1, noNaN: true }), e: fc.integer({ min: -540, max: 540 }) }), { minLength: 1, maxLength: 6 }).map((xs) => Float64Array.from(xs, ({ m, e }) => ldexp(m, e)));

  test.prop([vectorCase], { numRuns: RUNS })('linear models with weights from 2^-540 to 2^540: the exact interval contains ||w||, checked through squares', (w) => {
    const e = linearModel(w, 0).exactLipschitz({ kind: 'Rd' })!;
    const { lo, hi } = certainInterval(e);
    const s = sumSquares(w);
    expect(Number.isFinite(hi)).toBe(true);
    expect(cmp(mul(q(lo), q(lo)), s) <= 0 && cmp(s, mul(q(hi), q(hi))) <= 0).toBe(true);
  });

  // ---------- kernel norms: ||theta|| of a polynomial-kernel interpolant, kernel error included ----------
  test.prop([fc.record({ n: fc.integer({ min: 3, max: 6 }), d: fc.integer({ min: 2, max: 4 }), deg: fc.integer({ min: 2, max: 6 }), raw: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }), y: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }) })], { numRuns: DEEP ? 100 : 15 })('the certified ||theta|| of a polynomial-kernel interpolant on sphere data bounds the exact one (alpha^T K* alpha in rationals)', ({ n, d, deg, raw, y }) => {
    const rows = Array.from({ length: n }, (_, i) => raw.slice(i * d, i * d + d));
    if (rows.some((r) => Math.hypot(...r) < 1e-3)) return;
    const X = sphereRows(rows);
    const { K, alpha, exact } = kernelNormCase(X, n, d, deg, Float64Array.from(y.slice(0, n)));
    const c = certifiedKernelNorm(K, n, alpha, polyKernelError(X, n, d, deg));
    expect(cmp(exact, mul(q(c), q(c)))).toBeLessThanOrEqual(0);
  });

  // ---------- witnesses inside the domain ----------
  const pointCase = fc.record({
    x: fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 1, maxLength: 12 }),
    R: fc.double({ min: 1e-3, max: 10, noNaN: true }),
    e: fc.integer({ min: -400, max: 400 }),
  });

  test.prop([pointCase], { numRuns: RUNS })('projection onto a ball scaled by 2^-400 .. 2^400 ends exactly inside it (||x||^2 <= R^2 in rationals), and points inside stay put', ({ x, R, e }) => {
    const r = ldexp(R, e);
    const D = ball(r);
    const p = project(D, Float64Array.from(x, (v) => ldexp(v, e)));
    expect(contains(D, p)).toBe(true);
    expect(cmp(sumSquares(p), mul(q(r), q(r)))).toBeLessThanOrEqual(0);
    expect(Array.from(project(D, Float64Array.from(p)))).toEqual(Array.from(p));
  });

  test.prop([fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 6 })], { numRuns: RUNS })('the data radius contains every data point exactly, with room for rounding', (rows) => {
    const X = Float64Array.from(rows.flat());
    const R = dataRadius(X, rows.length, 5);
    for (let i = 0; i < rows.length; i++) {
      const x = X.subarray(i * 5, i * 5 + 5);
      expect(contains(ball(R), x)).toBe(true);
      expect(cmp(sumSquares(x), mul(q(R), q(R)))).toBeLessThanOrEqual(0);
    }
  });
});

describe('the rational checks bite (known bad inputs)', () => {
  it('a midpoint sweep misses the slope of an interval one ulp wide; the rational truth does not', () => {
    const [W, b, a] = [[1, -1], [-0.3, 0.30000000000000004], [1, -1]];
    expect(cmp(relu1dTruth(W, b, a, -Infinity, Infinity), qInt(2))).toBe(0);
    // the slope a midpoint evaluation sees on each interval between the two computed breakpoints
    const midpointSlopes = [0.2, 0.3, 0.4].map((x) => Math.abs(W.reduce((s, w, j) => s + (w * x + b[j] > 0 ? a[j] * w : 0), 0)));
    expect(Math.max(...midpointSlopes)).toBe(1);
    const naive = { kind: 'exact', value: 1, domain: 'R', evaluations: 0, method: 'midpoint', witness: { type: 'certificate', formula: '', terms: {} } } as LipEstimate;
    expect(brackets(naive, relu1dTruth(W, b, a, -Infinity, Infinity))).toBe(false);
  });

  it('half the computed minimum distance (the old radius rule) overlaps for some pair in d = 3; the shrunk radius never does', () => {
    let found = 0;
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (let trial = 0; trial < 400; trial++) {
      const X = Float64Array.from({ length: 6 }, rnd);
      const dmin = minPairwiseDistance(X, 2, 3);
      const fourR2 = (r: number) => mul(qInt(4), mul(q(r), q(r)));
      if (cmp(fourR2(dmin / 2), distSquared(X.subarray(0, 3), X.subarray(3, 6))) > 0) found++;
      expect(cmp(fourR2(disjointRadius(dmin, 3)), distSquared(X.subarray(0, 3), X.subarray(3, 6)))).toBeLessThanOrEqual(0);
    }
    expect(found).toBeGreaterThan(0);
  });

  it('a norm one ulp too small is not a bound, and a power-of-two scaled diagonal is bounded by its largest entry exactly', () => {
    const M = Float64Array.from([3, 0, 0, 1]);
    const A = (u: number) => [sub(mul(q(u), q(u)), qInt(9)), ZERO, ZERO, sub(mul(q(u), q(u)), qInt(1))];
    expect(isPsd(A(3), 2)).toBe(true);
    expect(isPsd(A(ulps(3, -1)), 2)).toBe(false);
    expect(spectralNorm(M, 2, 2).upper).toBeGreaterThanOrEqual(3);
  });

  it('scaling a point by R / ||x|| (the old projection) can leave it outside the ball; the shrunk one never does', () => {
    let outside = 0;
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 4 - 2;
    for (let trial = 0; trial < 2000; trial++) {
      const x = Float64Array.from({ length: 7 }, rnd);
      const nx = Math.hypot(...x);
      const old = x.map((v) => v * (1 / nx));
      if (cmp(sumSquares(old), qInt(1)) > 0) outside++;
      expect(cmp(sumSquares(project(ball(1), Float64Array.from(x))), qInt(1))).toBeLessThanOrEqual(0);
    }
    expect(outside).toBeGreaterThan(0);
  });

  it('sqrt(max(alpha^T K alpha, 0)) without allowances falls below the exact kernel norm for some interpolants', () => {
    let seed = 5;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    let below = 0;
    for (let trial = 0; trial < 40; trial++) {
      const X = sphereRows(Array.from({ length: 6 }, () => [rnd(), rnd(), rnd()]));
      const { exact, naive } = kernelNormCase(X, 6, 3, 2 + (trial % 5), Float64Array.from({ length: 6 }, rnd));
      if (cmp(mul(q(naive), q(naive)), exact) < 0) below++;
    }
    expect(below).toBeGreaterThan(0);
  });
});
