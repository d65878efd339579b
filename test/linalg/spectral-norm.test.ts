import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { spectralNorm } from '../../src/linalg/spectral-norm.js';
import { exponentOf, ldexp, nextUp, pow2 } from '../../src/linalg/pow2.js';

const view = new DataView(new ArrayBuffer(8));

/** x = m 2^e exactly, with m an integer (BigInt), for finite x. */
function exact(x: number): { m: bigint; e: number } {
  view.setFloat64(0, Math.abs(x));
  const biased = (view.getUint32(0) >>> 20) & 0x7ff;
  const frac = (BigInt(view.getUint32(0) & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  return biased === 0 ? { m: frac, e: -1074 } : { m: frac | (1n << 52n), e: biased - 1075 };
}

/** sum_i x_i^2 <= u^2, decided exactly (no rounding): the Euclidean norm of x is at most u. */
function normAtMost(xs: ArrayLike<number>, u: number): boolean {
  if (u === Number.POSITIVE_INFINITY) return true;
  const terms = Array.from(xs, exact).map(({ m, e }) => ({ m: m * m, e: 2 * e }));
  const U = exact(u);
  const rhs = { m: U.m * U.m, e: 2 * U.e };
  const e0 = Math.min(rhs.e, ...terms.map((t) => t.e));
  let lhs = 0n;
  for (const t of terms) lhs += t.m << BigInt(t.e - e0);
  return lhs <= rhs.m << BigInt(rhs.e - e0);
}

const sn = (a: number[], r: number, c: number) => spectralNorm(new Float64Array(a), r, c);

describe('powers of two (exact scaling)', () => {
  it('pow2 is exact over the whole exponent range, exponentOf inverts it, nextUp steps one ulp', () => {
    for (let e = -1074; e <= 1023; e++) {
      const p = pow2(e);
      const { m, e: e2 } = exact(p);
      expect((m & (m - 1n)) === 0n && e2 + m.toString(2).length - 1 === e).toBe(true); // p = 2^e exactly
      expect(exponentOf(p)).toBe(e);
      if (e > -1074 && e < 1023) expect(exponentOf(nextUp(p))).toBe(e);
      expect(ldexp(1, e)).toBe(p);
    }
    expect(nextUp(1) - 1).toBe(Number.EPSILON);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(ldexp(1.5, 2000)).toBe(Number.POSITIVE_INFINITY);
    expect(ldexp(pow2(1023), -2097)).toBe(Number.MIN_VALUE);
  });
});

describe('spectral norm: the certificate holds at any weight scale', () => {
  it.each([
    { name: '[[1e155,0],[0,1e155]] (Gram overflows unscaled)', M: [1e155, 0, 0, 1e155], r: 2, c: 2, norm: 1e155, slack: 2 ** (1 / 2048) * (1 + 2e-9) },
    { name: '[[1e-155,-1e-155]] (Gram is subnormal unscaled)', M: [1e-155, -1e-155], r: 1, c: 2, norm: Math.SQRT2 * 1e-155, slack: 1 + 2e-9 },
    { name: '[[2.449e-162]] (square below the smallest subnormal)', M: [2.449e-162], r: 1, c: 1, norm: 2.449e-162, slack: 1 + 2e-9 },
    { name: '[[1e150]]', M: [1e150], r: 1, c: 1, norm: 1e150, slack: 1 + 2e-9 },
    { name: '[[1e12]]', M: [1e12], r: 1, c: 1, norm: 1e12, slack: 1 + 2e-9 },
  ])('$name: available, never 0, >= the true norm and tight', ({ M, r, c, norm, slack }) => {
    const s = sn(M, r, c);
    expect(s.available).toBe(true);
    expect(s.upper).toBeGreaterThan(0);
    // the true norm: max |d_i| for the diagonal ones, the Euclidean norm of the row otherwise (exact)
    if (r === 1) expect(normAtMost(M, s.upper)).toBe(true);
    else expect(s.upper).toBeGreaterThanOrEqual(1e155);
    expect(s.upper).toBeLessThanOrEqual(norm * slack);
    expect(s.estimate).toBeLessThanOrEqual(s.upper);
    expect(s.estimate).toBeGreaterThan(norm * (1 - 1e-12));
  });

  it('the layer products of the issue repros are >= the true Lipschitz constants (sqrt 2, 2.449)', () => {
    expect(sn([1e155, 0, 0, 1e155], 2, 2).upper * sn([1e-155, -1e-155], 1, 2).upper).toBeGreaterThanOrEqual(Math.SQRT2);
    expect(sn([2.449e-162], 1, 1).upper * sn([1e150], 1, 1).upper * sn([1e12], 1, 1).upper).toBeGreaterThanOrEqual(2.449);
  });

  it('a certificate that cannot be computed finitely is unavailable (upper Infinity), never 0', () => {
    for (const M of [[1.7e308, 1.7e308], [Number.NaN], [Number.POSITIVE_INFINITY, 1], [1, Number.NEGATIVE_INFINITY]]) {
      const s = sn(M, 1, M.length);
      expect(s.available).toBe(false);
      expect(s.upper).toBe(Number.POSITIVE_INFINITY);
    }
    // the smallest subnormal: rounded up, not down to 0
    const tiny = sn([Number.MIN_VALUE], 1, 1);
    expect(tiny.available).toBe(true);
    expect(tiny.upper).toBeGreaterThanOrEqual(Number.MIN_VALUE);
    // the norm is finite but its rounded-out bound is not: refused, not clipped
    expect(sn([Number.MAX_VALUE], 1, 1)).toMatchObject({ available: false, upper: Number.POSITIVE_INFINITY });
    // the zero matrix has norm 0 exactly
    expect(sn([0, 0, 0, 0], 2, 2)).toMatchObject({ available: true, upper: 0 });
  });
});

/** Entries of any magnitude, normal or subnormal, never NaN or infinite. */
const anyEntry = fc.double({ noNaN: true, noDefaultInfinity: true, min: -Number.MAX_VALUE, max: Number.MAX_VALUE });
/** Entries in [-1e3, 1e3], tiny ones flushed to 0 (so that 2^j scalings stay exact and a Frobenius norm computed in f64 does not underflow). */
const moderate = fc.double({ noNaN: true, min: -1e3, max: 1e3 }).map((v) => (Math.abs(v) < 1e-100 ? 0 : v));

/** The true norm (exactly) for a row or a column (Euclidean) or a diagonal matrix (max |d_i|). */
const shaped = (entry: fc.Arbitrary<number>) =>
  fc.oneof(
    fc.array(entry, { minLength: 1, maxLength: 12 }).map((xs) => ({ M: xs, r: 1, c: xs.length, diag: false })),
    fc.array(entry, { minLength: 1, maxLength: 12 }).map((xs) => ({ M: xs, r: xs.length, c: 1, diag: false })),
    fc.array(entry, { minLength: 1, maxLength: 6 }).map((ds) => {
      const k = ds.length;
      const M = new Array<number>(k * k).fill(0);
      ds.forEach((v, i) => (M[i * k + i] = v));
      return { M, r: k, c: k, diag: true };
    }),
  );

function trueNormBelow({ M, r, c, diag }: { M: number[]; r: number; c: number; diag: boolean }, u: number): boolean {
  if (!diag) return normAtMost(M, u);
  let max = 0;
  for (let i = 0; i < r; i++) max = Math.max(max, Math.abs(M[i * c + i]));
  return max <= u;
}

describe('spectral norm: properties over 2^j scalings, j in -600..600', () => {
  test.prop([shaped(anyEntry)], { numRuns: 300 })('upper >= the true norm (exact comparison), for entries of any magnitude', (A) => {
    const s = sn(A.M, A.r, A.c);
    expect(s.upper).toBeGreaterThanOrEqual(0);
    if (A.M.some((v) => v !== 0)) expect(s.upper).toBeGreaterThan(0);
    expect(trueNormBelow(A, s.upper)).toBe(true);
    if (!s.available) expect(s.upper).toBe(Number.POSITIVE_INFINITY);
  });

  test.prop([shaped(moderate), fc.integer({ min: -600, max: 600 })], { numRuns: 300 })('upper(2^j A) = 2^j upper(A) exactly (or refused), and >= the true norm of 2^j A', (A, j) => {
    const scaled = A.M.map((v) => ldexp(v, j));
    const exactScale = scaled.every((v, i) => ldexp(v, -j) === A.M[i]);
    const s = sn(scaled, A.r, A.c);
    const s0 = sn(A.M, A.r, A.c);
    expect(trueNormBelow({ ...A, M: scaled }, s.upper)).toBe(true);
    if (!s.available || !s0.available) return;
    const want = ldexp(s0.upper, j);
    if (exactScale && Math.abs(want) >= pow2(-1022) && ldexp(want, -j) === s0.upper) expect(s.upper).toBe(want);
  });

  test.prop([fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: -600, max: 600 }), fc.array(moderate, { minLength: 49, maxLength: 49 })], { numRuns: 200 })(
    'general matrices: exact 2^j equivariance, upper >= Frobenius / sqrt(rank) and <= Frobenius (1 + 1e-8)',
    (r, c, j, xs) => {
      const M = xs.slice(0, r * c);
      const s0 = sn(M, r, c);
      const s = sn(M.map((v) => ldexp(v, j)), r, c);
      if (M.every((v) => ldexp(ldexp(v, j), -j) === v) && s0.upper > 0) expect(s.upper).toBe(ldexp(s0.upper, j));
      let fro = 0;
      for (const v of M) fro += v * v;
      fro = Math.sqrt(fro);
      expect(s0.upper).toBeLessThanOrEqual(fro * (1 + 1e-8));
      expect(s0.upper).toBeGreaterThanOrEqual((fro / Math.sqrt(Math.min(r, c))) * (1 - 1e-12));
      expect(s0.estimate).toBeLessThanOrEqual(s0.upper);
    },
  );
});
