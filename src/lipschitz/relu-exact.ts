import { solve, type Coefficients } from 'yalps';
import { exactScaled, ldexp } from '../linalg/pow2.js';
import { exactEstimate, UNIT_ROUNDOFF } from './certificate.js';
import type { LipEstimate } from './estimate.js';
import { gordanCertificate } from './farkas.js';
import { Rng } from '../core/rng.js';

/** A dense layer: weights out x in (row-major) and biases. */
interface Layer {
  readonly weights: Float64Array;
  readonly biases: Float64Array;
  readonly inputs: number;
  readonly outputs: number;
}

/** The most hidden units {@link reluExactLipschitz} enumerates. */
export const RELU_EXACT_MAX_UNITS = 20;

/** Options of {@link reluExactLipschitz}. */
export interface ReluExactOptions {
  /** Search-tree nodes before giving up (default 200,000): the value is then unknown (null). */
  readonly maxNodes?: number;
  /** Seed of the random points whose regions start the pruning (default 0). */
  readonly seed?: number;
  /** How many (default 256). */
  readonly samples?: number;
}

/** What the enumeration did, for the witness and the tests. */
export interface ReluExactStats {
  /** Activation patterns whose open region was shown non-empty by a point (checked in exact arithmetic). */
  readonly regions: number;
  /** Partial patterns shown empty by an exact Gordan certificate. */
  readonly emptyCertified: number;
  /** Nodes cut because no completion could beat the best value (single hidden layer only). */
  readonly pruned: number;
  /** Patterns neither shown non-empty nor certified empty (their gradients count as possible values). */
  readonly undecided: number;
  readonly lps: number;
  readonly nodes: number;
}

/** An affine form c . x + c0, exact: c and c0 are integers times 2^-scale. */
interface Form {
  readonly c: bigint[];
  readonly c0: bigint;
  /** c and c0 are integer multiples of 2^-scale. */
  readonly scale: number;
}

/**
 * The exact Lipschitz constant over R^d of a ReLU network with one output and at most
 * {@link RELU_EXACT_MAX_UNITS} hidden units (any depth), by enumerating the activation patterns that some
 * input realises (docs/science.md section 10). f is continuous and affine on each open region
 * R_s = { x : s_i z_i(x) > 0 for every unit i } (z_i the pre-activation, an affine function of x once the
 * earlier layers' pattern is fixed); the regions cover R^d up to a null set, so Lip(f) = max over the
 * non-empty R_s of ||grad f on R_s||. A depth-first search fixes the units' signs layer by layer; each
 * partial pattern's region is decided
 * - non-empty by a point x inside it: the parent's point when it also satisfies the new inequality, else
 *   the solution of a floating-point LP (yalps) for the homogenised system; either way the strict
 *   inequalities are checked at x in exact integer arithmetic (every double is an integer multiple of
 *   2^-1074, and the forms are kept exact in BigInt), so no rounding can admit an empty region;
 * - empty by a Gordan certificate: lambda >= 0, lambda != 0, sum lambda_i (s_i c_i, s_i c0_i) = 0 with the
 *   row (0, 1) of tau > 0, its support from an LP and its values and the identity checked exactly
 *   (farkas.ts), so no rounding can drop a non-empty region.
 * A partial pattern that is neither (the LP was inconclusive) is explored further; a full pattern that is
 * neither counts as undecided. With one hidden layer, branches whose best completion ||g_fixed|| +
 * sum_free ||a_j w_j|| cannot beat the best proven value are cut. The value is returned as `exact` when
 * every undecided pattern's gradient norm is below the best proven one (else null: no exact value), with
 * the rounding of the norm (exact integer gradients, truncated to 60 bits and rounded, then a norm
 * of d terms: (17 d + 8) u relative) as its interval. Units whose pre-activation is identically zero on a region are
 * inactive there and add no inequality. Null for other activations, several outputs, more units, other
 * domains or when `maxNodes` is exceeded.
 */
export function reluExactLipschitz(layers: readonly Layer[], activations: readonly string[], options: ReluExactOptions = {}): { estimate: LipEstimate | null; stats: ReluExactStats } {
  const stats = { regions: 0, emptyCertified: 0, pruned: 0, undecided: 0, lps: 0, nodes: 0 };
  const fail = () => ({ estimate: null, stats });
  const D = layers.length;
  if (D < 2 || activations.length !== D - 1 || !activations.every((a) => a === 'relu')) return fail();
  if (layers[D - 1].outputs !== 1) return fail();
  const units = layers.slice(0, D - 1).reduce((s, L) => s + L.outputs, 0);
  if (units > RELU_EXACT_MAX_UNITS) return fail();
  if (!layers.every((L) => L.weights.every(Number.isFinite) && L.biases.every(Number.isFinite))) return fail();
  const d = layers[0].inputs;
  const maxNodes = options.maxNodes ?? 200000;
  const E = 1074;

  // unit order: layer by layer; an entry per unit: layer index, row
  const order: { l: number; r: number }[] = [];
  for (let l = 0; l < D - 1; l++) for (let r = 0; r < layers[l].outputs; r++) order.push({ l, r });

  /** The form of unit r of layer l given the forms and signs of layer l - 1 (null for l = 0: from the input). */
  const formOf = (l: number, r: number, prev: readonly Form[] | null, prevOn: readonly boolean[] | null): Form => {
    const L = layers[l];
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
  };
  // x as integers times 2^-1074: the sign of c . x + c0 exactly
  const signAt = (f: Form, X: readonly bigint[]) => {
    let s = f.c0 << BigInt(E);
    for (let t = 0; t < d; t++) s += f.c[t] * X[t];
    return s > 0n ? 1 : s < 0n ? -1 : 0;
  };
  const isZero = (f: Form) => f.c0 === 0n && f.c.every((v) => v === 0n);

  // single hidden layer: the pruning bound
  const single = D === 2;
  const awNorm: number[] = [];
  if (single) {
    const L1 = layers[0];
    const a = layers[1].weights;
    for (let j = 0; j < L1.outputs; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (a[j] * L1.weights[j * d + t]) ** 2;
      awNorm.push(Math.sqrt(s) * (1 + 8 * UNIT_ROUNDOFF));
    }
  }

  let best = -1; // the largest gradient norm of a region shown non-empty (lower end of its interval)
  let bestValue = 0;
  let undecidedMax = -1;
  const relErr = (17 * d + 8) * UNIT_ROUNDOFF;

  /**
   * ||gradient|| of the output form from its exact integer coefficients: each shifted right so that the largest
   * keeps 60 bits (the truncation errs by at most 2^-59 of the largest entry, so of the norm, per entry), then
   * rounded to a double (u), squared, summed and rooted ((d + 2) u): relative error below (17 d + 8) u.
   */
  const gradNorm = (f: Form) => {
    let maxBits = 0;
    for (const v of f.c) maxBits = Math.max(maxBits, (v < 0n ? -v : v).toString(2).length);
    const shift = Math.max(0, maxBits - 60);
    let s = 0;
    for (const v of f.c) s += Number(v >> BigInt(shift)) ** 2;
    return ldexp(Math.sqrt(s), shift - f.scale);
  };

  // rows of the homogenised strict system for the LP and the Gordan certificate: (s c, s c0) > 0, plus tau > 0
  const search = (depth: number, forms: Form[][], signs: boolean[][], rows: bigint[][], witness: bigint[] | null, witnessX: Float64Array | null, proven: boolean): boolean => {
    stats.nodes++;
    if (stats.nodes > maxNodes) return false;
    if (depth === order.length) {
      // the output form on this region
      const l = D - 1;
      const out = formOf(l, 0, forms[l - 1], signs[l - 1]);
      const g = gradNorm(out);
      if (proven) {
        stats.regions++;
        if (g > bestValue) {
          bestValue = g;
          best = g * (1 - relErr);
        }
      } else {
        stats.undecided++;
        undecidedMax = Math.max(undecidedMax, g * (1 + relErr));
      }
      return true;
    }
    const { l, r } = order[depth];
    const f = formOf(l, r, l === 0 ? null : forms[l - 1], l === 0 ? null : signs[l - 1]);
    if (single && best >= 0) {
      // the best completion: ||sum_{fixed on} a_j w_j|| + sum_{free} ||a_j w_j||
      const L1 = layers[0];
      const a = layers[1].weights;
      const gf = new Float64Array(d);
      for (let j = 0; j < depth; j++) if (signs[0][j]) for (let t = 0; t < d; t++) gf[t] += a[j] * L1.weights[j * d + t];
      let ub = Math.hypot(...gf) * (1 + (depth + d + 4) * UNIT_ROUNDOFF);
      for (let j = depth; j < L1.outputs; j++) ub += awNorm[j];
      ub *= 1 + (L1.outputs + 4) * UNIT_ROUNDOFF;
      if (ub < best) {
        stats.pruned++;
        return true;
      }
    }
    const layerForms = forms.map((x) => x.slice());
    const layerSigns = signs.map((x) => x.slice());
    if (!layerForms[l]) {
      layerForms[l] = [];
      layerSigns[l] = [];
    }
    layerForms[l].push(f);
    if (isZero(f)) {
      layerSigns[l].push(false);
      return search(depth + 1, layerForms, layerSigns, rows, witness, witnessX, proven);
    }
    for (const on of [true, false]) {
      const sgn = on ? 1n : -1n;
      const row = [...f.c.map((v) => sgn * v), sgn * f.c0];
      const childRows = [...rows, row];
      const childSigns = layerSigns.map((x) => x.slice());
      childSigns[l].push(on);
      let w = witness;
      let wx = witnessX;
      let childProven = false;
      if (w !== null && signAt(f, w) === (on ? 1 : -1)) childProven = proven;
      if (!childProven) {
        const found = feasiblePoint(childRows, d, stats);
        if (found !== null && childRows.every((rw) => rowSign(rw, found.X, E) > 0)) {
          w = found.X;
          wx = found.x;
          childProven = true;
        } else if (emptyCertified(childRows, d, stats)) {
          stats.emptyCertified++;
          continue;
        } else {
          w = null;
          wx = null;
        }
      }
      if (!search(depth + 1, layerForms, childSigns, childRows, w, wx, childProven)) return false;
    }
    return true;
  };
  // a starting value for the pruning: the regions of seeded random points (each point's pattern is read in
  // exact arithmetic; a point on a boundary z_i = 0 is skipped), proven non-empty by the point itself
  const rng = new Rng(options.seed ?? 0);
  let spread = 1;
  for (const L of layers.slice(0, D - 1)) for (let r = 0; r < L.outputs; r++) {
    let wn = 0;
    for (let t = 0; t < L.inputs; t++) wn += L.weights[r * L.inputs + t] ** 2;
    if (wn > 0) spread = Math.max(spread, Math.abs(L.biases[r]) / Math.sqrt(wn));
  }
  for (let i = 0; i < (options.samples ?? 256); i++) {
    const x = rng.fillNormal(new Float64Array(d), spread * 4 ** ((i % 4) - 1));
    const X = Array.from(x, exactScaled);
    let prev: Form[] | null = null;
    let prevOn: boolean[] | null = null;
    let onBoundary = false;
    for (let l = 0; l < D - 1 && !onBoundary; l++) {
      const fs: Form[] = [];
      const on: boolean[] = [];
      for (let r = 0; r < layers[l].outputs; r++) {
        const f = formOf(l, r, prev, prevOn);
        const sg = signAt(f, X);
        if (sg === 0 && !isZero(f)) onBoundary = true;
        fs.push(f);
        on.push(sg > 0);
      }
      prev = fs;
      prevOn = on;
    }
    if (onBoundary) continue;
    const g = gradNorm(formOf(D - 1, 0, prev, prevOn));
    if (g > bestValue) {
      bestValue = g;
      best = g * (1 - relErr);
    }
  }
  const ok = search(0, [], [], [], new Array<bigint>(d).fill(0n), new Float64Array(d), true);
  if (!ok || best < 0) return fail();
  if (undecidedMax > best) return fail();
  const estimate = exactEstimate(
    bestValue,
    'R^d',
    'relu-enumeration',
    'max over activation patterns realised on R^d of ||grad f||: regions shown non-empty by points checked in exact arithmetic, the others empty by exact Gordan certificates (docs/science.md section 10)',
    { regions: stats.regions, emptyCertified: stats.emptyCertified, pruned: stats.pruned, undecided: stats.undecided, lps: stats.lps },
    bestValue * relErr,
  );
  return { estimate, stats };
}

/** The sign of r . (X, 2^1074) for integer X (x = X 2^-1074): the homogenised row at tau = 1. */
function rowSign(row: readonly bigint[], X: readonly bigint[], E: number): number {
  const d = X.length;
  let s = row[d] << BigInt(E);
  for (let t = 0; t < d; t++) s += row[t] * X[t];
  return s > 0n ? 1 : s < 0n ? -1 : 0;
}

/** Rows scaled to largest entry 1 as doubles, for the floating-point LPs. */
function floatRows(rows: readonly bigint[][]): number[][] {
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
function feasiblePoint(rows: readonly bigint[][], d: number, stats: { lps: number }): { x: Float64Array; X: bigint[] } | null {
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
 * Whether the strict system r_i . (x, tau) > 0, tau > 0 is certainly infeasible: the LP for lambda >= 0,
 * sum lambda = 1, sum lambda_i r_i + mu (0, 1) = 0 gives a support, and {@link gordanCertificate} checks it
 * exactly.
 */
function emptyCertified(rows: readonly bigint[][], d: number, stats: { lps: number }): boolean {
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
