import type { Rng } from '../core/rng.js';
import { norm2 } from '../linalg/gram.js';
import { spectralNorm } from '../linalg/spectral-norm.js';
import { exactEstimate, UNIT_ROUNDOFF, upperEstimate } from '../lipschitz/certificate.js';
import { exactScaled, productUpper, subnormalUp } from '../linalg/pow2.js';
import { domainName, withinBall, type Domain } from '../lipschitz/domain.js';
import type { LipEstimate } from '../lipschitz/estimate.js';
import type { TwoLayerWeights } from './two-layer-net.js';
import { lipSdpForTwoLayer, tighterUpper } from '../lipschitz/sdp/network-bounds.js';
import { gamma } from '../lipschitz/certificate.js';
import type { AffineGradientField } from '../lipschitz/quadratic-trust-region.js';
import { matmulABt, transpose } from '../linalg/matmul.js';
import { twoSumError } from '../linalg/two-sum.js';

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
    const { value, error } = relu1d(net, lo, hi);
    return exactEstimate(value, name, 'relu-1d-breakpoints', 'max over intervals between breakpoints of |sum_{active j} a_j w_j|', {}, error);
  }
  if ([net.W, net.b, net.a].every((A) => A.every((v) => v >= 0)) && (D.kind === 'Rd' || D.kind === 'ball')) {
    const g = new Float64Array(net.d);
    for (let j = 0; j < net.k; j++) for (let t = 0; t < net.d; t++) g[t] += net.a[j] * net.W[j * net.d + t];
    const v = norm2(g);
    // sums of k nonnegative products, then a norm of d terms: relative rounding below (k + d + 4) u
    return exactEstimate(v, name, 'nonnegative-all-active', '||sum_j a_j w_j|| (all units active)', {}, (net.k + net.d + 4) * UNIT_ROUNDOFF * v);
  }
  return null;
}

/**
 * max |f'| of a 1-D two-layer ReLU net over [lo, hi], examining every interval between consecutive
 * breakpoints. The breakpoints t_j = -b_j / w_j are compared in exact integer arithmetic (every double is
 * an integer multiple of 2^-1074; t_i < t_j is decided by cross-multiplying with |w_i| |w_j|), so two
 * breakpoints an ulp apart, or equal after rounding but not before, are ordered as they truly are; a unit's
 * activity on an interval follows from where its breakpoint lies, never from evaluating the net at a
 * midpoint (an interval one ulp wide has no midpoint of its own). `error` bounds the rounding of the slope
 * sums: (k + 2) u sum_j |a_j w_j|.
 */
export function relu1d(net: TwoLayerWeights, lo: number, hi: number): { readonly value: number; readonly error: number } {
  const { W, b, a, k } = net;
  let total = 0;
  for (let j = 0; j < k; j++) total += Math.abs(a[j] * W[j]);
  // t_j = num_j / den_j exactly, den_j > 0 (both scaled by 2^1074)
  const num = new Map<number, bigint>();
  const den = new Map<number, bigint>();
  const units: number[] = [];
  for (let j = 0; j < k; j++) {
    if (W[j] === 0) continue; // constant unit: no slope
    units.push(j);
    num.set(j, -exactScaled(b[j]) * BigInt(Math.sign(W[j])));
    den.set(j, exactScaled(Math.abs(W[j])));
  }
  const cmp = (i: number, j: number) => {
    const d = num.get(i)! * den.get(j)! - num.get(j)! * den.get(i)!;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  };
  // -1 if t_j < x, 0 if equal, 1 if t_j > x (x may be infinite)
  const cmpTo = (j: number, x: number) => {
    if (x === Number.POSITIVE_INFINITY) return -1;
    if (x === Number.NEGATIVE_INFINITY) return 1;
    const d = num.get(j)! * (1n << 1074n) - exactScaled(x) * den.get(j)!;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  };
  // the distinct breakpoints strictly inside (lo, hi), in exact order: tau_1 < ... < tau_G
  const inside = units.filter((j) => cmpTo(j, lo) > 0 && cmpTo(j, hi) < 0).sort(cmp);
  const rank = new Map<number, number>(); // unit -> index g of tau_{g+1} = t_j
  let G = 0;
  inside.forEach((j, q) => {
    if (q > 0 && cmp(inside[q - 1], j) !== 0) G++;
    rank.set(j, G);
  });
  G = inside.length === 0 ? 0 : G + 1;
  // intervals I_q = (tau_q, tau_{q+1}), q = 0..G, with tau_0 = lo and tau_{G+1} = hi; unit j is active on I_q
  // iff w_j > 0 and t_j <= tau_q, or w_j < 0 and t_j >= tau_{q+1}: an interval [from, to] of q
  const ranges = units.map((j) => {
    const r = rank.get(j);
    const left = r === undefined && cmpTo(j, lo) <= 0; // t_j <= lo
    if (W[j] > 0) return r !== undefined ? [r + 1, G] : left ? [0, G] : [1, 0];
    return r !== undefined ? [0, r] : left ? [1, 0] : [0, G];
  });
  let best = 0;
  for (let q = 0; q <= G; q++) {
    let s = 0;
    units.forEach((j, u) => {
      if (ranges[u][0] <= q && q <= ranges[u][1]) s += a[j] * W[j];
    });
    best = Math.max(best, Math.abs(s));
  }
  return { value: best, error: (k + 2) * UNIT_ROUNDOFF * total };
}

/**
 * A certified upper bound for the two-layer form on the ball of radius R (R^d when D is not inside the
 * model's ball; docs/science.md section 3): with S'_j = sup |s'| on [-(||w_j|| R + |b_j|), ||w_j|| R + |b_j|],
 * the smaller of
 *   ||W||_op sqrt(sum_j a_j^2 S'_j^2)   (= Lip(s) ||a||_2 ||W||_op for 1-Lipschitz s) and
 *   sum_j |a_j| S'_j ||w_j||            (the sum bound).
 */
export function twoLayerUpper(net: TwoLayerWeights, D: Domain, radius: number, rng: Rng): LipEstimate | null {
  const R = withinBall(D, radius) ? radius : Number.POSITIVE_INFINITY;
  const { W, b, a, k, d, act } = net;
  // |a_j| S'_j and |a_j| S'_j ||w_j||, each rounded up without underflow on the way (productUpper): squaring
  // a_j S'_j in place turns |a_j| <= 1e-162 into 0 and left a bound of 2^-1073 for a net whose constant is
  // 1e-170 (docs/science.md section 3, "Scale safety")
  const aS = new Float64Array(k);
  let sum = 0;
  for (let j = 0; j < k; j++) {
    // the row's norm scale-safe, rounded up (a sum of squares of weights near 1e-163 is 0)
    const wn = norm2(W.subarray(j * d, j * d + d)) * (1 + (d + 4) * UNIT_ROUNDOFF);
    const T = wn === 0 ? Math.abs(b[j]) : (wn * R + Math.abs(b[j])) * (1 + 2 * UNIT_ROUNDOFF);
    const sp = act.supAbsDf(T);
    aS[j] = productUpper([Math.abs(a[j]), sp]);
    sum += productUpper([Math.abs(a[j]), sp, wn]);
  }
  const sn = spectralNorm(W, k, d, rng);
  const op = sn.available ? sn.upper : Number.POSITIVE_INFINITY;
  // the sums of k terms, their products and the root, rounded up (gamma_{k+8} relative, two subnormal steps
  // where they land there): a certificate never rests on a rounding in its favour
  const up = (v: number) => subnormalUp(v * (1 + gamma(k + 8)));
  // sqrt(sum_j (a_j S'_j)^2) scale-safe (norm2: relative (k + 2) u), raised past its own subnormal rounding
  // before the product, where op could magnify an absolute error
  const root = subnormalUp(norm2(aS) * (1 + (k + 4) * UNIT_ROUNDOFF));
  const spec = up(productUpper([op, root]));
  const value = Math.min(spec, up(sum));
  // neither bound computes finitely: no certificate (never an infinite or overflowed number)
  const simple = !Number.isFinite(value)
    ? null
    : upperEstimate(value, domainName(D), spec <= sum ? 'two-layer-spectral' : 'two-layer-sum', "min(||W||_op sqrt(sum a_j^2 S'_j^2), sum |a_j| S'_j ||w_j||)", {
        spectral: spec,
        sum: up(sum),
        opNormW: op,
      });
  // the LipSDP-Neuron certificate where it is tighter (docs/science.md section 9)
  return tighterUpper(simple, lipSdpForTwoLayer(net, D, radius));
}

/** Features per block of {@link twoLayerSquareField}'s product (the blocks' sums are added with compensation). */
const SQUARE_BLOCK = 64;

/**
 * The gradient field of f(x) = sum_j a_j s(w_j . x + b_j) + c for the square activation s(t) = t^2 / 2
 * (docs/science.md section 9.7): grad f(x) = A x + g with A = W^T diag(a) W and g = W^T (a * b), computed in f64
 * with the bounds of its rounding. A is summed over blocks of {@link SQUARE_BLOCK} features, each block's product
 * by the matrix kernel (|error| <= gamma_{B+2} |W_b|^T |diag(a_b)| |W_b| entrywise, B the block's size), the blocks
 * added with compensation (Ogita, Rump and Oishi's Sum2: error at most u |A| + gamma_nb^2 times the sum of the
 * blocks' absolute values), and mirrored to be exactly symmetric; so ||A - A^||_F <= (gamma_{B+2} + gamma_nb^2)
 * sum_j |a_j| ||w_j||^2 + u ||A^||_F, where a plain sum over all k features would carry gamma_k (50 times more
 * at k = 12,800, and the certificate's margin with it). g likewise with compensation per entry. Plus an
 * absolute 2^-1074 per product for underflow.
 */
export function twoLayerSquareField(net: TwoLayerWeights): AffineGradientField {
  const { W, b, a, k, d } = net;
  const A = new Float64Array(d * d);
  const comp = new Float64Array(d * d);
  const nb = Math.ceil(k / SQUARE_BLOCK);
  for (let q = 0; q < nb; q++) {
    const j0 = q * SQUARE_BLOCK;
    const B = Math.min(SQUARE_BLOCK, k - j0);
    const Wt = transpose(W.subarray(j0 * d, (j0 + B) * d), B, d); // d x B
    const aWt = new Float64Array(d * B);
    for (let t = 0; t < d; t++) for (let j = 0; j < B; j++) aWt[t * B + j] = a[j0 + j] * Wt[t * B + j];
    const P = matmulABt(Wt, d, B, aWt, d);
    for (let i = 0; i < d * d; i++) {
      // A + P = sum + its error, exactly; the errors are added at the end (Sum2)
      const sum = A[i] + P[i];
      comp[i] += twoSumError(A[i], P[i], sum);
      A[i] = sum;
    }
  }
  for (let i = 0; i < d * d; i++) A[i] += comp[i];
  for (let r = 0; r < d; r++) for (let c = r + 1; c < d; c++) A[c * d + r] = A[r * d + c];
  const g = new Float64Array(d);
  const gc = new Float64Array(d);
  let sumA = 0;
  let sumG = 0;
  for (let j = 0; j < k; j++) {
    const ab = a[j] * b[j];
    let w2 = 0;
    for (let t = 0; t < d; t++) {
      const v = W[j * d + t];
      const y = ab * v;
      const sum = g[t] + y;
      gc[t] += twoSumError(g[t], y, sum);
      g[t] = sum;
      w2 += v * v;
    }
    sumA += Math.abs(a[j]) * w2;
    sumG += Math.abs(ab) * Math.sqrt(w2);
  }
  for (let t = 0; t < d; t++) g[t] += gc[t];
  const u = 2 ** -53;
  const rel = (gamma(SQUARE_BLOCK + 2) + gamma(nb) ** 2) * (1 + gamma(d + 4));
  const relG = (gamma(2) + gamma(k) ** 2) * (1 + gamma(d + 4));
  const tiny = 2 * (k + 2) * d * Number.MIN_VALUE;
  return { d, A, g, errA: (rel * sumA + u * norm2(A) + tiny * d) * (1 + 1e-6), errG: (relG * sumG + u * norm2(g) + tiny) * (1 + 1e-6) };
}
