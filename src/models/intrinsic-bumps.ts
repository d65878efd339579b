import { InputError } from '../core/input-error.js';
import { requireOneOf } from '../core/validate.js';
import { BUMP_PROFILES, type BumpProfile } from './bump-profile.js';
import { bumpsModel, bumpsParameterCount, disjointRadius, minPairwiseDistance, PROFILE } from './bumps.js';
import { BOUND_SLACK, gamma } from './evaluation-error.js';
import { domainName } from '../lipschitz/domain.js';
import type { FitContext } from './fit-context.js';
import type { FunctionClass } from './function-class.js';
import { finishFit } from './fit-result.js';
import type { FitResult, Model } from './model.js';

/**
 * Bumps in the intrinsic coordinates of a known subspace (docs/science.md section 5.2): f(x) = g(U^T x) with
 * g a bump interpolant of (U^T x_i, y_i) in R^m. U (d x m, orthonormal columns) belongs to the data
 * distribution, which the class may know; it is NOT counted as parameters: p = n (m + 1). Since U^T is
 * an isometry on the support and has operator norm 1, Lip(f) = Lip(g) = sup|g'| / r exactly.
 * grad f(x) = U grad g(U^T x).
 */
export function fitIntrinsicBumps(X: Float64Array, n: number, d: number, y: Float64Array, U: Float64Array, m: number, profile: BumpProfile, ctx: FitContext): FitResult {
  const t0 = performance.now();
  requireOneOf('fitIntrinsicBumps', 'profile', profile, BUMP_PROFILES);
  const toZ = (P: Float64Array, rows: number) => {
    const Z = new Float64Array(rows * m);
    for (let i = 0; i < rows; i++) for (let r = 0; r < d; r++) {
      const v = P[i * d + r];
      if (v === 0) continue;
      for (let c = 0; c < m; c++) Z[i * m + c] += U[r * m + c] * v;
    }
    return Z;
  };
  const Z = toZ(X, n);
  const dmin = minPairwiseDistance(Z, n, m);
  if (!(dmin > 0)) throw new InputError('X', `${n} points with distinct projections onto the subspace (bumps need a positive minimum distance)`, X, { context: 'fitIntrinsicBumps', shown: `projected points at minimum distance ${dmin}` });
  const inner = bumpsModel(Z, y.slice(), m, disjointRadius(dmin, m), profile, 'bumps', dmin);
  const model: Model & { inner: typeof inner } = {
    ...inner,
    className: 'intrinsic-bumps',
    d,
    p: bumpsParameterCount(n, m),
    description: `intrinsic-bumps: ${n} ${profile} bumps in the ${m} intrinsic coordinates of a known subspace of R^${d}`,
    inner,
    // f = g o U^T with U^T an orthogonal projection onto R^m: Lip(f) = Lip(g), on R^d or on a centred ball
    // (U^T maps the ball of radius R onto the ball of radius R in R^m).
    exactLipschitz: (D) => {
      if (D.kind !== 'Rd' && D.kind !== 'ball') return null;
      const e = inner.exactLipschitz(D);
      return e === null ? null : { ...e, method: `intrinsic-${e.method}`, domain: domainName(D) };
    },
    upperLipschitz: (D, rng) => {
      if (D.kind !== 'Rd' && D.kind !== 'ball') return null;
      const e = inner.upperLipschitz(D, rng);
      return e === null ? null : { ...e, method: `intrinsic-${e.method}`, domain: domainName(D) };
    },
    averageGradientUpperOnSphere: undefined,
    // not the inner bumps' (they live in the subspace's coordinates): the checker has no form of g o U^T
    checkable: undefined,
    predict: (P, rows) => inner.predict(toZ(P, rows), rows),
    // docs/science.md section 3, "Rounding": the error of g at the computed z^ = U^T x, plus Lip(g) ||z^ - z||
    // with |z^_c - z_c| <= gamma_d sum_r |U_rc x_r| and Lip(g) <= sum |h| sup|g'| / r (any supports)
    evaluationError: (P, rows) => {
      const E = inner.evaluationError(toZ(P, rows), rows);
      const g = gamma(d + 1);
      let sumH = 0;
      for (const h of inner.heights) sumH += Math.abs(h);
      const lip = (sumH * PROFILE[profile].supAbsDg) / inner.r;
      for (let i = 0; i < rows; i++) {
        let ez2 = 0;
        for (let c = 0; c < m; c++) {
          let s = 0;
          for (let r = 0; r < d; r++) s += Math.abs(U[r * m + c] * P[i * d + r]);
          ez2 += (g * s * (1 + g)) ** 2;
        }
        E[i] = (E[i] + lip * Math.sqrt(ez2)) * BOUND_SLACK;
      }
      return E;
    },
    gradient: (P, rows) => {
      const Gz = inner.gradient(toZ(P, rows), rows);
      const G = new Float64Array(rows * d);
      for (let i = 0; i < rows; i++) for (let r = 0; r < d; r++) {
        let s = 0;
        for (let c = 0; c < m; c++) s += U[r * m + c] * Gz[i * m + c];
        G[i * d + r] = s;
      }
      return G;
    },
  };
  return finishFit(model, X, n, y, ctx.sigma2, t0, { condition: 1, details: { m, minDistance: dmin } });
}

/** The subspace regime's class (docs/science.md section 5.2): p = n (m + 1), m the law's intrinsic dimension. */
export const INTRINSIC_BUMPS: FunctionClass = {
  name: 'intrinsic-bumps',
  summary: 'bumps in the intrinsic coordinates of a subspace law (p = n (m + 1))',
  reads: ['profile'],
  dists: ['subspace'],
  // the projected points and the inner bumps' copies: n (m + 1) each, m <= d
  workingFloats: ({ n, d }) => 3 * n * (d + 1),
  parameterCount: ({ n, dist }) => {
    if (dist === undefined) throw new Error('intrinsic-bumps: its parameter count needs the data law\'s intrinsic dimension; pass the law');
    return bumpsParameterCount(n, dist.intrinsicDim);
  },
  fit: ({ X, n, d, y, dist }, o, ctx) => {
    if (!dist.basis) throw new Error(`intrinsic-bumps: the ${dist.name} law has no subspace basis`);
    return fitIntrinsicBumps(X, n, d, y, dist.basis, dist.intrinsicDim, o.profile ?? 'hat', ctx);
  },
};
