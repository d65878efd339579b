/**
 * Closed intervals [lo, hi] of reals with outward rounding: every operation computes its ends in f64 round to
 * nearest, finds the exact rounding error of each end by an error-free transformation (Knuth's two-sum,
 * Dekker's two-product), and moves the end one ulp outward only where the rounding went inward; so the exact
 * result of the operation on any reals inside the operands lies inside the result, and exact operations stay
 * exact. Where the transformations do not apply (results near overflow or underflow) each end moves one ulp
 * outward regardless. The checker's only arithmetic, written for it and sharing nothing with the estimators
 * (docs/science.md, "The independent checker").
 * @module
 */

/** An interval [lo, hi] (lo <= hi; NaN ends mark an interval that holds nothing certain). */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

const f64 = new Float64Array(1);
// the double's bits as two 32-bit words (little-endian: word 0 the low one), stepped with a carry
const u32 = new Uint32Array(f64.buffer);

/** The next double above x (x for +Infinity and NaN): its bit pattern's magnitude one up (x > 0) or down (x < 0). */
export function up(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  if (x > 0) {
    if (u32[0] === 0xffffffff) {
      u32[0] = 0;
      u32[1]++;
    } else u32[0]++;
  } else if (u32[0] === 0) {
    u32[0] = 0xffffffff;
    u32[1]--;
  } else u32[0]--;
  return f64[0];
}

/** The next double below x. */
export function down(x: number): number {
  return -up(-x);
}

/** The point interval [x, x] (x a double: exact). */
export const point = (x: number): Interval => ({ lo: x, hi: x });
/** [x - r, x + r] for a half width r >= 0, rounded outward. */
export const around = (x: number, r: number): Interval => (r === 0 ? point(x) : { lo: down(x - r), hi: up(x + r) });

/** Where the error-free transformations hold: no overflow in the splitting, no underflow in the error term. */
const SAFE_HI = 2 ** 995;
const SAFE_LO = 2 ** -960;
const safe = (r: number) => r === 0 || (Math.abs(r) < SAFE_HI && Math.abs(r) > SAFE_LO);

/** x + y rounded down (dir -1) or up (dir 1): two-sum's error says which way the nearest rounding went. */
function sumDir(x: number, y: number, dir: 1 | -1): number {
  const s = x + y;
  if (!Number.isFinite(s) || !safe(s)) return dir < 0 ? down(s) : up(s);
  const bv = s - x;
  const err = x - (s - bv) + (y - bv);
  return err === 0 ? s : (err > 0) === (dir > 0) ? (dir > 0 ? up(s) : down(s)) : s;
}

/** x y - fl(x y) exactly (Dekker's two-product; inputs and product in the safe range). */
function productError(x: number, y: number, p: number): number {
  // Dekker's splits inline (no arrays: the checker's hot path)
  const cx = 134217729 * x;
  const xh = cx - (cx - x);
  const xl = x - xh;
  const cy = 134217729 * y;
  const yh = cy - (cy - y);
  const yl = y - yh;
  return xl * yl - (p - xh * yh - xl * yh - xh * yl);
}

/** x y rounded down or up. */
function mulDir(x: number, y: number, dir: 1 | -1): number {
  if (x === 0 || y === 0) return 0;
  const p = x * y;
  // a product that underflowed to 0 or the subnormals, or overflowed: one ulp outward regardless
  if (p === 0 || !Number.isFinite(p) || !safe(p) || !safe(x) || !safe(y)) return dir < 0 ? down(p) : up(p);
  const err = productError(x, y, p);
  return err === 0 ? p : (err > 0) === (dir > 0) ? (dir > 0 ? up(p) : down(p)) : p;
}

/** x / y rounded down or up: the residual x - q y (exact by two-product) says which side of q the quotient lies. */
function divDir(x: number, y: number, dir: 1 | -1): number {
  if (x === 0) return 0;
  const q = x / y;
  // a quotient that underflowed (to 0 or the subnormals) or overflowed: one ulp outward regardless
  if (q === 0 || !Number.isFinite(q) || !safe(q) || !safe(x) || !safe(y)) return dir < 0 ? down(q) : up(q);
  const qy = q * y;
  const r = x - qy - productError(q, y, qy);
  // x / y = q + r / y: the sign of r / y (from the signs, never a quotient that could underflow)
  const above = Math.sign(r) * Math.sign(y);
  return above === 0 ? q : (above > 0) === (dir > 0) ? (dir > 0 ? up(q) : down(q)) : q;
}

export const add = (a: Interval, b: Interval): Interval => ({ lo: sumDir(a.lo, b.lo, -1), hi: sumDir(a.hi, b.hi, 1) });
export const sub = (a: Interval, b: Interval): Interval => ({ lo: sumDir(a.lo, -b.hi, -1), hi: sumDir(a.hi, -b.lo, 1) });
export const neg = (a: Interval): Interval => ({ lo: -a.hi, hi: -a.lo });

export function mul(a: Interval, b: Interval): Interval {
  // a point factor of known sign picks the ends (the common case: a weight times an interval)
  if (b.lo === b.hi && !Number.isNaN(b.lo)) {
    const y = b.lo;
    return y >= 0 ? { lo: mulDir(a.lo, y, -1), hi: mulDir(a.hi, y, 1) } : { lo: mulDir(a.hi, y, -1), hi: mulDir(a.lo, y, 1) };
  }
  if (a.lo === a.hi && !Number.isNaN(a.lo)) return mul(b, a);
  const lo = Math.min(mulDir(a.lo, b.lo, -1), mulDir(a.lo, b.hi, -1), mulDir(a.hi, b.lo, -1), mulDir(a.hi, b.hi, -1));
  const hi = Math.max(mulDir(a.lo, b.lo, 1), mulDir(a.lo, b.hi, 1), mulDir(a.hi, b.lo, 1), mulDir(a.hi, b.hi, 1));
  return { lo, hi };
}

/** a / b for b not containing 0 (else the whole line, as NaN ends). */
export function div(a: Interval, b: Interval): Interval {
  if (b.lo <= 0 && b.hi >= 0) return { lo: Number.NaN, hi: Number.NaN };
  const pairs: [number, number][] = [
    [a.lo, b.lo],
    [a.lo, b.hi],
    [a.hi, b.lo],
    [a.hi, b.hi],
  ];
  return { lo: Math.min(...pairs.map(([x, y]) => divDir(x, y, -1))), hi: Math.max(...pairs.map(([x, y]) => divDir(x, y, 1))) };
}

/** x^2 (tighter than x * x when x contains 0). */
export function sq(a: Interval): Interval {
  const l = Math.abs(a.lo);
  const h = Math.abs(a.hi);
  const lo = a.lo <= 0 && a.hi >= 0 ? 0 : Math.min(l, h);
  const hi = Math.max(l, h);
  return { lo: mulDir(lo, lo, -1), hi: mulDir(hi, hi, 1) };
}

/** sqrt(x) rounded down or up: the sign of x - s^2 (exact by two-product) says which side of s the root lies. */
function sqrtDir(x: number, dir: 1 | -1): number {
  if (x <= 0) return 0;
  const s = Math.sqrt(x);
  if (!Number.isFinite(s) || !safe(x) || !safe(s * s)) return dir < 0 ? down(s) : up(s);
  const ss = s * s;
  const r = x - ss - productError(s, s, ss);
  return r === 0 ? s : (r > 0) === (dir > 0) ? (dir > 0 ? up(s) : down(s)) : s;
}

/** sqrt of a nonnegative interval (negative parts clipped to 0: a sum of squares). */
export const sqrt = (a: Interval): Interval => ({ lo: sqrtDir(a.lo, -1), hi: sqrtDir(Math.max(0, a.hi), 1) });

/** sum_i a_i. */
export function sum(xs: readonly Interval[]): Interval {
  let s = point(0);
  for (const x of xs) s = add(s, x);
  return s;
}

/** ||v||_2 of a vector of intervals. */
export const norm = (v: readonly Interval[]): Interval => sqrt(sum(v.map(sq)));

/** Whether x is 0 or of magnitude in [2^-200, 2^200]: products of up to five such (times powers of 2 up to 2^20) neither underflow nor overflow. */
export const tame = (x: number): boolean => x === 0 || (Math.abs(x) >= 2 ** -200 && Math.abs(x) <= 2 ** 200);

/**
 * sum_{i < n} p_i, each p_i a product of at most f tame doubles computed in f64, summed in f64: fast, for the
 * checker's long sums. Enclosed with the a-priori bound 2 gamma_{n+f} sum |p^_i| (Higham, Accuracy and
 * Stability of Numerical Algorithms, Lemma 3.1 and eq. 3.5; gamma_m = m u / (1 - m u), the factor 2 covers
 * the rounding of the bound's own sum), rounded up. Tame factors (the caller checks) leave no underflow.
 */
export function roundedSum(n: number, f: number, term: (i: number) => number): Interval {
  let s = 0;
  let abs = 0;
  for (let i = 0; i < n; i++) {
    const p = term(i);
    s += p;
    abs += Math.abs(p);
  }
  const m = n + f;
  const gamma = up((m * 2 ** -53) / (1 - m * 2 ** -53));
  const e = up(up(2 * gamma) * abs);
  return { lo: down(s - e), hi: up(s + e) };
}

/** sum_i a_i b_i of doubles: {@link dotIntervals} with point intervals. */
export function dot(n: number, a: (i: number) => number, b: (i: number) => number): Interval {
  return dotIntervals(n, (i) => point(a(i)), b);
}

/**
 * sum_i c_i w_i for intervals c_i and doubles w_i, in midpoint-radius form: the midpoints' dot product by
 * Dot2 (error-free products and sums, the errors summed apart: |res - exact| <= u |res| + gamma_n^2 sum |m_i w_i|,
 * Ogita, Rump and Oishi, "Accurate sum and dot product", SIAM J. Sci. Comput. 26, 2005, Proposition 5.5; both
 * terms doubled here) plus sum_i rad(c_i) |w_i| rounded up: about as tight as the inputs allow, whatever the
 * cancellation. Operation by operation in intervals where a product leaves the range of the transformations.
 */
export function dotIntervals(n: number, c: (i: number) => Interval, w: (i: number) => number): Interval {
  let s = 0;
  let comp = 0;
  let abs = 0;
  let rad = 0;
  for (let i = 0; i < n; i++) {
    const ci = c(i);
    const wi = w(i);
    const m = ci.lo === ci.hi ? ci.lo : ci.lo + (ci.hi - ci.lo) / 2;
    const p = m * wi;
    if (!Number.isFinite(p) || !safe(p) || !safe(m) || !safe(wi) || (p === 0 && m !== 0 && wi !== 0) || !Number.isFinite(ci.lo) || !Number.isFinite(ci.hi)) {
      let t = point(0);
      for (let j = 0; j < n; j++) t = add(t, mul(c(j), point(w(j))));
      return t;
    }
    const e = m === 0 || wi === 0 ? 0 : productError(m, wi, p);
    const sNew = s + p;
    const bv = sNew - s;
    comp += s - (sNew - bv) + (p - bv) + e;
    s = sNew;
    abs += Math.abs(p);
    // the radii's terms in plain f64 (each within u, the sum within gamma_n: raised below)
    if (ci.lo !== ci.hi) rad += Math.max(ci.hi - m, m - ci.lo) * Math.abs(wi);
  }
  const res = s + comp;
  const g = (n * 2 ** -53) / (1 - n * 2 ** -53);
  const g3 = ((n + 3) * 2 ** -53) / (1 - (n + 3) * 2 ** -53);
  const radUp = rad === 0 ? 0 : up(rad * (1 + 2 * g3) + n * 2 ** -1074);
  const err = up(up(2 * 2 ** -53 * Math.abs(res)) + up(2 * g * g * abs * (1 + 2 ** -50)) + radUp + 2 ** -1000 * n);
  return { lo: down(res - err), hi: up(res + err) };
}

/** e^z on an interval: exp is increasing; the elementary function trusted to 2 ulps (docs/science.md section 11). */
export function exp(z: Interval): Interval {
  return { lo: Math.max(0, down(down(Math.exp(z.lo)))), hi: up(up(Math.exp(z.hi))) };
}

/**
 * The d x d matrix sum_j u_j v_j^T (u_j, v_j rows j of k x d arrays, u given as intervals), each entry by
 * {@link dotIntervals} (tight, k d^2 compensated products); `symmetric`: the lower triangle mirrored.
 */
export function outerSum(u: readonly Interval[], v: Float64Array, k: number, d: number, symmetric = false): Interval[][] {
  const M: Interval[][] = Array.from({ length: d }, () => new Array<Interval>(d));
  for (let i = 0; i < d; i++)
    for (let l = 0; l < d; l++) {
      if (symmetric && l > i) continue;
      M[i][l] = dotIntervals(k, (j) => u[j * d + i], (j) => v[j * d + l]);
      if (symmetric) M[l][i] = M[i][l];
    }
  return M;
}

/**
 * The Gram matrix X^T X of an n x m row-major matrix of tame doubles (lower triangle, m x m), each entry
 * enclosed as {@link roundedSum} does (2 gamma_{n+2} sum |x_ia x_ib|): in plain loops over the rows, fast.
 */
export function gramEnclosure(X: ArrayLike<number>, n: number, m: number): Interval[][] {
  const s = new Float64Array(m * m);
  const abs = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let a = 0; a < m; a++) {
      const xa = X[o + a];
      if (xa === 0) continue;
      const row = a * m;
      for (let b = 0; b <= a; b++) {
        const p = xa * X[o + b];
        s[row + b] += p;
        abs[row + b] += Math.abs(p);
      }
    }
  }
  const g = up(((n + 2) * 2 ** -53) / (1 - (n + 2) * 2 ** -53));
  return Array.from({ length: m }, (_, a) =>
    Array.from({ length: a + 1 }, (_, b) => {
      const e = up(up(2 * g) * abs[a * m + b]);
      return { lo: down(s[a * m + b] - e), hi: up(s[a * m + b] + e) };
    }),
  );
}
