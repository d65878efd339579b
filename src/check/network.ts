/**
 * A network file's function in interval arithmetic, for the checker: f(x) = W_D s(... s(W_1 x + b_1) ...) + b_D
 * from the layers as the file readers give them (weights, biases and their stated error bounds, activations by
 * name), evaluated and differentiated here from the definitions (docs/science.md, "The independent checker").
 * @module
 */
import { add, around, dotIntervals, down, mul, point, sum, up, type Interval } from './interval.js';
import { checkedActivation } from './activations.js';
import type { Refuted } from './domain.js';

/** A dense layer as the readers give it (the checker reads only these numbers). */
export interface CheckedLayer {
  readonly weights: Float64Array;
  readonly biases: Float64Array;
  readonly inputs: number;
  readonly outputs: number;
  readonly weightError?: Float64Array;
  readonly biasError?: Float64Array;
  /**
   * A block of layers the reader translated from one node (max pooling: layers with relu between them that take
   * each window's maximum), with the bound the reader states for the node: sqrt of the most windows sharing an
   * input cell. Trusted with the reader (docs/science.md section 11); a residual block (`coversErrors`) counts
   * 1 + Lip(F), Lip(F) re-proven from its branch's spectral product.
   */
  readonly block?: { readonly id: object; readonly index: number; readonly length: number; readonly lipschitz: number; readonly coversErrors?: boolean; readonly branch?: CheckedBranch };
}

/** A residual block's branch F as the reader read it (the block computes s + F(s)) and its spectral product's data. */
type CheckedBranch = { readonly layers: readonly CheckedLayer[]; readonly acts: readonly string[]; readonly data: unknown };

/** The layer's bias r as an interval (the stored value and its stated error). */
const bias = (L: CheckedLayer, r: number): Interval => around(L.biases[r], L.biasError?.[r] ?? 0);

/** sum_r c(r) W_{r,col}-style sums of a layer's weights: tight midpoint-radius dot products where the weights are exact. */
function weighted(L: CheckedLayer, n: number, c: (i: number) => Interval, at: (i: number) => number): Interval {
  const E = L.weightError;
  // a weight known to its stated error: the stored value +- the error, interval by interval
  return E === undefined ? dotIntervals(n, c, (i) => L.weights[at(i)]) : sum(Array.from({ length: n }, (_, i) => mul(c(i), around(L.weights[at(i)], E[at(i)]))));
}

/** W h + b of one layer. */
function affine(L: CheckedLayer, h: readonly Interval[]): Interval[] {
  return Array.from({ length: L.outputs }, (_, r) => add(bias(L, r), weighted(L, L.inputs, (c) => h[c], (c) => r * L.inputs + c)));
}

/** The pre-activations of every layer at x (the last is f(x)), or a reason why none. */
export function forward(layers: readonly CheckedLayer[], acts: readonly string[], x: readonly number[]): Interval[][] | string {
  let h: Interval[] = x.map(point);
  const pre: Interval[][] = [];
  for (let l = 0; l < layers.length; l++) {
    const z = affine(layers[l], h);
    pre.push(z);
    if (l === layers.length - 1) break;
    const s = checkedActivation(acts[l]);
    if (s === null) return `no enclosure of the activation ${acts[l]} in the checker`;
    const next: Interval[] = [];
    for (const v of z) {
      const e = s.value(v);
      if (e === null) return `no enclosure of ${acts[l]}`;
      next.push(e);
    }
    h = next;
  }
  return pre;
}

/**
 * c^T J(x), the gradient of c^T f at x (d intervals), by the chain rule through the enclosures of s' at the
 * pre-activations; `pattern` (relu networks) fixes each unit's slope to 1 (on) or 0 (off) after checking that
 * its pre-activation interval lies on that side of 0 (refuted where it certainly lies on the other). A reason
 * where a slope is not certain (a kink at x).
 */
export function headGradient(layers: readonly CheckedLayer[], acts: readonly string[], x: readonly number[], c: readonly number[], pattern?: string): Interval[] | string | Refuted {
  const pre = forward(layers, acts, x);
  if (typeof pre === 'string') return pre;
  const bits = pattern?.split('|');
  const D = layers.length;
  const last = layers[D - 1];
  let g: Interval[] = Array.from({ length: last.inputs }, (_, i) => weighted(last, c.length, (r) => point(c[r]), (r) => r * last.inputs + i));
  for (let l = D - 2; l >= 0; l--) {
    const s = checkedActivation(acts[l]);
    if (s === null) return `no enclosure of the activation ${acts[l]} in the checker`;
    const z = pre[l];
    const slopes: Interval[] = [];
    for (let r = 0; r < z.length; r++) {
      if (bits !== undefined) {
        const bit = bits[l]?.[r];
        if (bit === '1' && !(z[r].lo > 0)) return z[r].hi < 0 ? { refuted: `unit ${r + 1} of hidden layer ${l + 1} is off at the witness, not on as its pattern says` } : `unit ${r + 1} of hidden layer ${l + 1} is at its kink within rounding`;
        if (bit === '0' && !(z[r].hi < 0)) return z[r].lo > 0 ? { refuted: `unit ${r + 1} of hidden layer ${l + 1} is on at the witness, not off as its pattern says` } : `unit ${r + 1} of hidden layer ${l + 1} is at its kink within rounding`;
        if (bit !== '0' && bit !== '1') return `the pattern has no bit for unit ${r + 1} of hidden layer ${l + 1}`;
      }
      const sl = s.slope(z[r]);
      if (sl === null) return `unit ${r + 1} of hidden layer ${l + 1} is at a kink of ${acts[l]} within rounding`;
      slopes.push(sl);
    }
    const L = layers[l];
    const gs = g.map((v, r) => mul(v, slopes[r]));
    g = Array.from({ length: L.inputs }, (_, i) => weighted(L, gs.length, (r) => gs[r], (r) => r * L.inputs + i));
  }
  return g;
}

/**
 * f(x) enclosed fast, for many points at once (the training error): plain f64 with an a-priori bound on the
 * rounding, per layer |fl(W h + b) - (W h + b)| <= gamma_{n+2} (sum |w h| + |b|) plus sum |w| e_h for the error
 * e_h of h, and through an activation lip(s) e_z plus 2 ulps of the value (the elementary functions);
 * the bound's own sums raised by 1 + 2 gamma_{n+2}. Looser than {@link forward}, never below the truth.
 */
export function forwardLoose(layers: readonly CheckedLayer[], acts: readonly string[], x: readonly number[]): Interval[] | string {
  let h: Float64Array = Float64Array.from(x);
  let eh = new Float64Array(h.length);
  for (let l = 0; l < layers.length; l++) {
    const L = layers[l];
    if (L.weightError || L.biasError) return 'weights known only to their errors';
    const n = L.inputs;
    const g = ((n + 2) * 2 ** -53) / (1 - (n + 2) * 2 ** -53);
    const z = new Float64Array(L.outputs);
    const ez = new Float64Array(L.outputs);
    for (let r = 0; r < L.outputs; r++) {
      let v = L.biases[r];
      let mag = Math.abs(v);
      let prop = 0;
      for (let c = 0; c < n; c++) {
        const w = L.weights[r * n + c];
        v += w * h[c];
        mag += Math.abs(w * h[c]);
        prop += Math.abs(w) * eh[c];
      }
      z[r] = v;
      // the bound's own few roundings (relative u each) lie within its 1 + 2 gamma_{n+2}
      ez[r] = (g * mag + prop) * (1 + 2 * g) + (n + 2) * 2 ** -1074;
    }
    if (l === layers.length - 1) return Array.from(z, (v, r) => ({ lo: down(v - ez[r]), hi: up(v + ez[r]) }));
    const s = checkedActivation(acts[l]);
    if (s === null) return `no enclosure of the activation ${acts[l]} in the checker`;
    const range = s.slopes({ lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY });
    const global = Math.max(Math.abs(range.lo), Math.abs(range.hi));
    // not Lipschitz on R (square): its slopes near each pre-activation instead
    const lipAt = (r: number) => {
      if (Number.isFinite(global)) return global;
      const near = s.slopes({ lo: down(z[r] - ez[r]), hi: up(z[r] + ez[r]) });
      return Math.max(Math.abs(near.lo), Math.abs(near.hi));
    };
    h = new Float64Array(L.outputs);
    eh = new Float64Array(L.outputs);
    const plain = s.plain;
    if (plain === undefined) return `no plain evaluation of ${acts[l]}`;
    for (let r = 0; r < L.outputs; r++) {
      // within 2 ulps <= 2^-51 |s(z)| (and 2^-1073 near 0)
      h[r] = plain(z[r]);
      eh[r] = lipAt(r) * ez[r] * (1 + 2 ** -50) + Math.abs(h[r]) * 2 ** -50 + 2 ** -1073;
    }
  }
  return 'no layers';
}
