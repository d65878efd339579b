import { InputError } from '../core/input-error.js';
import { activationSlope, networkActivation, type NetworkActivation } from './network-activations.js';
import { norm2 } from '../linalg/gram.js';
import { spectralNorm } from '../linalg/spectral-norm.js';
import { exponentOf, ldexp, lowerEnd, productUpper, subnormalUp, upperEnd } from '../linalg/pow2.js';
import { twoSumError } from '../linalg/two-sum.js';
import { exactEstimate, gamma, UNIT_ROUNDOFF, upperEstimate } from '../lipschitz/certificate.js';
import { domainName } from '../lipschitz/domain.js';
import type { Rng } from '../core/rng.js';
import type { Domain } from '../lipschitz/domain.js';
import type { LipEstimate, LipSdpCertificateData, SpectralFactor } from '../lipschitz/estimate.js';
import type { Model } from './model.js';
import { layeredEvaluationError } from './evaluation-error.js';
import { lipSdpForLayers, networkBounds, reluExactForLayers, tighterUpper, type NetworkBounds } from '../lipschitz/sdp/network-bounds.js';

/** The largest bound on any activation (inputs in [-1, 1]^d) that {@link parseMlp} accepts. */
export const MLP_MAX_GAIN = 1e300;

/**
 * One dense layer: weights (out x in, row-major) and biases (out). Where the stored numbers are not exactly
 * those of the network a file describes (a BatchNormalization folded into the layer, a Gemm scaled by alpha,
 * each computed in f64), `weightError` and `biasError` bound the difference entrywise: |W* - W| <= weightError,
 * |b* - b| <= biasError (docs/science.md section 3, "Inexact weights"). Absent: the weights are exact.
 */
export interface DenseLayer {
  readonly weights: Float64Array;
  readonly biases: Float64Array;
  readonly inputs: number;
  readonly outputs: number;
  readonly weightError?: Float64Array;
  readonly biasError?: Float64Array;
  /**
   * Membership in a block of consecutive layers (relu between them) that computes a map with a known l2 -> l2
   * Lipschitz bound, such as max pooling (formats/spatial-ops.ts): layer `index` of `length`, every layer of the
   * block holding the same `id`. The spectral product uses `lipschitz` for a complete block instead of the
   * product of its layers' norms; any change to a layer of the block (a fold) drops the mark.
   */
  readonly block?: LayerBlock;
}

/** A block of layers with a known Lipschitz bound ({@link DenseLayer.block}). */
export interface LayerBlock {
  readonly id: object;
  readonly index: number;
  readonly length: number;
  readonly lipschitz: number;
  /**
   * Whether `lipschitz` was computed from the block's layers as they are, their error bounds and activations
   * included (a residual block: formats/residual.ts); else (max pooling) it holds only for exact weights and
   * relu between the layers.
   */
  readonly coversErrors?: boolean;
  /**
   * A residual block's branch F (y = s + F(s), as the reader read it from the file) with the data of the
   * spectral product that bounds Lip(F), for the independent checker (docs/science.md section 11).
   */
  readonly branch?: { readonly layers: readonly DenseLayer[]; readonly acts: readonly string[]; readonly data: unknown };
}

/** Whether some layer's weights or biases are known only up to a stated error ({@link DenseLayer.weightError}). */
export function hasInexactWeights(layers: readonly DenseLayer[]): boolean {
  return layers.some((L) => L.weightError !== undefined || L.biasError !== undefined);
}

/** A fully connected network f: R^d -> R with its layers exposed (for spectral-norm upper bounds). */
export interface MlpModel extends Model {
  readonly layers: readonly DenseLayer[];
  /** The hidden layers' activation when they all share one, else `mixed` (see {@link MlpModel.activations}). */
  readonly activation: NetworkActivation | 'mixed';
  /** The activation after each layer but the last (length layers.length - 1). */
  readonly activations: readonly NetworkActivation[];
}

/**
 * A fully connected network f: R^d -> R^m (m = `outputs`, a classifier's logits when m > 1), as a file
 * gives it: layers with an activation after each but the last. Its scalar views ({@link MlpNetwork.head}:
 * c^T f for a fixed c, e.g. one output or the margin f_i - f_j) are {@link MlpModel}s, so every scalar
 * estimator and certificate applies to them; the l2 -> l2 constant of f itself is bounded by
 * src/estimators/vector-lipschitz.ts from the Jacobian and these methods (docs/science.md section 3).
 */
export interface MlpNetwork {
  readonly d: number;
  /** Number of outputs m. */
  readonly outputs: number;
  readonly layers: readonly DenseLayer[];
  /** The activation after each layer but the last. */
  readonly activations: readonly NetworkActivation[];
  /** p = sum_l out_l (in_l + 1). */
  readonly p: number;
  readonly description: string;
  /**
   * A softmax or log-softmax the file applies to the outputs, read but not part of f: f is the logits, the
   * function a classifier's margins and verdicts are about (docs/science.md, "A classifier's verdict"); softmax
   * is 1/2-Lipschitz in l2 (its Jacobian diag(p) - p p^T has norm at most max_i 2 p_i (1 - p_i) <= 1/2, by
   * Gershgorin), so bounds on the probabilities
   * follow from those on the logits.
   */
  readonly outputTransform?: OutputTransform;
  /** f(x) for each row of the n x d matrix X, as an n x m matrix. */
  forward(X: Float64Array, n: number): Float64Array;
  /** The m x d Jacobian at x (row-major), by one backward pass per output; at relu kinks a one-sided one. */
  jacobian(x: Float64Array): Float64Array;
  /**
   * The scalar network c^T f (its last layer c^T W_D, c^T b_D), named `name` in its description, with
   * p = this network's p (the law counts every parameter of the network that produced it).
   */
  head(c: Float64Array, name: string): MlpModel;
  /** f itself as a scalar model (m = 1 only; throws an InputError naming `mlp.layers[D]` otherwise). */
  scalar(source?: string): MlpModel;
  /**
   * The exact l2 -> l2 Lipschitz constant where known (relu or linear units, all weights and biases
   * nonnegative, on R^d or a centred ball: ||W_D ... W_1||_2), as an interval; else null.
   */
  exactLipschitzL2(D: Domain, rng: Rng): LipEstimate | null;
  /** A certified upper bound on the l2 -> l2 Lipschitz constant: prod_l beta_l ||W_l||_op. */
  upperLipschitzL2(D: Domain, rng: Rng): LipEstimate | null;
}

/** The rule {@link requireBoundedActivations} states. */
export const ACTIVATION_BOUND_RULE = `weights whose activations stay below ${MLP_MAX_GAIN} for inputs in [-1, 1]^d (|h_l| <= beta_l (max row sum |w| |h_{l-1}| + max |b|) + |s_l(0)|), so that outputs and bounds stay finite`;

/**
 * Checks that every activation stays finite: for inputs with |x_c| <= 1, |h_l| <= beta_l (s_l |h_{l-1}| +
 * c_l) + |s_l(0)| with s_l the largest row sum of |w|, c_l the largest |b| and beta_l, s_l(0) of the
 * layer's activation ({@link activationSlope}; the last layer is affine). The bound is carried in logs and
 * kept within {@link MLP_MAX_GAIN}: weights that compensate across layers (1e155 then 1e-155) are fine, 201
 * layers of weight 100 are not. `fail(l, rowSum, shown)` reports layer l (from 0) and must throw.
 */
export function requireBoundedActivations(layers: readonly DenseLayer[], activations: readonly NetworkActivation[], fail: (layer: number, rowSum: number, shown: string) => never): void {
  let logBound = 0;
  const log10Sum = (x: number, y: number) => (x === -Infinity ? y : y === -Infinity ? x : Math.max(x, y) + Math.log10(1 + 10 ** (Math.min(x, y) - Math.max(x, y))));
  layers.forEach((L, l) => {
    let rows = 0;
    let bias = 0;
    for (let r = 0; r < L.outputs; r++) {
      let t = 0;
      for (let c = 0; c < L.inputs; c++) t += Math.abs(L.weights[r * L.inputs + c]);
      rows = Math.max(rows, t);
      bias = Math.max(bias, Math.abs(L.biases[r]));
    }
    logBound = log10Sum(Math.log10(rows) + logBound, Math.log10(bias));
    if (l < activations.length) {
      const { lip, atZero } = activationSlope(activations[l]);
      logBound = log10Sum(logBound + Math.log10(lip), Math.log10(atZero));
    }
    if (!(logBound <= Math.log10(MLP_MAX_GAIN))) fail(l, rows, `a bound of ${Number.isFinite(logBound) ? `1e${Math.round(logBound)}` : 'Infinity'} after ${l + 1} layer${l ? 's' : ''}`);
  });
}

/** Forward pass of one point: the pre-activations of every layer (the last is the output). */
function forwardOne(layers: readonly DenseLayer[], acts: readonly NetworkActivation[], x: Float64Array): Float64Array[] {
  const pre: Float64Array[] = [];
  let h = x;
  for (let l = 0; l < layers.length; l++) {
    const L = layers[l];
    const z = new Float64Array(L.outputs);
    for (let r = 0; r < L.outputs; r++) {
      let s = L.biases[r];
      for (let c = 0; c < L.inputs; c++) s += L.weights[r * L.inputs + c] * h[c];
      z[r] = s;
    }
    pre.push(z);
    h = l < layers.length - 1 ? z.map(networkActivation(acts[l]).f) : z;
  }
  return pre;
}

/** grad_x (g^T f)(x) by backprop from the output cotangent g, given the forward pass's pre-activations. */
function backward(layers: readonly DenseLayer[], acts: readonly NetworkActivation[], pre: readonly Float64Array[], out: Float64Array): Float64Array {
  let g = out;
  for (let l = layers.length - 1; l >= 0; l--) {
    const L = layers[l];
    if (l < layers.length - 1) {
      const ds = networkActivation(acts[l]).df;
      g = g.map((v, r) => v * ds(pre[l][r]));
    }
    const gin = new Float64Array(L.inputs);
    for (let r = 0; r < L.outputs; r++) {
      const gr = g[r];
      if (gr === 0) continue;
      for (let c = 0; c < L.inputs; c++) gin[c] += gr * L.weights[r * L.inputs + c];
    }
    g = gin;
  }
  return g;
}

/** The relu-or-linear, nonnegative case: every pattern's Jacobian lies entrywise in [0, W_D ... W_1]. */
function nonnegativeAllActive(layers: readonly DenseLayer[], acts: readonly NetworkActivation[], D: Domain): { A: Float64Array; E: number } | null {
  if (!acts.every((a) => a === 'relu' || a === 'linear') || !(D.kind === 'Rd' || D.kind === 'ball')) return null;
  if (!layers.every((L) => L.weights.every((v) => v >= 0) && L.biases.every((v) => v >= 0))) return null;
  // each layer scaled by a power of two to largest weight in [1, 2), so that the product neither underflows
  // nor overflows (A = 2^-E W_D ... W_1); a layer whose scaling is not exact (a weight far below its largest
  // would turn subnormal) and a product that reaches the subnormal range give no exact value here
  let E = 0;
  const scaled: Float64Array[] = [];
  for (const L of layers) {
    const mx = L.weights.reduce((s, v) => Math.max(s, v), 0);
    if (mx === 0) return { A: new Float64Array(layers[layers.length - 1].outputs * layers[0].inputs), E: 0 };
    const e = exponentOf(mx);
    const w = L.weights.map((v) => ldexp(v, -e));
    if (!w.every((v, i) => ldexp(v, e) === L.weights[i])) return null;
    E += e;
    scaled.push(w);
  }
  const last = layers[layers.length - 1];
  let A = Float64Array.from(scaled[layers.length - 1]);
  for (let l = layers.length - 2; l >= 0; l--) {
    const L = layers[l];
    const W = scaled[l];
    const next = new Float64Array(last.outputs * L.inputs);
    for (let i = 0; i < last.outputs; i++) for (let r = 0; r < L.outputs; r++) {
      const a = A[i * L.outputs + r];
      if (a !== 0) for (let c = 0; c < L.inputs; c++) {
        const p = a * W[r * L.inputs + c];
        if (p < 2 ** -1000 && W[r * L.inputs + c] !== 0) return null;
        next[i * L.inputs + c] += p;
      }
    }
    A = next;
  }
  return { A, E };
}

/**
 * The layers of c^T f: the last layer replaced by the row c^T W_D (bias c^T b_D). For an output (c = e_i) the
 * row is W_D's row i, exactly. For a margin (c = e_i - e_j) each entry W_ir - W_jr is split without rounding
 * into hi_r + lo_r (Knuth's two-sum: hi the rounded difference, lo its exact error); where some lo_r is not 0,
 * those units of the last hidden layer are duplicated (same row, same bias, so the same value) and the copies
 * carry lo_r: the head is then exactly f_i - f_j, whose certificates would otherwise be of a rounded function
 * (W_0 = (1, -1) and W_1 = (-2^-60, 0) round to the zero function). Any other c (the vector estimator's
 * search direction u^T f), and a margin of a network without a hidden layer (no unit to duplicate), is
 * rounded: such heads serve the search, or a linear map whose rows differ by more than their rounding. The
 * bias is rounded (a constant changes no Lipschitz constant).
 */
function headLayers(layers: readonly DenseLayer[], c: Float64Array): DenseLayer[] {
  const D = layers.length;
  const last = layers[D - 1];
  const h = last.inputs;
  const nz = Array.from(c.keys()).filter((i) => c[i] !== 0);
  const w = new Float64Array(h);
  const lo = new Float64Array(h);
  let b = 0;
  const margin = nz.length === 2 && Math.abs(c[nz[0]]) === 1 && Math.abs(c[nz[1]]) === 1;
  if (margin) {
    const [i, j] = nz;
    for (let r = 0; r < h; r++) {
      const x = c[i] * last.weights[i * h + r];
      const y = c[j] * last.weights[j * h + r];
      w[r] = x + y;
      lo[r] = twoSumError(x, y, w[r]);
    }
    b = c[i] * last.biases[i] + c[j] * last.biases[j];
  } else {
    for (const i of nz) {
      for (let r = 0; r < h; r++) w[r] += c[i] * last.weights[i * h + r];
      b += c[i] * last.biases[i];
    }
  }
  // a last layer known up to an error: the head's row up to sum_i |c_i| err_i (rounded up)
  const errs = headErrors(last, c, nz);
  const split = Array.from(lo.keys()).filter((r) => lo[r] !== 0 && Number.isFinite(lo[r]));
  if (split.length === 0 || D < 2) return [...layers.slice(0, D - 1), { weights: w, biases: new Float64Array([b]), inputs: h, outputs: 1, ...errs }];
  // duplicate the split units of the last hidden layer; the copies carry the exact errors lo_r
  const H = layers[D - 2];
  const wide = h + split.length;
  const weights = new Float64Array(wide * H.inputs);
  weights.set(H.weights);
  const biases = new Float64Array(wide);
  biases.set(H.biases);
  split.forEach((r, q) => {
    weights.set(H.weights.subarray(r * H.inputs, (r + 1) * H.inputs), (h + q) * H.inputs);
    biases[h + q] = H.biases[r];
  });
  const out = new Float64Array(wide);
  out.set(w);
  split.forEach((r, q) => (out[h + q] = lo[r]));
  // the copies carry their originals' errors; the exact two-sum errors lo_r carry none
  const hiddenErrs: Pick<DenseLayer, 'weightError' | 'biasError'> = {};
  if (H.weightError) {
    const e = new Float64Array(wide * H.inputs);
    e.set(H.weightError);
    split.forEach((r, q) => e.set(H.weightError!.subarray(r * H.inputs, (r + 1) * H.inputs), (h + q) * H.inputs));
    Object.assign(hiddenErrs, { weightError: e });
  }
  if (H.biasError) {
    const e = new Float64Array(wide);
    e.set(H.biasError);
    split.forEach((r, q) => (e[h + q] = H.biasError![r]));
    Object.assign(hiddenErrs, { biasError: e });
  }
  const outErrs: Pick<DenseLayer, 'weightError' | 'biasError'> = {};
  if (errs.weightError) {
    const e = new Float64Array(wide);
    e.set(errs.weightError);
    Object.assign(outErrs, { weightError: e });
  }
  if (errs.biasError) Object.assign(outErrs, { biasError: errs.biasError });
  return [...layers.slice(0, D - 2), { weights, biases, inputs: H.inputs, outputs: wide, ...hiddenErrs }, { weights: out, biases: new Float64Array([b]), inputs: wide, outputs: 1, ...outErrs }];
}

/** The errors of the row c^T W_D and bias c^T b_D from those of the last layer: sum_i |c_i| err_i, rounded up. */
function headErrors(last: DenseLayer, c: Float64Array, nz: readonly number[]): Pick<DenseLayer, 'weightError' | 'biasError'> {
  const h = last.inputs;
  const up = 1 + (nz.length + 2) * UNIT_ROUNDOFF;
  const out: { weightError?: Float64Array; biasError?: Float64Array } = {};
  if (last.weightError) {
    const e = new Float64Array(h);
    for (const i of nz) for (let r = 0; r < h; r++) e[r] += Math.abs(c[i]) * last.weightError[i * h + r];
    out.weightError = e.map((v) => subnormalUp(v * up));
  }
  if (last.biasError) {
    let e = 0;
    for (const i of nz) e += Math.abs(c[i]) * last.biasError[i];
    out.biasError = Float64Array.of(subnormalUp(e * up));
  }
  return out;
}

/** Relative rounding of the all-active product: each layer's sums of `outputs` nonnegative terms round by at most (outputs + 1) u. */
function productRounding(layers: readonly DenseLayer[], d: number): number {
  return layers.reduce((t, L) => t + L.outputs + 1, d + 4) * UNIT_ROUNDOFF * 1.01;
}

/** An output transform a file may apply after the last layer ({@link MlpNetwork.outputTransform}). */
export type OutputTransform = 'softmax' | 'log-softmax';

/** What a reader knows about a network beyond its dense layers ({@link mlpNetwork}). */
export interface MlpNetworkOptions {
  /** A softmax the file applies after the last layer (f stays the logits, and the description says so). */
  readonly outputTransform?: OutputTransform;
  /** Trained parameters folded into the dense layers (a BatchNormalization's gamma and beta), added to p. */
  readonly foldedParameters?: number;
  /**
   * The file's own parameter count, where the dense layers hold more numbers than it trains (a convolution's
   * dense matrix repeats each kernel weight; pooling and padding train none): replaces the dense count in p.
   */
  readonly parameterCount?: number;
}

/**
 * Wraps dense layers (any number of outputs) as an {@link MlpNetwork}; `activations` has one entry per
 * layer but the last, or one name for all of them.
 */
export function mlpNetwork(layers: readonly DenseLayer[], activations: NetworkActivation | readonly NetworkActivation[], options: MlpNetworkOptions = {}): MlpNetwork {
  const { outputTransform, foldedParameters = 0, parameterCount } = options;
  const acts = typeof activations === 'string' ? layers.slice(1).map(() => activations) : activations;
  if (acts.length !== layers.length - 1) throw new InputError('activations', `one per hidden layer (${layers.length - 1})`, acts.length, { context: 'mlpNetwork' });
  const d = layers[0].inputs;
  const D = layers.length;
  const last = layers[D - 1];
  const m = last.outputs;
  const p = (parameterCount ?? mlpParameterCount(layers)) + foldedParameters;
  const widths = [d, ...layers.map((L) => L.outputs)].join('-');
  const actName = acts.length > 0 && acts.every((a) => a === acts[0]) ? acts[0] : acts.length === 0 ? 'linear' : 'mixed';
  const folded = foldedParameters > 0 ? `, BatchNormalization folded (p counts its ${foldedParameters} gamma and beta)` : hasInexactWeights(layers) ? ', weights known to their rounding' : '';
  const transform = outputTransform ? `, ${outputTransform} output dropped (bounds are of the logits)` : '';
  const description = `mlp: ${D} layers ${widths}, ${actName === 'mixed' ? acts.join('/') : actName}${folded}${transform}`;
  const inexact = hasInexactWeights(layers);
  const net: MlpNetwork = {
    d,
    outputs: m,
    layers,
    activations: acts,
    p,
    description,
    ...(outputTransform ? { outputTransform } : {}),
    forward(X, n) {
      const out = new Float64Array(n * m);
      for (let i = 0; i < n; i++) out.set(forwardOne(layers, acts, X.subarray(i * d, i * d + d))[D - 1], i * m);
      return out;
    },
    jacobian(x) {
      const pre = forwardOne(layers, acts, x);
      const J = new Float64Array(m * d);
      for (let i = 0; i < m; i++) {
        const e = new Float64Array(m);
        e[i] = 1;
        J.set(backward(layers, acts, pre, e), i * d);
      }
      return J;
    },
    head(c, name) {
      if (c.length !== m) throw new InputError('c', `a vector of ${m} numbers (one per output)`, c.length, { context: 'MlpNetwork.head' });
      return mlpModel(headLayers(layers, c), acts, { p, description: `${description}, ${name}` });
    },
    scalar(source = 'mlp') {
      if (m !== 1) throw new InputError(`mlp.layers[${D}]`, 'a last layer with 1 output row', m, { context: source, shown: `${m} rows` });
      return mlpModel(layers, acts);
    },
    exactLipschitzL2(Dom, rng) {
      // weights known up to an error: no exact value (the spectral product covers the error)
      if (inexact) return null;
      const all = nonnegativeAllActive(layers, acts, Dom);
      if (all === null) return null;
      const { A, E } = all;
      const sn = spectralNorm(A, m, d, rng);
      if (!sn.available) return null;
      // the top of the interval: the certified spectral norm of the computed A, widened by A's rounding;
      // its bottom: ||A v|| / ||v|| for v the top eigenvector of A^T A by power iteration, narrowed likewise;
      // both scaled back by 2^E (the ends kept outward if that lands in the subnormal range)
      const rel = productRounding(layers, d) + (m + d + 4) * UNIT_ROUNDOFF;
      const lo = lowerEnd(ldexp(rayleighLower(A, m, d), E), rel);
      const hi = upperEnd(ldexp(sn.upper, E), rel);
      // a value past the largest double is no exact value (it was reported as Infinity with a NaN interval)
      if (!(hi < Number.POSITIVE_INFINITY && lo >= 0)) return null;
      return exactEstimate((lo + hi) / 2, domainName(Dom), 'nonnegative-all-active', '||W_D ... W_1||_2 (all units active, l2 -> l2)', { lower: lo, upper: hi }, (hi - lo) / 2);
    },
    upperLipschitzL2(Dom, rng) {
      const spectral = spectralProduct(layers, acts, Dom, rng, 'l2 -> l2');
      return inexact ? spectral : tighterUpper(spectral, lipSdpForLayers(layers, acts, Dom, 1));
    },
  };
  return net;
}

/** ||A v|| / ||v|| after 200 steps of power iteration on A^T A from the all-ones vector (a lower bound on ||A||_2 up to rounding). */
function rayleighLower(A: Float64Array, rows: number, cols: number): number {
  let v = new Float64Array(cols).fill(1);
  let best = 0;
  for (let it = 0; it < 200; it++) {
    const Av = new Float64Array(rows);
    for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) Av[i] += A[i * cols + c] * v[c];
    const nv = norm2(v);
    const nav = norm2(Av);
    if (!(nv > 0) || !(nav > 0)) return best;
    best = Math.max(best, nav / nv);
    const w = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) w[c] += A[i * cols + c] * Av[i];
    const nw = norm2(w);
    if (!(nw > 0)) return best;
    v = w.map((t) => t / nw);
  }
  return best;
}

/**
 * The spectral product's certified l2 -> l2 bound of a network (below) without the pair certificates: cheap (a
 * few spectral norms), for the readers that bound a part of a network while reading it (formats/residual.ts).
 * Null where not finite.
 */
export function spectralProductL2(layers: readonly DenseLayer[], acts: readonly NetworkActivation[], rng: Rng): LipEstimate | null {
  return spectralProduct(layers, acts, { kind: 'Rd' }, rng, 'l2 -> l2', false);
}

/**
 * prod_g beta_g ||M_g||_op over the groups g of layers joined by linear activations (M_g = W_j ... W_i, the
 * map such a group computes, each a certified spectral norm; beta_g the largest |slope| of the activation after
 * it): a Lipschitz bound of x -> W_D s(... s(W_1 x + b_1) ...) + b_D in l2 -> l2 on any domain (docs/science.md
 * section 3). A group's product is formed in f64 with an entrywise bound on its rounding and on the layers'
 * own errors (gamma_k |A| |B| + |A| E_B + E_A |B| + E_A E_B), added to its norm as ||E||_F: for a
 * convolutional network read as dense layers, pooling and the next convolution then count as one map, not as
 * the product of their norms. Null where a certificate is not finite.
 */
function spectralProduct(layers: readonly DenseLayer[], acts: readonly NetworkActivation[], Dom: Domain, rng: Rng, what: string, pairs = true): LipEstimate | null {
  // the chain as items: complete blocks with their bound, and groups of layers joined by linear activations
  // (multiplied out where the product is small enough), each with the activation after it
  type Item = { name: string; factor: number; errorNorm: number; M: { A: Float64Array; rows: number; cols: number } | null; after: NetworkActivation | null; first: number; last: number; norm: number };
  const items: Item[] = [];
  let l = 0;
  while (l < layers.length) {
    const blk = completeBlock(layers, acts, l);
    if (blk !== null) {
      const end = l + blk.length - 1;
      items.push({ name: `block${l + 1}-${end + 1}`, factor: blk.lipschitz, errorNorm: 0, M: null, after: end < acts.length ? acts[end] : null, first: l, last: end, norm: blk.lipschitz });
      l = end + 1;
      continue;
    }
    let j = l;
    while (j < acts.length && acts[j] === 'linear' && j + 1 < layers.length && completeBlock(layers, acts, j + 1) === null) j++;
    const whole = groupProduct(layers, l, j);
    const parts = whole !== null ? [{ M: whole, name: l === j ? `layer${l + 1}` : `layers${l + 1}-${j + 1}`, q: j, first: l }] : Array.from({ length: j - l + 1 }, (_, q) => ({ M: groupProduct(layers, l + q, l + q), name: `layer${l + q + 1}`, q: l + q, first: l + q }));
    for (const { M, name, q, first } of parts) {
      if (M === null) return null;
      const sn = spectralNorm(M.A, M.rows, M.cols, rng);
      // a certificate that cannot be computed finitely is unavailable, never a number
      if (!sn.available) return null;
      // weights known up to an entrywise error E: ||W*|| <= ||W|| + ||E||_F (docs/science.md section 3, "Inexact weights")
      const err = M.E ? upperEnd(norm2(M.E), (M.E.length + 2) * UNIT_ROUNDOFF) : 0;
      items.push({ name, factor: err > 0 ? upperEnd(sn.upper + err, 0) : sn.upper, errorNorm: err, M, after: q < acts.length ? acts[q] : null, first, last: q, norm: sn.upper });
    }
    l = j + 1;
  }
  // |slope| bound of the activation after item i (none after the last)
  const slope = (i: number) => (items[i].after === null || items[i].after === 'linear' ? 1 : activationSlope(items[i].after).lip);
  // best[i]: the smallest certified bound of items 0..i-1 (times the slope after i-1), with the merges used
  // (and, for the independent checker, each factor's data: the layers it spans, the norm or certificate, the slope)
  const best: { value: number; factors: number[]; terms: Record<string, number>; parts: SpectralFactor[] }[] = [{ value: 1, factors: [], terms: {}, parts: [] }];
  const span = (it: Item) => [it.first, it.last] as const;
  for (let i = 1; i <= items.length; i++) {
    const it = items[i - 1];
    const part: SpectralFactor = it.M === null ? { kind: 'block', layers: span(it), value: it.factor, slope: slope(i - 1) } : { kind: 'group', layers: span(it), norm: it.norm, slope: slope(i - 1) };
    const single = extend(best[i - 1], [it.factor, slope(i - 1)], { [it.name]: it.factor, ...(it.errorNorm > 0 ? { [`${it.name}Error`]: it.errorNorm } : {}), ...(slope(i - 1) !== 1 ? { [`slope${i}`]: slope(i - 1) } : {}) }, part);
    let choice = single;
    if (i >= 2 && pairs) {
      const pair = pairCertificate(items[i - 2], items[i - 1]);
      if (pair !== null) {
        const [a, b] = [items[i - 2], items[i - 1]];
        const merged = extend(best[i - 2], [pair.value, slope(i - 1)], { [`lipsdp(${a.name}, ${b.name})`]: pair.value, ...(slope(i - 1) !== 1 ? { [`slope${i}`]: slope(i - 1) } : {}) }, {
          kind: 'pair',
          layers: [a.first, b.last],
          split: a.last,
          norms: [a.norm, b.norm],
          certificate: pair.certificate,
          slope: slope(i - 1),
        });
        if (merged.value < choice.value) choice = merged;
      }
    }
    best.push(choice);
  }
  const { factors, terms, parts } = best[items.length];
  // the product rounded up without underflow on the way (2^-700 2^-700 2^700 2^700 is 1, not 0); one that
  // exceeds the largest double has no finite certificate either
  const prod = productUpper(factors);
  return Number.isFinite(prod)
    ? upperEstimate(prod, domainName(Dom), 'spectral-product', `prod_g beta_g ||M_g||_op over groups of layers joined by linear activations, multiplied out, with neighbouring groups bounded together by a one-hidden-layer LipSDP certificate where that is smaller${what ? `, ${what}` : ''}`, terms, 0, { kind: 'spectral-product', factors: parts })
    : null;
}

/** A DP state extended by more factors (its value the plain product, used only to compare choices) and one factor's data. */
function extend(s: { value: number; factors: number[]; terms: Record<string, number>; parts: SpectralFactor[] }, factors: number[], terms: Record<string, number>, part: SpectralFactor) {
  return { value: factors.reduce((v, f) => v * f, s.value), factors: [...s.factors, ...factors], terms: { ...s.terms, ...terms }, parts: [...s.parts, part] };
}

/** Hidden units above which two neighbouring groups are not bounded together (the pair's LipSDP solve grows as units^3). */
const PAIR_MAX_UNITS = 400;

/**
 * A certified l2 -> l2 bound of B s(A x) for two neighbouring groups (docs/science.md section 3, "Neighbouring
 * layers together"): the one-hidden-layer LipSDP-Neuron certificate of the computed products A^, B^ on R^d
 * (slopes of s in [alpha, beta] with alpha >= 0), plus what their errors E_A, E_B can add:
 * ||B D A|| <= ||B^ D A^|| + ||E_B||_F (||A^|| + ||E_A||_F) + ||B^|| ||E_A||_F for any diagonal D of slopes.
 * Null for a block, an activation with slopes below 0, more than PAIR_MAX_UNITS hidden units or no certificate.
 */
function pairCertificate(a: { M: { A: Float64Array; rows: number; cols: number } | null; factor: number; errorNorm: number; after: NetworkActivation | null }, b: { M: { A: Float64Array; rows: number; cols: number } | null; factor: number; errorNorm: number }): { value: number; certificate: LipSdpCertificateData | null } | null {
  if (a.M === null || b.M === null || a.after === null || a.after === 'linear' || a.M.rows > PAIR_MAX_UNITS) return null;
  if (activationSlope(a.after).alpha < 0) return null;
  const A: DenseLayer = { weights: a.M.A, biases: new Float64Array(a.M.rows), inputs: a.M.cols, outputs: a.M.rows };
  const B: DenseLayer = { weights: b.M.A, biases: new Float64Array(b.M.rows), inputs: b.M.cols, outputs: b.M.rows };
  const cert = lipSdpForLayers([A, B], [a.after], { kind: 'Rd' }, 1);
  if (cert === null || !Number.isFinite(cert.value)) return null;
  // the factors hold ||M^|| + ||E||_F: ||E_B|| (||A^|| + ||E_A||) + ||B^|| ||E_A|| <= ||E_B|| f_A + f_B ||E_A||
  const err = b.errorNorm * a.factor + b.factor * a.errorNorm;
  const data = cert.witness.type === 'certificate' && cert.witness.data?.kind === 'lipsdp-neuron' ? cert.witness.data : null;
  return { value: upperEnd(cert.value + err, 4 * UNIT_ROUNDOFF), certificate: data };
}

/**
 * The block starting at layer l when it is complete: layers l .. l + length - 1 all carry the same block id with
 * indices 0 .. length - 1 and (unless its bound covers them: {@link LayerBlock.coversErrors}) exact weights and
 * relu between them; else null.
 */
function completeBlock(layers: readonly DenseLayer[], acts: readonly NetworkActivation[], l: number): LayerBlock | null {
  const b = layers[l].block;
  if (b === undefined || b.index !== 0 || l + b.length > layers.length) return null;
  for (let q = 0; q < b.length; q++) {
    const L = layers[l + q];
    if (L.block?.id !== b.id || L.block.index !== q) return null;
    if (!b.coversErrors && (L.weightError !== undefined || (q < b.length - 1 && acts[l + q] !== 'relu'))) return null;
  }
  return b;
}

/** Largest group product formed (entries of the product chain): beyond it the layers' own norms are multiplied instead. */
const GROUP_PRODUCT_MAX_WORK = 2e8;

/**
 * W_j ... W_i (rows = outputs of j, cols = inputs of i) with an entrywise bound E on its distance from the exact
 * product of the exact weights (null: exact), or the single layer when i = j. Null for a chain whose product
 * would cost more than GROUP_PRODUCT_MAX_WORK multiply-adds or has entries that are not finite (the caller
 * then takes the layers one by one).
 */
function groupProduct(layers: readonly DenseLayer[], i: number, j: number): { A: Float64Array; E: Float64Array | null; rows: number; cols: number } | null {
  let A = layers[i].weights;
  let E: Float64Array | null = layers[i].weightError ?? null;
  const cols = layers[i].inputs;
  for (let l = i + 1; l <= j; l++) {
    const W = layers[l].weights;
    const EW = layers[l].weightError ?? null;
    const k = layers[l].inputs;
    const out = layers[l].outputs;
    if (out * k * cols > GROUP_PRODUCT_MAX_WORK) return null;
    const C = new Float64Array(out * cols);
    const abs = new Float64Array(out * cols);
    const errC = new Float64Array(out * cols);
    const g = gamma(k + 2);
    for (let r = 0; r < out; r++)
      for (let t = 0; t < k; t++) {
        const w = W[r * k + t];
        const ew = EW ? EW[r * k + t] : 0;
        if (w === 0 && ew === 0) continue;
        const aw = Math.abs(w);
        for (let c = 0; c < cols; c++) {
          const a = A[t * cols + c];
          C[r * cols + c] += w * a;
          abs[r * cols + c] += aw * Math.abs(a);
          const ea = E ? E[t * cols + c] : 0;
          if (ew !== 0 || ea !== 0) errC[r * cols + c] += aw * ea + ew * Math.abs(a) + ew * ea;
        }
      }
    for (let q = 0; q < errC.length; q++) errC[q] = (errC[q] + g * abs[q]) * (1 + 4 * UNIT_ROUNDOFF) + (abs[q] > 0 ? 4 * Number.MIN_VALUE : 0);
    A = C;
    E = errC;
  }
  if (!A.every(Number.isFinite) || (E !== null && !E.every(Number.isFinite))) return null;
  return { A, E, rows: layers[j].outputs, cols };
}

/** Options of {@link mlpModel}. */
export interface MlpModelOptions {
  /** The parameter count the law uses (default: this network's, sum_l out_l (in_l + 1)); a head of a larger network passes that network's. */
  readonly p?: number;
  /** The description (default `mlp: D layers d-h-...-1, activation`). */
  readonly description?: string;
  /** Radius R of the input ball that J and the default domain refer to (default 1; check-model passes the data's). */
  readonly radius?: number;
}

/**
 * Wraps dense layers with one output as a {@link Model}. J (docs/science.md section 1, J = R (W Q p)^D with Q = 1):
 * R (rho p)^D with rho = ||theta||, which bounds every weight and bias in the centred parameter ball of
 * radius rho that W = 2 rho describes, and R the input ball's radius (`options.radius`, default 1).
 */
export function mlpModel(layers: readonly DenseLayer[], activation: NetworkActivation | readonly NetworkActivation[], options: MlpModelOptions = {}): MlpModel {
  const acts = typeof activation === 'string' ? layers.slice(1).map(() => activation) : activation;
  if (acts.length !== layers.length - 1) throw new InputError('activations', `one per hidden layer (${layers.length - 1})`, acts.length, { context: 'mlpModel' });
  const radius = options.radius ?? 1;
  const d = layers[0].inputs;
  const p = options.p ?? mlpParameterCount(layers);
  let sq = 0;
  for (const L of layers) {
    sq += norm2(L.weights) ** 2 + norm2(L.biases) ** 2;
  }
  const D = layers.length;
  const uniform = acts.length > 0 && acts.every((a) => a === acts[0]) ? acts[0] : acts.length === 0 ? 'linear' : 'mixed';
  const widths = [d, ...layers.map((L) => L.outputs)].join('-');
  const one = new Float64Array([1]);
  // the network certificate and its lower bound, one search per domain object (upperLipschitz, lowerLipschitz)
  const inexact = hasInexactWeights(layers);
  const certificates = new WeakMap<Domain, NetworkBounds>();
  const certificateOn = (Dom: Domain): NetworkBounds => {
    let b = certificates.get(Dom);
    if (b === undefined) {
      b = networkBounds(layers, acts, Dom, 1);
      certificates.set(Dom, b);
    }
    return b;
  };
  return {
    className: 'mlp',
    d,
    p,
    description: options.description ?? `mlp: ${D} layers ${widths}, ${uniform === 'mixed' ? acts.join('/') : uniform}`,
    W: 2 * Math.sqrt(sq),
    J: radius * (Math.sqrt(sq) * p) ** D,
    radius,
    withRadius: (R) => mlpModel(layers, acts, { ...options, radius: R }),
    smooth: !acts.includes('relu'),
    params: { layers: D, activation: uniform === 'mixed' ? acts.join('/') : uniform, widths },
    layers,
    activation: uniform,
    activations: acts,
    // ReLU nets whose weights and biases are all nonnegative: the all-active pattern is the worst (every
    // pattern's Jacobian is entrywise between 0 and the all-active product, attained on the open positive
    // orthant, which meets every centred ball's interior), so Lip = ||W_D ... W_1||_2 on R^d and on any
    // centred ball. Not on a sphere: there only tangential secants count (relu(x1) + relu(x2) on the unit
    // circle has Lip 1, not sqrt 2), so the value is only an upper bound there. Linear units are always active.
    exactLipschitz: (Dom) => {
      // weights known up to an error: no exact value
      if (inexact) return null;
      const all = nonnegativeAllActive(layers, acts, Dom);
      // small relu nets on R^d: the activation patterns enumerated (docs/science.md section 10)
      if (all === null) return reluExactForLayers(layers, acts, Dom);
      // ||A|| of the scaled product, scaled back by 2^E (exactEstimate widens a subnormal result by two steps)
      const v = ldexp(norm2(all.A), all.E);
      // products of nonnegative entries: each layer's sums of `outputs` terms round relatively by at most
      // (outputs + 1) u, compounding over the layers; then the norm of d terms
      const err = productRounding(layers, d) * v;
      // past the largest double: no exact value (the other methods say what they can)
      if (!(v < Number.POSITIVE_INFINITY && err < Number.POSITIVE_INFINITY)) return null;
      return exactEstimate(v, domainName(Dom), 'nonnegative-all-active', '||W_D ... W_1||_2 (all units active)', {}, err);
    },
    // activations with slopes in [alpha, beta]: Lip <= prod_l beta_l ||W_l||_op, each a certified spectral norm (docs/science.md section 3)
    // with one hidden layer, the LipSDP-Neuron certificate where it is tighter (docs/science.md section 9); small
    // relu nets: its branch and bound over activation patterns (section 9.6)
    // Weights known up to an error (a folded BatchNormalization): the spectral product alone, which holds for
    // every activation pattern and so for the exact network; the network certificates, whose slope intervals and
    // patterns are those of the stored weights, are not used (docs/science.md section 3, "Inexact weights")
    upperLipschitz: (Dom, rng) => (inexact ? spectralProduct(layers, acts, Dom, rng, '') : tighterUpper(spectralProduct(layers, acts, Dom, rng, ''), certificateOn(Dom).upper)),
    // the lower bound of the same branch and bound (section 9.6, "Lower bound"), not a second search
    lowerLipschitz: (Dom) => (inexact ? null : certificateOn(Dom).lower),
    predict(X, m) {
      const out = new Float64Array(m);
      for (let i = 0; i < m; i++) out[i] = forwardOne(layers, acts, X.subarray(i * d, i * d + d))[D - 1][0];
      return out;
    },
    // running error propagation through the layers (docs/science.md section 3, "Rounding")
    evaluationError: (X, m) => layeredEvaluationError(layers, acts.map((a) => ({ s: networkActivation(a).f, beta: activationSlope(a).lip, absoluteError: networkActivation(a).absoluteError ?? 0 })), X, m),
    gradient(X, m) {
      const G = new Float64Array(m * d);
      for (let i = 0; i < m; i++) G.set(backward(layers, acts, forwardOne(layers, acts, X.subarray(i * d, i * d + d)), one), i * d);
      return G;
    },
  };
}
/** p = sum_l out_l (in_l + 1): every weight and bias. */
export function mlpParameterCount(layers: readonly Pick<DenseLayer, 'inputs' | 'outputs'>[]): number {
  return layers.reduce((s, L) => s + L.outputs * (L.inputs + 1), 0);
}
