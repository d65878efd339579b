/**
 * A spectral-product bound of a network re-proven from its factors (docs/science.md sections 3 and 11): the
 * factors tile the layers in order; a group of layers joined by linear activations is multiplied out here in
 * f64, with an entrywise bound E on its distance from the exact product of the exact weights (their stated
 * errors included), and bounds by ||M^|| + ||E||_F, its stated norm of M^ proven; a pair of groups is bounded by
 * its one-hidden-layer LipSDP certificate (of the products M^) plus ||E_B|| f_A + f_B ||E_A||; each factor is
 * multiplied by the largest |slope| of the activation after it. A max-pooling node's layers count with the bound
 * the file reader states for the node; a residual block's (s + F(s), as the reader read the file's Add) with
 * 1 + Lip(F), its branch's spectral product re-proven likewise.
 * @module
 */
import { add, mul, norm, point, up, type Interval } from './interval.js';
import { checkedActivation } from './activations.js';
import { lipSdpBound, type LipSdpData } from './lipsdp.js';
import { spectralCheck } from './spectral.js';
import type { CheckedLayer } from './network.js';

/** The product W_j ... W_i in f64 and an entrywise bound on its distance from the exact product of the exact weights. */
function product(layers: readonly CheckedLayer[], i: number, j: number): { A: Float64Array; E: Float64Array; rows: number; cols: number } {
  let A = layers[i].weights;
  let E = layers[i].weightError ?? new Float64Array(A.length);
  const cols = layers[i].inputs;
  for (let l = i + 1; l <= j; l++) {
    const { weights: W, inputs: k, outputs: out } = layers[l];
    const EW = layers[l].weightError;
    const C = new Float64Array(out * cols);
    const abs = new Float64Array(out * cols);
    const err = new Float64Array(out * cols);
    for (let r = 0; r < out; r++)
      for (let t = 0; t < k; t++) {
        const w = W[r * k + t];
        const ew = EW ? EW[r * k + t] : 0;
        if (w === 0 && ew === 0) continue;
        for (let c = 0; c < cols; c++) {
          const a = A[t * cols + c];
          C[r * cols + c] += w * a;
          abs[r * cols + c] += Math.abs(w * a);
          err[r * cols + c] += Math.abs(w) * E[t * cols + c] + ew * (Math.abs(a) + E[t * cols + c]);
        }
      }
    // the sum's rounding: gamma_k sum |w a| (Higham, Lemma 3.1) <= gamma_{k+2} times the computed sum of the
    // rounded |w a| (each within u, the sum within gamma_k below the truth); the error terms' own sum, computed
    // in f64, raised by 1 + 2 gamma_{k+2}; and underflow
    const g = ((k + 2) * 2 ** -53) / (1 - (k + 2) * 2 ** -53);
    for (let q = 0; q < C.length; q++) err[q] = up((err[q] + g * abs[q]) * (1 + 2 * g) + 4 * k * 2 ** -1074);
    A = C;
    E = err;
  }
  return { A, E, rows: layers[j].outputs, cols };
}

/** The largest |s'| over R of the activation after layer l (none after the last layer: 1). */
function slopeAfter(acts: readonly string[], l: number): number | string {
  if (l >= acts.length) return 1;
  const s = checkedActivation(acts[l]);
  if (s === null) return `no slope enclosure of ${acts[l]} in the checker`;
  const r = s.slopes({ lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY });
  return Math.max(Math.abs(r.lo), Math.abs(r.hi));
}

/** What the factors prove (an upper end), or why nothing (rejected where a factor certainly fails). */
export function spectralProductBound(layers: readonly CheckedLayer[], acts: readonly string[], data: unknown): { bound: number } | { reason: string; rejected: boolean } {
  const no = (reason: string, rejected = false) => ({ reason, rejected });
  const factors = typeof data === 'object' && data !== null ? (data as { factors?: unknown }).factors : undefined;
  if (!Array.isArray(factors)) return no('no factors');
  let next = 0;
  let total: Interval = point(1);
  const linear = (a: number, b: number) => acts.slice(a, b).every((x) => x === 'linear');
  // a group's bound f = ||M^|| + ||E||_F with its norm proven, and ||E||_F
  const group = (a: number, b: number, stated: unknown): { f: number; e: number } | { reason: string; rejected: boolean } => {
    if (!linear(a, b)) return no(`layers ${a + 1}-${b + 1} are joined by a nonlinear activation`, true);
    const M = product(layers, a, b);
    const e = norm(Array.from(M.E, point)).hi;
    const proof = typeof stated === 'number' ? spectralCheck(M.A, M.rows, M.cols, stated) : { refuted: 'no norm' };
    if (proof !== true) return no(`the norm ${String(stated)} of layers ${a + 1}-${b + 1}: ${typeof proof === 'string' ? proof : `certainly exceeded (${proof.refuted})`}`, typeof proof !== 'string');
    return { f: add(point(stated as number), point(e)).hi, e };
  };
  for (const raw of factors as Record<string, unknown>[]) {
    const span = Array.isArray(raw.layers) ? (raw.layers as number[]) : [];
    const [a, b] = span;
    if (a !== next || !(Number.isInteger(b) && b >= a && b < layers.length)) return no('factors that do not tile the layers in order', true);
    next = b + 1;
    let f: number;
    if (raw.kind === 'group') {
      const g = group(a, b, raw.norm);
      if ('reason' in g) return g;
      f = g.f;
    } else if (raw.kind === 'pair') {
      const split = raw.split as number;
      const norms = Array.isArray(raw.norms) ? (raw.norms as unknown[]) : [];
      if (!(Number.isInteger(split) && split >= a && split < b) || acts[split] === 'linear' || !linear(a, split) || !linear(split + 1, b)) return no(`a pair of layers ${a + 1}-${b + 1} not split at one nonlinear activation`, true);
      if (raw.certificate === null || typeof raw.certificate !== 'object') return no('a pair without its certificate');
      const A = product(layers, a, split);
      const B = product(layers, split + 1, b);
      const L1 = { weights: A.A, biases: new Float64Array(A.rows), inputs: A.cols, outputs: A.rows };
      const L2 = { weights: B.A, biases: new Float64Array(B.rows), inputs: B.cols, outputs: B.rows };
      const r = lipSdpBound(L1, L2, acts[split], raw.certificate as LipSdpData, Number.POSITIVE_INFINITY);
      if ('reason' in r) return no(`the pair of layers ${a + 1}-${b + 1}: ${r.reason}`, r.rejected);
      // ||B D A|| <= ||B^ D A^|| + ||E_B|| f_A + f_B ||E_A|| (the groups' norms proven where an error counts)
      const eA = norm(Array.from(A.E, point)).hi;
      const eB = norm(Array.from(B.E, point)).hi;
      let extra = point(0);
      if (eA > 0 || eB > 0) {
        const gA = group(a, split, norms[0]);
        if ('reason' in gA) return gA;
        const gB = group(split + 1, b, norms[1]);
        if ('reason' in gB) return gB;
        extra = add(mul(point(eB), point(gA.f)), mul(point(gB.f), point(eA)));
      }
      f = add(point(r.bound), extra).hi;
    } else if (raw.kind === 'block') {
      // a max-pooling node's layers, as the reader marked them, with the reader's bound (section 11)
      const blk = layers[a].block;
      const whole = blk !== undefined && blk.length === b - a + 1 && layers.slice(a, b + 1).every((L, q) => L.block?.id === blk.id && L.block.index === q);
      if (!whole) return no(`the block of layers ${a + 1}-${b + 1} is not one node of the file`, true);
      if (blk.coversErrors === true) {
        // a residual block y = s + F(s): 1 + Lip(F), Lip(F) from the branch's own spectral product
        if (blk.branch === undefined) return no(`the residual block of layers ${a + 1}-${b + 1} carries no branch`);
        const inner = spectralProductBound(blk.branch.layers, blk.branch.acts, blk.branch.data);
        if ('reason' in inner) return no(`the residual block of layers ${a + 1}-${b + 1}: ${inner.reason}`, inner.rejected);
        f = add(point(1), point(inner.bound)).hi;
      } else f = blk.lipschitz;
    } else return no(`a ${String(raw.kind)} factor is not checked`);
    const s = slopeAfter(acts, b);
    if (typeof s === 'string') return no(s);
    total = mul(mul(total, point(f)), point(s));
  }
  if (next !== layers.length) return no('factors that do not cover every layer', true);
  return { bound: total.hi };
}
