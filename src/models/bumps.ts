import { InputError } from '../core/input-error.js';
import { requireOneOf, requirePositive } from '../core/validate.js';
import { norm2 } from '../linalg/gram.js';
import { scaledProductQuotient, upperEnd } from '../linalg/pow2.js';
import { exactEstimate, UNIT_ROUNDOFF, upperEstimate } from '../lipschitz/certificate.js';
import { domainName, normRoundoff } from '../lipschitz/domain.js';
import type { FitContext } from './fit-context.js';
import type { FunctionClass } from './function-class.js';
import { finishFit } from './fit-result.js';
import type { FitResult, Model } from './model.js';
import { BOUND_SLACK, ELEMENTARY, gamma, TINY } from './evaluation-error.js';
import { BUMP_PROFILES, type BumpProfile } from './bump-profile.js';


/** g, g' and sup |g'| of each profile. hat: 1 - s (sup|g'| = 1); c1: (1 - s^2)^2 (sup|g'| = 8 / (3 sqrt 3) at s = 1/sqrt 3). */
export const PROFILE: Readonly<Record<BumpProfile, { readonly g: (s: number) => number; readonly dg: (s: number) => number; readonly supAbsDg: number }>> = {
  hat: { g: (s) => (s < 1 ? 1 - s : 0), dg: (s) => (s < 1 ? -1 : 0), supAbsDg: 1 },
  c1: { g: (s) => (s < 1 ? (1 - s * s) ** 2 : 0), dg: (s) => (s < 1 ? -4 * s * (1 - s * s) : 0), supAbsDg: 8 / (3 * Math.sqrt(3)) },
};

/** Options of {@link fitBumps}. */
export interface BumpsOptions {
  readonly profile?: BumpProfile;
  /** Radius r (default: half the minimum pairwise distance, the largest with disjoint supports). */
  readonly radius?: number;
}

/** A bump sum with its centres, heights and radius exposed. */
export interface BumpsModel extends Model {
  readonly centres: Float64Array;
  readonly heights: Float64Array;
  readonly r: number;
  readonly profile: BumpProfile;
  /** Whether the supports are pairwise disjoint (r <= half the minimum centre distance). */
  readonly disjoint: boolean;
}

/** Minimum pairwise Euclidean distance between rows of X (Infinity for n < 2). */
export function minPairwiseDistance(X: Float64Array, n: number, d: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = X[i * d + t] - X[j * d + t];
        s += v * v;
      }
      if (s < best) best = s;
    }
  }
  return Math.sqrt(best);
}

/**
 * Radial bumps f(x) = sum_i h_i g(||x - c_i|| / r) (docs/science.md section 4, the paper's tightness remark),
 * p = n (d + 1) (centres and heights). With disjoint supports the Lipschitz constant is exactly
 * max_i |h_i| sup|g'| / r. J = sqrt(2n) max(1, rho sup|g'| / r) over the centred parameter ball of
 * radius rho = ||theta|| (W = 2 rho), where every height is at most rho (derived: |Delta f| <= sum_i
 * |Delta h_i| + |h_i| (sup|g'|/r) ||Delta c_i||, then Cauchy-Schwarz; docs/science.md section 4).
 * At a hat bump's centre the gradient returned is 0, which lies in the generalised gradient.
 * `minDistance` is {@link minPairwiseDistance} of the centres when the caller has it already (a fit that
 * checked its points are distinct): it is then not computed again, an O(n^2 d) pass; omitted, it is computed.
 */
export function bumpsModel(centres: Float64Array, heights: Float64Array, d: number, r: number, profile: BumpProfile, className: 'bumps' | 'atom-bumps' = 'bumps', minDistance?: number): BumpsModel {
  requirePositive('bumpsModel', 'r', r);
  const n = heights.length;
  const P = PROFILE[profile];
  const H = heights.reduce((m, h) => Math.max(m, Math.abs(h)), 0);
  const r2 = r * r;
  const eval1 = (X: Float64Array, m: number, wantGrad: boolean) => {
    const f = new Float64Array(m);
    const G = wantGrad ? new Float64Array(m * d) : f;
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < n; c++) {
        let s2 = 0;
        for (let t = 0; t < d && s2 < r2; t++) {
          const v = X[i * d + t] - centres[c * d + t];
          s2 += v * v;
        }
        if (s2 >= r2) continue;
        const dist = Math.sqrt(s2);
        const s = dist / r;
        f[i] += heights[c] * P.g(s);
        if (wantGrad && dist > 0) {
          const coef = (heights[c] * P.dg(s)) / (r * dist);
          for (let t = 0; t < d; t++) G[i * d + t] += coef * (X[i * d + t] - centres[c * d + t]);
        }
      }
    }
    return wantGrad ? G : f;
  };
  // no slack in favour of "disjoint": a radius must stay inside the rounded-down half distance
  const disjoint = r <= disjointRadius(minDistance ?? minPairwiseDistance(centres, n, d), d);
  // the centred ball containing every support, with room for the rounding of the norms (as dataRadius)
  let radius = 1;
  for (let c = 0; c < n; c++) radius = Math.max(radius, norm2(centres.subarray(c * d, c * d + d)) + r);
  radius *= 1 + 3 * normRoundoff(d);
  let sumAbs = 0;
  for (const h of heights) sumAbs += Math.abs(h);
  // radius of the centred parameter ball that W describes: every height in it is at most rho
  const rho = Math.sqrt(norm2(centres) ** 2 + norm2(heights) ** 2);
  const sup = P.supAbsDg;
  // max|h_i| sup|g'| / r without underflow on the way (relative 2 u, 2^-1075 absolute where subnormal)
  const maxValue = scaledProductQuotient(H, sup, r);
  return {
    className,
    d,
    p: bumpsParameterCount(n, d),
    description: `${className}: ${n} ${profile} bumps of radius ${r.toPrecision(4)} in d = ${d}`,
    W: 2 * rho,
    J: Math.sqrt(2 * n) * Math.max(1, (rho * P.supAbsDg) / r),
    radius,
    smooth: profile !== 'hat',
    params: { profile, r },
    centres,
    heights,
    r,
    profile,
    disjoint,
    // Disjoint supports: on each support f is one bump, so Lip(f) = max|h_i| sup|g'| / r, attained inside
    // a support; exact on any domain containing every support (R^d, or a centred ball of radius >= `radius`).
    exactLipschitz: (D) =>
      disjoint && (D.kind === 'Rd' || (D.kind === 'ball' && D.radius >= radius)) && Number.isFinite(maxValue)
        ? exactEstimate(maxValue, domainName(D), 'bumps-disjoint', "max|h_i| sup|g'| / r", { r }, 6 * UNIT_ROUNDOFF * maxValue + Number.MIN_VALUE)
        : null,
    // Each term is (|h_i| sup|g'| / r)-Lipschitz: the sum bound always holds; disjoint supports give the max.
    // Both rounded up: computed as H sup / r they could be below the true value (by an ulp, or to 0 for
    // subnormal heights)
    upperLipschitz: (D) =>
      disjoint
        ? upperEstimate(upperEnd(maxValue, 4 * UNIT_ROUNDOFF), domainName(D), 'bumps-disjoint', "max|h_i| sup|g'| / r (disjoint supports)", { maxAbsHeight: H, supAbsDg: sup, r })
        : upperEstimate(upperEnd(scaledProductQuotient(sumAbs, sup, r), gamma(n + 4)), domainName(D), 'bumps-sum', "sum |h_i| sup|g'| / r", { sumAbsHeight: sumAbs, supAbsDg: sup, r }),
    averageGradientUpperOnSphere: () => averageGradientUpper(H, sup, r, n, d),
    checkable: () => ({ kind: 'bumps', d, centres, heights, r, profile }),
    predict: (X, m) => eval1(X, m, false),
    gradient: (X, m) => eval1(X, m, true),
    // docs/science.md section 3, "Rounding": t = ||x - c|| / r carries relative error gamma_{d+4}; g is
    // sup|g'|-Lipschitz and 0 from t = 1 on, so each bump whose computed ||x - c||^2 is below r^2 (1 + 4 gamma)
    // (where computed and true t may straddle 1) errs by |h| (sup|g'| e_t + ELEMENTARY |g^| + TINY)
    evaluationError: (X, m) => {
      const E = new Float64Array(m);
      const gt = gamma(d + 4);
      const gs = gamma(n + 1);
      const window = r2 * (1 + 4 * gt);
      for (let i = 0; i < m; i++) {
        let err = 0;
        let mag = 0;
        for (let c = 0; c < n; c++) {
          let s2 = 0;
          for (let t = 0; t < d && s2 < window; t++) s2 += (X[i * d + t] - centres[c * d + t]) ** 2;
          if (s2 >= window) continue;
          const t = Math.sqrt(s2) / r;
          const g = P.g(t);
          err += Math.abs(heights[c]) * (P.supAbsDg * gt * t * (1 + gt) + ELEMENTARY * Math.abs(g) + TINY);
          mag += Math.abs(heights[c] * g);
        }
        E[i] = (err + gs * mag + TINY) * BOUND_SLACK;
      }
      return E;
    },
  };
}

/** Exact interpolation by bumps at the data points with heights y_i (no system is solved: condition 1). */
export function fitBumps(X: Float64Array, n: number, d: number, y: Float64Array, options: BumpsOptions, ctx: FitContext): FitResult {
  const t0 = performance.now();
  const profile = requireOneOf('fitBumps', 'profile', options.profile ?? 'hat', BUMP_PROFILES);
  const dmin = minPairwiseDistance(X, n, d);
  if (!(dmin > 0)) throw new InputError('X', `${n} distinct points (bumps need a positive minimum distance)`, X, { context: 'fitBumps', shown: `minimum pairwise distance ${dmin}` });
  const r = options.radius === undefined ? (Number.isFinite(dmin) ? disjointRadius(dmin, d) : 1) : requirePositive('fitBumps', 'radius', options.radius);
  const warnings = r > disjointRadius(dmin, d) ? [`radius ${r} > half the minimum distance ${dmin / 2}: supports may overlap, interpolation is not exact`] : [];
  const model = bumpsModel(X.slice(), y.slice(), d, r, profile, 'bumps', dmin);
  return finishFit(model, X, n, y, ctx.sigma2, t0, { condition: 1, warnings, details: { minDistance: dmin } });
}

/**
 * The largest radius whose supports are certainly disjoint, given a computed minimum distance `dmin` in
 * dimension d: dmin / 2 shrunk by (d + 4) 2^-52. A computed distance sqrt(sum_t (x_t - y_t)^2) can exceed
 * the true one by about (d + 3) 2^-53 relative (d rounded differences and squares, d - 1 additions, one
 * square root), so half the computed distance may already overlap (with r = dmin / 2, 23 of 40 seeds at n = 30, d = 3
 * overlapped by 1e-19); the shrink covers that rounding twice over (docs/science.md section 4).
 */
export function disjointRadius(dmin: number, d: number): number {
  return (dmin / 2) * (1 - (d + 4) * Number.EPSILON);
}

/** p = n (d + 1): n centres in R^d and n heights. */
export function bumpsParameterCount(n: number, d: number): number {
  return n * (d + 1);
}

/**
 * Certified upper bound on E_x ||grad f(x)|| for a sum of n bumps of radius r whose centres lie on the unit
 * sphere, x uniform on S^{d-1} (docs/science.md section 5.4): ||grad f|| <= H sup|g'| / r inside the union
 * of the supports and 0 outside, and each support {||x - c_i|| < r} is the cap {x . c_i > 1 - r^2 / 2}, of
 * measure <= exp(-d t^2 / 2) for t = 1 - r^2/2 in [0, 1) (K. Ball, "An elementary introduction to modern
 * convex geometry", Lemma 2.2). So E||grad f|| <= (H sup|g'| / r) min(1, n exp(-d t^2 / 2)). Null when
 * r > sqrt 2.
 */
export function averageGradientUpper(H: number, supAbsDg: number, r: number, n: number, d: number): number | null {
  const t = 1 - (r * r) / 2;
  if (!(t >= 0)) return null;
  return ((H * supAbsDg) / r) * Math.min(1, n * Math.exp((-d * t * t) / 2));
}

/** Radial bumps at the data points, heights y_i: exact interpolation, p = n (d + 1), Lip = max|y_i| sup|g'| / r. */
export const BUMPS: FunctionClass = {
  name: 'bumps',
  summary: 'radial bumps at the data, heights y_i, radius half the minimum distance (p = n (d + 1))',
  reads: ['profile', 'radiusFactor'],
  // copies of the centres and heights; distances are computed on the fly, never stored
  workingFloats: ({ n, d }) => 2 * n * (d + 1),
  parameterCount: ({ n, d }) => bumpsParameterCount(n, d),
  fit: ({ X, n, d, y }, o, ctx) =>
    fitBumps(X, n, d, y, { profile: o.profile, radius: o.radiusFactor === undefined ? undefined : o.radiusFactor * disjointRadius(minPairwiseDistance(X, n, d), d) }, ctx),
};
