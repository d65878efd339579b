import { norm2 } from '../linalg/gram.js';
import type { BumpsModel } from '../models/bumps.js';
import { PROFILE } from '../models/bumps.js';
import type { LinearModel } from '../models/linear.js';
import type { MlpModel } from '../models/mlp.js';
import type { Model } from '../models/model.js';
import type { TwoLayerModel } from '../models/random-features.js';
import type { TwoLayerWeights } from '../models/two-layer-net.js';
import { domainName, type Domain } from './domain.js';
import type { LipEstimate } from './estimate.js';

const exact = (value: number, domain: string, method: string, formula: string, terms: Record<string, number>): LipEstimate => ({
  kind: 'exact',
  value,
  witness: { type: 'certificate', formula, terms },
  domain,
  evaluations: 0,
  method,
});

/**
 * The exact Lipschitz constant where the class allows it (docs/science.md section 3), else null:
 * linear ||w||; bumps with disjoint supports max|h| sup|g'| / r; one-dimensional two-layer ReLU nets
 * (max |slope| over the intervals between breakpoints, restricted to the domain); ReLU networks whose
 * weights and biases are all nonnegative (the all-active pattern is the worst: every activation pattern's
 * Jacobian is entrywise between 0 and the all-active product, which is attained on the open positive
 * orthant, so the value holds on R^d and on any ball or sphere centred at 0).
 */
export function exactLipschitz(model: Model, D: Domain): LipEstimate | null {
  const name = domainName(D);
  switch (model.className) {
    case 'linear': {
      const w = (model as LinearModel).weights;
      return exact(norm2(w), name, 'linear-norm', '||w||_2', {});
    }
    case 'bumps':
    case 'atom-bumps': {
      const m = model as BumpsModel;
      // exact on any domain containing every support (R^d, or a centred ball of radius >= model.radius)
      if (!m.disjoint || !(D.kind === 'Rd' || (D.kind === 'ball' && D.radius >= m.radius))) return null;
      const H = m.heights.reduce((s, h) => Math.max(s, Math.abs(h)), 0);
      return exact((H * PROFILE[m.profile].supAbsDg) / m.r, name, 'bumps-disjoint', "max|h_i| sup|g'| / r", { r: m.r });
    }
    case 'random-features':
    case 'two-layer': {
      const net = (model as TwoLayerModel).net;
      if (net.act.name !== 'relu') return null;
      if (net.d === 1) {
        const [lo, hi] = D.kind === 'Rd' ? [-Infinity, Infinity] : D.kind === 'ball' ? [-D.radius, D.radius] : [Number.NaN, Number.NaN];
        if (Number.isNaN(lo)) return null;
        return exact(relu1d(net, lo, hi), name, 'relu-1d-breakpoints', 'max over intervals between breakpoints of |sum_{active j} a_j w_j|', {});
      }
      if (allNonNegative([net.W, net.b, net.a]) && (D.kind === 'Rd' || D.kind === 'ball' || D.kind === 'sphere')) {
        const g = new Float64Array(net.d);
        for (let j = 0; j < net.k; j++) for (let t = 0; t < net.d; t++) g[t] += net.a[j] * net.W[j * net.d + t];
        return exact(norm2(g), name, 'nonnegative-all-active', '||sum_j a_j w_j|| (all units active)', {});
      }
      return null;
    }
    case 'mlp': {
      const m = model as MlpModel;
      if (m.activation !== 'relu' || !(D.kind === 'Rd' || D.kind === 'ball' || D.kind === 'sphere')) return null;
      if (!allNonNegative(m.layers.flatMap((L) => [L.weights, L.biases]))) return null;
      // row vector v = W_D W_{D-1} ... W_1 (1 x d)
      let v = Float64Array.from(m.layers[m.layers.length - 1].weights);
      for (let l = m.layers.length - 2; l >= 0; l--) {
        const L = m.layers[l];
        const nv = new Float64Array(L.inputs);
        for (let r = 0; r < L.outputs; r++) for (let c = 0; c < L.inputs; c++) nv[c] += v[r] * L.weights[r * L.inputs + c];
        v = nv;
      }
      return exact(norm2(v), name, 'nonnegative-all-active', '||W_D ... W_1||_2 (all units active)', {});
    }
    case 'intrinsic-bumps': {
      // f = g o U^T with U^T an orthogonal projection onto R^m: Lip(f) = Lip(g), on R^d or on a centred ball
      const inner = (model as unknown as { inner: Model }).inner;
      if (D.kind !== 'Rd' && D.kind !== 'ball') return null;
      const e = exactLipschitz(inner, D);
      return e === null ? null : { ...e, method: `intrinsic-${e.method}`, domain: name };
    }
    default:
      return null;
  }
}

function allNonNegative(arrays: readonly Float64Array[]): boolean {
  return arrays.every((A) => A.every((v) => v >= 0));
}

/** max |f'| of a 1-D two-layer ReLU net over [lo, hi]: slopes between consecutive breakpoints. */
export function relu1d(net: TwoLayerWeights, lo: number, hi: number): number {
  const bps = new Set<number>();
  for (let j = 0; j < net.k; j++) if (net.W[j] !== 0) bps.add(-net.b[j] / net.W[j]);
  const pts = [...bps].filter((t) => t > lo && t < hi).sort((u, v) => u - v);
  const edges = [lo, ...pts, hi];
  let best = 0;
  for (let q = 0; q + 1 < edges.length; q++) {
    const [u, v] = [edges[q], edges[q + 1]];
    const mid = Number.isFinite(u) && Number.isFinite(v) ? (u + v) / 2 : Number.isFinite(u) ? u + 1 : Number.isFinite(v) ? v - 1 : 0;
    let slope = 0;
    for (let j = 0; j < net.k; j++) if (net.W[j] * mid + net.b[j] > 0) slope += net.a[j] * net.W[j];
    best = Math.max(best, Math.abs(slope));
  }
  return best;
}
