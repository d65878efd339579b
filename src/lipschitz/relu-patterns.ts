import { solve, type Coefficients } from 'yalps';
import { exactScaled, ldexp, upperEnd } from '../linalg/pow2.js';
import { UNIT_ROUNDOFF } from './certificate.js';
import { gordanCertificate } from './farkas.js';

/**
 * Activation patterns of ReLU networks and their regions in exact arithmetic (docs/science.md sections 10.1
 * and 10.2): the affine forms of the pre-activations once the earlier layers' pattern is fixed, kept exactly
 * as integers times a power of two (BigInt), and the decision whether a partial pattern's region is
 * non-empty (a point checked exactly), empty (an exact Gordan certificate) or undecided. One implementation
 * shared by the exact enumeration (relu-exact.ts) and the branch-and-bound certificate
 * (sdp/relu-branch-and-bound.ts).
 */

/** A dense layer: weights out x in (row-major) and biases. */
export interface ReluLayer {
  readonly weights: Float64Array;
  readonly biases: Float64Array;
  readonly inputs: number;
  readonly outputs: number;
}

/** An affine form c . x + c0, exact: c and c0 are integers times 2^-scale. */
export interface Form {
  readonly c: bigint[];
  readonly c0: bigint;
  /** c and c0 are integer multiples of 2^-scale. */
  readonly scale: number;
}

/** Every double is an integer multiple of 2^-1074: points x are held as X = x 2^1074 (integers). */
export const POINT_SCALE = 1074;

/**
 * The form of unit r of layer l (0-based) given the forms and signs of layer l - 1 (null for l = 0: from the
 * input): z = sum_{i on} W_ri z_i^{(l-1)} + b_r, exact (docs/science.md section 10.1).
 */
export function unitForm(layers: readonly ReluLayer[], l: number, r: number, prev: readonly Form[] | null, prevOn: readonly boolean[] | null): Form {
  const E = POINT_SCALE;
  const L = layers[l];
  const d = layers[0].inputs;
  if (prev === null) {
    return { c: Array.from({ length: d }, (_, t) => exactScaled(L.weights[r * d + t])), c0: exactScaled(L.biases[r]), scale: E };
  }
  const scale = E + prev[0].scale;
  const c = new Array<bigint>(d).fill(0n);
  let c0 = exactScaled(L.biases[r]) << BigInt(prev[0].scale);
  for (let i = 0; i < L.inputs; i++) {
    if (!prevOn![i]) continue;
    const w = exactScaled(L.weights[r * L.inputs + i]);
    if (w === 0n) continue;
    for (let t = 0; t < d; t++) c[t] += w * prev[i].c[t];
    c0 += w * prev[i].c0;
  }
  return { c, c0, scale };
}

/** The sign of c . x + c0 at the point X = x 2^1074 (integers), exactly. */
export function formSignAt(f: Form, X: readonly bigint[]): number {
  let s = f.c0 << BigInt(POINT_SCALE);
  for (let t = 0; t < X.length; t++) s += f.c[t] * X[t];
  return s > 0n ? 1 : s < 0n ? -1 : 0;
}

/** Whether the form is identically zero (the unit is then inactive and adds no inequality). */
export function isZeroForm(f: Form): boolean {
  return f.c0 === 0n && f.c.every((v) => v === 0n);
}

/**
 * ||c|| of a form (the gradient norm of the output on a region) from its exact integer coefficients: each
 * shifted right so that the largest keeps 60 bits (the truncation errs by at most 2^-59 of the largest entry,
 * so of the norm, per entry), then rounded to a double (u), squared, summed and rooted ((d + 2) u): relative
 * error below {@link gradNormRelativeError}.
 */
export function formGradNorm(f: Form): number {
  let maxBits = 0;
  for (const v of f.c) maxBits = Math.max(maxBits, (v < 0n ? -v : v).toString(2).length);
  const shift = Math.max(0, maxBits - 60);
  let s = 0;
  for (const v of f.c) s += Number(v >> BigInt(shift)) ** 2;
  return ldexp(Math.sqrt(s), shift - f.scale);
}

/**
 * The sign of the form on the whole open ball ||x|| < R: 1 when c0 > ||c|| R (then c . x + c0 > 0 there, by
 * Cauchy-Schwarz), -1 when -c0 > ||c|| R, else 0. Decided exactly in integers (R = R' 2^-1074 for an integer R',
 * and c0 > ||c|| R iff c0 > 0 and (c0 2^1074)^2 > ||c||^2 R'^2), so neither rounding nor the subnormal range
 * can decide a sign (a norm rounded in the subnormal range once fixed a unit that was on in part of the ball).
 */
export function formSignOnBall(f: Form, R: number): number {
  if (!(R < Number.POSITIVE_INFINITY)) return 0;
  if (f.c0 === 0n) return 0;
  const r = exactScaled(R);
  let cc = 0n;
  for (const v of f.c) cc += v * v;
  const lhs = (f.c0 << BigInt(POINT_SCALE)) ** 2n;
  if (!(lhs > cc * r * r)) return 0;
  return f.c0 > 0n ? 1 : -1;
}

/** The relative error bound (17 d + 8) u of {@link formGradNorm} on d inputs. */
export function gradNormRelativeError(d: number): number {
  return (17 * d + 8) * UNIT_ROUNDOFF;
}

/**
 * The pattern of the point x (every layer's signs; a unit whose form is identically zero counts as off) and
 * the output form on its region, read in exact arithmetic; null when x lies on a boundary z_i = 0 of a unit
 * whose form is not identically zero (then x is in no open region).
 */
export function patternAt(layers: readonly ReluLayer[], x: Float64Array): { on: boolean[][]; out: Form } | null {
  const D = layers.length;
  const X = Array.from(x, exactScaled);
  let prev: Form[] | null = null;
  let prevOn: boolean[] | null = null;
  const on: boolean[][] = [];
  for (let l = 0; l < D - 1; l++) {
    const fs: Form[] = [];
    const signs: boolean[] = [];
    for (let r = 0; r < layers[l].outputs; r++) {
      const f = unitForm(layers, l, r, prev, prevOn);
      const sg = formSignAt(f, X);
      if (sg === 0 && !isZeroForm(f)) return null;
      fs.push(f);
      signs.push(sg > 0);
    }
    on.push(signs);
    prev = fs;
    prevOn = signs;
  }
  return { on, out: unitForm(layers, D - 1, 0, prev, prevOn) };
}

/**
 * The region of a partial pattern: the homogenised strict rows (s_i c_i, s_i c0_i) . (x, tau) > 0, and, when
 * it is shown non-empty, a point inside it (exact integers X = x 2^1074 and the double x).
 */
export interface PatternRegion {
  readonly rows: readonly bigint[][];
  /** A point of the region (checked exactly), or null when none is known. */
  readonly witness: readonly bigint[] | null;
  readonly point: Float64Array | null;
  /** Whether the region is shown non-empty (then witness and point are set). */
  readonly proven: boolean;
}

/** The region of the empty pattern: all of R^d, with the origin inside. */
export function wholeSpace(d: number): PatternRegion {
  return { rows: [], witness: new Array<bigint>(d).fill(0n), point: new Float64Array(d), proven: true };
}

/**
 * Decides the child of a partial pattern's region that adds the unit with form f, on (f > 0) or off
 * (f < 0) (docs/science.md section 10.2):
 * - non-empty: the parent's point when it satisfies the new inequality, else the point of a floating-point LP,
 *   each strict inequality checked at it in exact integer arithmetic;
 * - 'empty': an exact Gordan certificate for the child's rows;
 * - otherwise undecided (proven false, no point).
 * `stats.lps` counts the LPs solved.
 */
export function decideChild(parent: PatternRegion, f: Form, on: boolean, stats: { lps: number }): PatternRegion | 'empty' {
  const d = f.c.length;
  const sgn = on ? 1n : -1n;
  const row = [...f.c.map((v) => sgn * v), sgn * f.c0];
  const rows = [...parent.rows, row];
  if (parent.witness !== null && parent.proven && formSignAt(f, parent.witness) === (on ? 1 : -1)) {
    return { rows, witness: parent.witness, point: parent.point, proven: true };
  }
  const found = feasiblePoint(rows, d, stats);
  if (found !== null && rows.every((rw) => rowSign(rw, found.X) > 0)) return { rows, witness: found.X, point: found.x, proven: true };
  if (emptyCertified(rows, d, stats)) return 'empty';
  return { rows, witness: null, point: null, proven: false };
}

/**
 * A point of the region cut by `extra` homogenised rows (e.g. a box inside a ball), from one LP and checked
 * exactly against every row, or null. `stats.lps` counts the LP.
 */
export function pointWithin(region: PatternRegion, extra: readonly bigint[][], stats: { lps: number }): { x: Float64Array; X: bigint[] } | null {
  const rows = [...region.rows, ...extra];
  const d = extra.length > 0 ? extra[0].length - 1 : region.rows.length > 0 ? region.rows[0].length - 1 : 0;
  const found = feasiblePoint(rows, d, stats);
  return found !== null && rows.every((rw) => rowSign(rw, found.X) > 0) ? found : null;
}

/**
 * Whether the region meets the open ball ||x|| < R (docs/science.md section 9.6), by cutting planes: a point of
 * the region (its own, or one from an LP on its rows, the cuts and `extra` rows that contain the ball) inside
 * the ball is returned (`inBall` decides, rounding-safe); a point outside adds the cut v . x < R ||v|| (v the
 * point; it contains the ball by Cauchy-Schwarz, its constant rounded up) and the LP is solved again; an exact
 * Gordan certificate for the rows and cuts gives 'empty' (the region misses the ball); after `maxCuts` cuts,
 * or an inconclusive LP, null (unknown).
 */
export function regionMeetsBall(region: PatternRegion, d: number, R: number, extra: readonly bigint[][], inBall: (x: Float64Array) => boolean, maxCuts: number, stats: { lps: number }): { x: Float64Array } | 'empty' | null {
  const rows: bigint[][] = [...region.rows, ...extra];
  let x: Float64Array | null = region.proven ? region.point : null;
  for (let cut = 0; ; cut++) {
    if (x !== null && inBall(x)) return { x };
    if (x !== null) {
      if (cut >= maxCuts) return null;
      // the constant rounded up, with two subnormal steps where it lands there (a relative widening alone is
      // nothing in the subnormal range and the cut would then clip the ball)
      const c = upperEnd(R * Math.hypot(...x), 1e-12);
      if (!(c > 0 && c < Number.POSITIVE_INFINITY)) return null;
      rows.push([...Array.from(x, (v) => -exactScaled(v)), exactScaled(c)]);
    }
    // the point of least l1 norm (with a small margin) first, so that a region meeting the ball shows a point
    // near its centre; any feasible point if that one fails the exact check
    const near = nearPoint(rows, d, stats);
    const found = near !== null && rows.every((rw) => rowSign(rw, near.X) > 0) ? near : feasiblePoint(rows, d, stats);
    if (found !== null && rows.every((rw) => rowSign(rw, found.X) > 0)) {
      x = found.x;
      continue;
    }
    return emptyCertified(rows, d, stats) ? 'empty' : null;
  }
}

/**
 * The rows R - x_t > 0 and R + x_t > 0 (t < d) of the open box |x_t| < R, exact (R a positive double).
 */
export function boxRows(d: number, R: number): bigint[][] {
  const one = exactScaled(1);
  const r0 = exactScaled(R);
  const rows: bigint[][] = [];
  for (let t = 0; t < d; t++) {
    for (const s of [-1n, 1n]) {
      const row = new Array<bigint>(d + 1).fill(0n);
      row[t] = s * one;
      row[d] = r0;
      rows.push(row);
    }
  }
  return rows;
}

/** The sign of r . (X, 2^1074) for integer X (x = X 2^-1074): the homogenised row at tau = 1. */
function rowSign(row: readonly bigint[], X: readonly bigint[]): number {
  const d = X.length;
  let s = row[d] << BigInt(POINT_SCALE);
  for (let t = 0; t < d; t++) s += row[t] * X[t];
  return s > 0n ? 1 : s < 0n ? -1 : 0;
}

/** Rows scaled to largest entry 1 as doubles, for the floating-point LPs. */
function floatRows(rows: readonly (readonly bigint[])[]): number[][] {
  return rows.map((r) => {
    let maxBits = 0;
    for (const v of r) maxBits = Math.max(maxBits, (v < 0n ? -v : v).toString(2).length);
    const shift = BigInt(Math.max(0, maxBits - 60));
    const x = r.map((v) => Number(v >> shift));
    const m = Math.max(...x.map(Math.abs));
    return m > 0 ? x.map((v) => v / m) : x;
  });
}

/**
 * A point of { x : r_i . (x, 1) > 0 } from the LP  r_i . (x, tau) >= 1, tau >= 1 (x free, split in
 * x+ - x-), or null. The caller checks it exactly.
 */
function feasiblePoint(rows: readonly (readonly bigint[])[], d: number, stats: { lps: number }): { x: Float64Array; X: bigint[] } | null {
  stats.lps++;
  const F = floatRows(rows);
  const variables = new Map<string, Coefficients>();
  for (let t = 0; t < d; t++) {
    variables.set(`p${t}`, F.map((r, i) => [`r${i}`, r[t]] as const));
    variables.set(`n${t}`, F.map((r, i) => [`r${i}`, -r[t]] as const));
  }
  variables.set('tau', [...F.map((r, i) => [`r${i}`, r[d]] as const), ['tauRow', 1]]);
  const constraints = new Map<string, { min: number }>(F.map((_, i) => [`r${i}`, { min: 1 }]));
  constraints.set('tauRow', { min: 1 });
  const sol = solve({ constraints, variables }, { includeZeroVariables: true, maxPivots: 20000 });
  if (sol.status !== 'optimal') return null;
  const v = new Map(sol.variables);
  const tau = v.get('tau') ?? 0;
  if (!(tau > 0)) return null;
  const x = new Float64Array(d);
  for (let t = 0; t < d; t++) x[t] = ((v.get(`p${t}`) ?? 0) - (v.get(`n${t}`) ?? 0)) / tau;
  if (!x.every(Number.isFinite)) return null;
  return { x, X: Array.from(x, exactScaled) };
}

/**
 * The point of least l1 norm with r_i . (x, 1) >= 1e-7 (rows scaled to largest entry 1), from an LP (x free,
 * split in x+ - x-), or null. The caller checks it exactly.
 */
function nearPoint(rows: readonly (readonly bigint[])[], d: number, stats: { lps: number }): { x: Float64Array; X: bigint[] } | null {
  stats.lps++;
  const F = floatRows(rows);
  const variables = new Map<string, Coefficients>();
  for (let t = 0; t < d; t++) {
    variables.set(`p${t}`, [...F.map((r, i) => [`r${i}`, r[t]] as const), ['norm', 1]]);
    variables.set(`n${t}`, [...F.map((r, i) => [`r${i}`, -r[t]] as const), ['norm', 1]]);
  }
  const constraints = new Map<string, { min: number }>(F.map((r, i) => [`r${i}`, { min: 1e-7 - r[d] }]));
  const sol = solve({ direction: 'minimize', objective: 'norm', constraints, variables }, { includeZeroVariables: true, maxPivots: 20000 });
  if (sol.status !== 'optimal') return null;
  const v = new Map(sol.variables);
  const x = new Float64Array(d);
  for (let t = 0; t < d; t++) x[t] = (v.get(`p${t}`) ?? 0) - (v.get(`n${t}`) ?? 0);
  if (!x.every(Number.isFinite)) return null;
  return { x, X: Array.from(x, exactScaled) };
}

/**
 * Whether the strict system r_i . (x, tau) > 0, tau > 0 is certainly infeasible: the LP for lambda >= 0,
 * sum lambda = 1, sum lambda_i r_i + mu (0, 1) = 0 gives a support, and {@link gordanCertificate} checks it
 * exactly.
 */
function emptyCertified(rows: readonly (readonly bigint[])[], d: number, stats: { lps: number }): boolean {
  stats.lps++;
  const all = [...rows, [...new Array<bigint>(d).fill(0n), 1n]];
  const F = floatRows(all);
  const variables = new Map<string, Coefficients>();
  F.forEach((r, i) => variables.set(`l${i}`, [...r.map((v, t) => [`c${t}`, v] as const), ['sum', 1]]));
  const constraints = new Map<string, { equal: number }>();
  for (let t = 0; t <= d; t++) constraints.set(`c${t}`, { equal: 0 });
  constraints.set('sum', { equal: 1 });
  const sol = solve({ constraints, variables }, { includeZeroVariables: true, maxPivots: 20000 });
  if (sol.status !== 'optimal') return false;
  const lam = new Map(sol.variables);
  const vals = F.map((_, i) => lam.get(`l${i}`) ?? 0);
  const top = Math.max(...vals);
  const support = vals.map((v, i) => (v > 1e-9 * top ? i : -1)).filter((i) => i >= 0);
  return gordanCertificate(all, support) !== null;
}
