import type { Rng } from '../core/rng.js';
import { norm2 } from '../linalg/gram.js';
import { spectralNorm } from '../linalg/spectral-norm.js';
import { exactEstimate, upperEstimate } from '../lipschitz/certificate.js';
import { domainName, withinBall, type Domain } from '../lipschitz/domain.js';
import type { LipEstimate } from '../lipschitz/estimate.js';
import type { TwoLayerWeights } from './two-layer-net.js';

/**
 * The exact Lipschitz constant of a two-layer net f = sum_j a_j s(w_j . x + b_j) + c where it is known
 * (docs/science.md section 3), else null:
 * - one-dimensional ReLU nets: the largest |slope| over the intervals between breakpoints, restricted to
 *   the domain (R, or the ball [-R, R]);
 * - ReLU nets whose W, b and a are all nonnegative: the all-active pattern is the worst (every pattern's
 *   gradient is entrywise between 0 and the all-active sum_j a_j w_j, which is attained on the open
 *   positive orthant, which meets every centred ball's interior), so the value holds on R^d and on any
 *   centred ball. Not on a sphere, where only tangential secants count (relu(x1) + relu(x2) on the unit
 *   circle has Lip 1, not sqrt 2).
 */
export function twoLayerExact(net: TwoLayerWeights, D: Domain): LipEstimate | null {
  if (net.act.name !== 'relu') return null;
  const name = domainName(D);
  if (net.d === 1) {
    const [lo, hi] = D.kind === 'Rd' ? [-Infinity, Infinity] : D.kind === 'ball' ? [-D.radius, D.radius] : [Number.NaN, Number.NaN];
    if (Number.isNaN(lo)) return null;
    return exactEstimate(relu1d(net, lo, hi), name, 'relu-1d-breakpoints', 'max over intervals between breakpoints of |sum_{active j} a_j w_j|', {});
  }
  if ([net.W, net.b, net.a].every((A) => A.every((v) => v >= 0)) && (D.kind === 'Rd' || D.kind === 'ball')) {
    const g = new Float64Array(net.d);
    for (let j = 0; j < net.k; j++) for (let t = 0; t < net.d; t++) g[t] += net.a[j] * net.W[j * net.d + t];
    return exactEstimate(norm2(g), name, 'nonnegative-all-active', '||sum_j a_j w_j|| (all units active)', {});
  }
  return null;
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

/**
 * A certified upper bound for the two-layer form on the ball of radius R (R^d when D is not inside the
 * model's ball; docs/science.md section 3): with S'_j = sup |s'| on [-(||w_j|| R + |b_j|), ||w_j|| R + |b_j|],
 * the smaller of
 *   ||W||_op sqrt(sum_j a_j^2 S'_j^2)   (= Lip(s) ||a||_2 ||W||_op for 1-Lipschitz s) and
 *   sum_j |a_j| S'_j ||w_j||            (the sum bound).
 */
export function twoLayerUpper(net: TwoLayerWeights, D: Domain, radius: number, rng: Rng): LipEstimate {
  const R = withinBall(D, radius) ? radius : Number.POSITIVE_INFINITY;
  const { W, b, a, k, d, act } = net;
  let sq = 0;
  let sum = 0;
  for (let j = 0; j < k; j++) {
    let wn = 0;
    for (let t = 0; t < d; t++) wn += W[j * d + t] ** 2;
    wn = Math.sqrt(wn);
    const T = wn === 0 ? Math.abs(b[j]) : wn * R + Math.abs(b[j]);
    const sp = act.supAbsDf(T);
    sq += (a[j] * sp) ** 2;
    sum += Math.abs(a[j]) * sp * wn;
  }
  const op = spectralNorm(W, k, d, rng).upper;
  const spec = op * Math.sqrt(sq);
  const value = Math.min(spec, sum);
  return upperEstimate(value, domainName(D), spec <= sum ? 'two-layer-spectral' : 'two-layer-sum', "min(||W||_op sqrt(sum a_j^2 S'_j^2), sum |a_j| S'_j ||w_j||)", {
    spectral: spec,
    sum,
    opNormW: op,
  });
}
