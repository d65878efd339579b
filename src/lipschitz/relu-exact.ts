import { exactEstimate, UNIT_ROUNDOFF } from './certificate.js';
import type { LipEstimate } from './estimate.js';
import { decideChild, formGradNorm, gradNormRelativeError, isZeroForm, patternAt, unitForm, wholeSpace, type Form, type PatternRegion, type ReluLayer } from './relu-patterns.js';
import { Rng } from '../core/rng.js';
import { exponentOf, ldexp, lowerEnd, productUpper, upperEnd } from '../linalg/pow2.js';
import { norm2 } from '../linalg/gram.js';

/** A dense layer: weights out x in (row-major) and biases. */
type Layer = ReluLayer;

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

  // unit order: layer by layer; an entry per unit: layer index, row
  const order: { l: number; r: number }[] = [];
  for (let l = 0; l < D - 1; l++) for (let r = 0; r < layers[l].outputs; r++) order.push({ l, r });

  /** The form of unit r of layer l given the forms and signs of layer l - 1 (null for l = 0: from the input). */
  const formOf = (l: number, r: number, prev: readonly Form[] | null, prevOn: readonly boolean[] | null): Form => unitForm(layers, l, r, prev, prevOn);

  // single hidden layer: the pruning bound, computed on a and W scaled by powers of two (2^-sa a, 2^-sw W,
  // largest entries in [1, 2)) so that no square or product underflows, and compared with the best value
  // scaled the same way (docs/science.md section 10)
  const single = D === 2;
  const awNorm: number[] = [];
  let aS = new Float64Array(0);
  let wS = new Float64Array(0);
  let pruneShift = 0;
  if (single) {
    const L1 = layers[0];
    const maxOf = (A: Float64Array) => A.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const ma = maxOf(layers[1].weights);
    const mw = maxOf(L1.weights);
    const sa = ma > 0 ? exponentOf(ma) : 0;
    const sw = mw > 0 ? exponentOf(mw) : 0;
    pruneShift = sa + sw;
    aS = layers[1].weights.map((v) => ldexp(v, -sa));
    wS = L1.weights.map((v) => ldexp(v, -sw));
    for (let j = 0; j < L1.outputs; j++) {
      // ||a_j w_j|| = |a_j| ||w_j||: the norm scale-safe (norm2, relative (d + 2) u) and the product rounded up
      // without underflow (productUpper); squaring a_j w_jt in place underflowed (a_j w_j = 2^-600 gave 0, the
      // root was pruned and the "exact" value was half the true one). Entries of wS scaled down to subnormals
      // round by at most 2^-1075 each: covered by the absolute term
      const wn = norm2(wS.subarray(j * d, j * d + d)) * (1 + (d + 4) * UNIT_ROUNDOFF) + d * Number.MIN_VALUE;
      awNorm.push(productUpper([Math.abs(aS[j]), wn]) + (d + 2) * Number.MIN_VALUE);
    }
  }

  let best = -1; // the largest gradient norm of a region shown non-empty (lower end of its interval)
  let bestValue = 0;
  let undecidedMax = -1;
  const relErr = gradNormRelativeError(d);

  // the partial pattern's region: its homogenised strict rows (s c, s c0) . (x, tau) > 0 and a point, if known
  const search = (depth: number, forms: Form[][], signs: boolean[][], region: PatternRegion): boolean => {
    stats.nodes++;
    if (stats.nodes > maxNodes) return false;
    if (depth === order.length) {
      // the output form on this region
      const l = D - 1;
      const out = formOf(l, 0, forms[l - 1], signs[l - 1]);
      const g = formGradNorm(out);
      if (region.proven) {
        stats.regions++;
        if (g > bestValue) {
          bestValue = g;
          best = lowerEnd(g, relErr);
        }
      } else {
        stats.undecided++;
        undecidedMax = Math.max(undecidedMax, upperEnd(g, relErr));
      }
      return true;
    }
    const { l, r } = order[depth];
    const f = formOf(l, r, l === 0 ? null : forms[l - 1], l === 0 ? null : signs[l - 1]);
    if (single && best >= 0) {
      // the best completion: ||sum_{fixed on} a_j w_j|| + sum_{free} ||a_j w_j||
      const L1 = layers[0];
      const gf = new Float64Array(d);
      for (let j = 0; j < depth; j++) if (signs[0][j]) for (let t = 0; t < d; t++) gf[t] += aS[j] * wS[j * d + t];
      // each product aS_j wS_jt errs by at most 1.5 2^-1074 absolute where aS_j or the product is subnormal
      // (aS_j's own rounding times |wS| < 2, plus the product's): 2 (depth + 2) d 2^-1074 covers the norm's share
      let ub = Math.hypot(...gf) * (1 + (depth + d + 4) * UNIT_ROUNDOFF) + 2 * (depth + 2) * d * Number.MIN_VALUE;
      for (let j = depth; j < L1.outputs; j++) ub += awNorm[j];
      ub *= 1 + (L1.outputs + 4) * UNIT_ROUNDOFF;
      // best in the scaled units, rounded down (two subnormal steps where it lands there)
      if (ub < lowerEnd(ldexp(best, -pruneShift), 0)) {
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
    if (isZeroForm(f)) {
      layerSigns[l].push(false);
      return search(depth + 1, layerForms, layerSigns, region);
    }
    for (const on of [true, false]) {
      const childSigns = layerSigns.map((x) => x.slice());
      childSigns[l].push(on);
      const child = decideChild(region, f, on, stats);
      if (child === 'empty') {
        stats.emptyCertified++;
        continue;
      }
      if (!search(depth + 1, layerForms, childSigns, child)) return false;
    }
    return true;
  };
  // a starting value for the pruning: the regions of seeded random points (each point's pattern is read in
  // exact arithmetic; a point on a boundary z_i = 0 is skipped), proven non-empty by the point itself
  const rng = new Rng(options.seed ?? 0);
  let spread = 1;
  for (const L of layers.slice(0, D - 1)) for (let r = 0; r < L.outputs; r++) {
    // the row's norm without underflow (hypot scales), so that the points do not depend on the layer's scale
    const wn = Math.hypot(...L.weights.subarray(r * L.inputs, (r + 1) * L.inputs));
    if (wn > 0) spread = Math.max(spread, Math.abs(L.biases[r]) / wn);
  }
  for (let i = 0; i < (options.samples ?? 256); i++) {
    const x = rng.fillNormal(new Float64Array(d), spread * 4 ** ((i % 4) - 1));
    const at = patternAt(layers, x);
    if (at === null) continue;
    const g = formGradNorm(at.out);
    if (g > bestValue) {
      bestValue = g;
      best = lowerEnd(g, relErr);
    }
  }
  const ok = search(0, [], [], wholeSpace(d));
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
