import type { Rng } from '../core/rng.js';
import { spectralNorm } from '../linalg/spectral-norm.js';
import { norm2 } from '../linalg/gram.js';
import type { BumpsModel } from '../models/bumps.js';
import { PROFILE } from '../models/bumps.js';
import type { GaussianKernelModel } from '../models/gaussian-kernel.js';
import type { LinearModel } from '../models/linear.js';
import type { MlpModel } from '../models/mlp.js';
import type { Model } from '../models/model.js';
import type { NtkModel } from '../models/ntk-features.js';
import type { PolynomialModel } from '../models/polynomial.js';
import type { TwoLayerModel } from '../models/random-features.js';
import { domainName, withinBall, type Domain } from './domain.js';
import type { LipEstimate } from './estimate.js';

const upper = (value: number, D: string, method: string, formula: string, terms: Record<string, number>, evaluations = 0): LipEstimate => ({
  kind: 'upper',
  value,
  witness: { type: 'certificate', formula, terms },
  domain: D,
  evaluations,
  method,
});

/**
 * A certified upper bound on Lip(f) over domain D, class by class (docs/science.md section 3), or null when the
 * class has none there (e.g. polynomials on R^d). Spectral norms are certified upper bounds (trace
 * powers), never power-iteration estimates or Frobenius norms.
 */
export function upperBound(model: Model, D: Domain, rng: Rng): LipEstimate | null {
  const name = domainName(D);
  const R = model.radius;
  const inBall = withinBall(D, R);
  switch (model.className) {
    case 'linear': {
      const w = (model as LinearModel).weights;
      return upper(norm2(w), name, 'linear-norm', '||w||_2', { normW: norm2(w) });
    }
    case 'random-features':
    case 'two-layer':
      return twoLayerUpper(model as TwoLayerModel, inBall ? R : Number.POSITIVE_INFINITY, name, rng);
    case 'ntk-features':
      return ntkUpper(model as NtkModel, inBall ? R : Number.POSITIVE_INFINITY, name, rng);
    case 'bumps':
    case 'atom-bumps': {
      const m = model as BumpsModel;
      const sup = PROFILE[m.profile].supAbsDg;
      let H = 0;
      let sum = 0;
      for (const h of m.heights) {
        H = Math.max(H, Math.abs(h));
        sum += Math.abs(h);
      }
      return m.disjoint
        ? upper((H * sup) / m.r, name, 'bumps-disjoint', "max|h_i| sup|g'| / r (disjoint supports)", { maxAbsHeight: H, supAbsDg: sup, r: m.r })
        : upper((sum * sup) / m.r, name, 'bumps-sum', "sum |h_i| sup|g'| / r", { sumAbsHeight: sum, supAbsDg: sup, r: m.r });
    }
    case 'gaussian-kernel': {
      const m = model as GaussianKernelModel;
      const sum = m.alpha.reduce((s, a) => s + Math.abs(a), 0);
      return upper((sum * Math.exp(-0.5)) / m.bandwidth, name, 'kernel-sum', 'sum |alpha_i| e^{-1/2} / s', { sumAbsAlpha: sum, bandwidth: m.bandwidth });
    }
    case 'polynomial': {
      if (!inBall) return null;
      const m = model as PolynomialModel;
      // ||grad f(x)|| <= ||theta|| ||Jac phi(x)||_F and ||Jac phi(x)||_F^2 = sum_t t (d + t - 1) ||x||^{2t-2}
      // for the scaled monomial basis (kernel sum_t (x . x')^t); derived in polynomial.ts's basis.
      let s = 0;
      for (let t = 1; t <= m.degree; t++) s += t * (m.d + t - 1) * R ** (2 * t - 2);
      return upper(m.thetaNorm * Math.sqrt(s), domainName({ kind: 'ball', radius: R }), 'polynomial-frobenius', '||theta|| sqrt(sum_t t (d + t - 1) R^(2t-2))', { thetaNorm: m.thetaNorm, R });
    }
    case 'mlp': {
      const m = model as MlpModel;
      let prod = 1;
      const terms: Record<string, number> = {};
      m.layers.forEach((L, l) => {
        const sn = spectralNorm(L.weights, L.outputs, L.inputs, rng);
        terms[`layer${l + 1}`] = sn.upper;
        prod *= sn.upper;
      });
      return upper(prod, name, 'spectral-product', 'prod_l ||W_l||_op (1-Lipschitz activations)', terms);
    }
    case 'intrinsic-bumps': {
      // f = g o U^T with U^T an orthogonal projection onto R^m: Lip(f) = Lip(g), on R^d or on a centred ball
      const inner = (model as unknown as { inner: Model }).inner;
      if (D.kind !== 'Rd' && D.kind !== 'ball') return null;
      const e = upperBound(inner, D, rng);
      return e === null ? null : { ...e, method: `intrinsic-${e.method}`, domain: name };
    }
    default:
      return null;
  }
}

/**
 * Two-layer form f = sum_j a_j s(w_j . x + b_j) + c on the ball of radius R (R = Infinity: R^d): with
 * S'_j = sup |s'| on [-(||w_j|| R + |b_j|), ||w_j|| R + |b_j|], the smaller of
 *   ||W||_op sqrt(sum_j a_j^2 S'_j^2)   (= Lip(s) ||a||_2 ||W||_op for 1-Lipschitz s) and
 *   sum_j |a_j| S'_j ||w_j||            (the sum bound).
 */
function twoLayerUpper(m: TwoLayerModel, R: number, name: string, rng: Rng): LipEstimate {
  const { W, b, a, k, d, act } = m.net;
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
  return upper(value, name, spec <= sum ? 'two-layer-spectral' : 'two-layer-sum', "min(||W||_op sqrt(sum a_j^2 S'_j^2), sum |a_j| S'_j ||w_j||)", { spectral: spec, sum, opNormW: op });
}

/**
 * NTK features f = sum_j s'(w_j . x) (theta_j . x) / sqrt(k), grad = sum_j [s''(z_j)(theta_j . x) w_j + s'(z_j) theta_j] / sqrt(k).
 * On ||x|| <= R, with S'_j, S''_j the sups of |s'|, |s''| on [-||w_j|| R, ||w_j|| R]:
 *   min( ||W||_op sqrt(sum S''_j^2 ||theta_j||^2 R^2) + ||Theta||_op sqrt(sum S'_j^2),
 *        sum_j (S''_j ||theta_j|| R ||w_j|| + S'_j ||theta_j||) ) / sqrt(k).
 * relu: s' jumps, f is discontinuous, no finite bound (Infinity).
 */
function ntkUpper(m: NtkModel, R: number, name: string, rng: Rng): LipEstimate {
  const { W, Theta, k, d, act, scale } = m.ntk;
  if (act.kinks || !Number.isFinite(R)) {
    return upper(Number.POSITIVE_INFINITY, name, 'ntk-none', act.kinks ? "relu NTK features are discontinuous (s' jumps)" : 'unbounded domain: |theta_j . x| is unbounded', {});
  }
  let a2 = 0;
  let b2 = 0;
  let sum = 0;
  for (let j = 0; j < k; j++) {
    let wn = 0;
    let tn = 0;
    for (let t = 0; t < d; t++) {
      wn += W[j * d + t] ** 2;
      tn += Theta[j * d + t] ** 2;
    }
    wn = Math.sqrt(wn);
    tn = Math.sqrt(tn);
    const s1 = act.supAbsDf(wn * R);
    const s2 = act.supAbsD2f(wn * R);
    a2 += (s2 * tn * R) ** 2;
    b2 += s1 * s1;
    sum += s2 * tn * R * wn + s1 * tn;
  }
  const spec = spectralNorm(W, k, d, rng).upper * Math.sqrt(a2) + spectralNorm(Theta, k, d, rng).upper * Math.sqrt(b2);
  return upper(scale * Math.min(spec, sum), name, spec <= sum ? 'ntk-spectral' : 'ntk-sum', "min(||W|| sqrt(sum S''^2 ||theta_j||^2 R^2) + ||Theta|| sqrt(sum S'^2), sum (S'' ||theta_j|| R ||w_j|| + S' ||theta_j||)) / sqrt(k)", {
    spectral: scale * spec,
    sum: scale * sum,
    R,
  });
}
