import { requireInt, requireNonNegative } from '../core/validate.js';
import { leastSquares, solveKernel } from '../linalg/min-norm.js';
import { gram, matVec } from '../linalg/gram.js';
import { UNIT_ROUNDOFF, upperEstimate } from '../lipschitz/certificate.js';
import { productUpper, upperEnd } from '../linalg/pow2.js';
import { domainName, withinBall } from '../lipschitz/domain.js';
import type { FitContext } from './fit-context.js';
import type { FunctionClass } from './function-class.js';
import { finishFit } from './fit-result.js';
import { BOUND_SLACK, gamma, TINY } from './evaluation-error.js';
import { exponentOf, ldexp, nextUp } from '../linalg/pow2.js';
import { dataRadius, type CheckableModel, type FitResult, type Model } from './model.js';

/** Options of {@link fitPolynomial}. */
/** The highest polynomial degree fitted: C(d + q, q) monomials grow fast, and the sweep spec and flags take
 * their limit from here. */
export const POLYNOMIAL_MAX_DEGREE = 12;

export interface PolynomialOptions {
  /** Degree q >= 1 (default 2). */
  readonly degree?: number;
  /** Ridge lambda >= 0 (default 0). */
  readonly ridge?: number;
}

/** A polynomial model with ||theta|| and degree exposed (for the upper bound on the ball). */
export interface PolynomialModel extends Model {
  readonly degree: number;
  /** Euclidean norm of the coefficient vector in the scaled monomial basis. */
  readonly thetaNorm: number;
}

/** C(d + q, q), the number of monomials of degree <= q in d variables. */
export function polynomialParameterCount(d: number, q: number): number {
  let c = 1;
  for (let i = 1; i <= q; i++) c = (c * (d + i)) / i;
  return Math.round(c);
}

/**
 * Polynomials of degree <= q on the ball ||x|| <= R (docs/science.md section 3: not Lipschitz on R^d, so the
 * domain is fixed), p = C(d + q, q), in the scaled monomial basis phi_a(x) = sqrt(|a|! / prod a_i!) x^a,
 * whose kernel is K(x, x') = sum_{t=0..q} (x . x')^t. Min-norm interpolation via K when p >= n;
 * explicit monomials and normal equations when p < n.
 * J = sup ||phi(x)|| = sqrt(sum_t R^{2t}) on the ball.
 */
export function fitPolynomial(X: Float64Array, n: number, d: number, y: Float64Array, options: PolynomialOptions, ctx: FitContext): FitResult {
  const t0 = performance.now();
  const q = requireInt('fitPolynomial', 'degree', options.degree ?? 2, 1, POLYNOMIAL_MAX_DEGREE);
  const ridge = requireNonNegative('fitPolynomial', 'ridge', options.ridge ?? 0);
  const p = polynomialParameterCount(d, q);
  const radius = dataRadius(X, n, d);
  if (p >= n) {
    const G = gram(X, n, d);
    const K = G.map((g) => polyKernel(g, q));
    const sol = solveKernel(K, n, y, ridge, ctx.solver);
    const thetaNorm = certifiedKernelNorm(K, n, sol.coef, polyKernelError(X, n, d, q));
    const model = kernelPolynomial(X.slice(), sol.coef, n, d, q, p, thetaNorm, radius);
    return finishFit(model, X, n, y, ctx.sigma2, t0, { condition: sol.condition, jitter: sol.jitter, details: { method: sol.method } });
  }
  const monos = monomials(d, q);
  const Phi = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let a = 0; a < p; a++) Phi[i * p + a] = monomialValue(monos[a], X, i * d);
  const sol = leastSquares(Phi, n, p, y, ridge, ctx.solver);
  const model = explicitPolynomial(monos, sol.coef, d, q, radius);
  const warnings = ridge === 0 ? [`p = C(d+q, q) = ${p} < n = ${n}: cannot interpolate`] : [];
  return finishFit(model, X, n, y, ctx.sigma2, t0, { condition: sol.condition, jitter: sol.jitter, warnings, details: { method: sol.method } });
}

/**
 * A certified upper bound on ||theta|| = sqrt(alpha^T K alpha) for theta = sum_i alpha_i phi(x_i), where
 * K is the computed kernel matrix and `kernelError` bounds |K_ij - K*_ij| entrywise against the exact
 * kernel K* (docs/science.md section 4): with T = sum_i |alpha_i| sqrt(K_ii + kernelError) (the triangle
 * inequality, ||theta|| <= T, free of cancellation) and q the computed alpha^T K alpha, whose rounding
 * error is at most about n eps T^2 (|K_ij| <= sqrt(K_ii K_jj) for PSD K) and whose kernel error is at
 * most kernelError (sum |alpha_i|)^2,
 *     ||theta||^2 <= min(T^2, max(q, 0) + 4 n eps T^2 + kernelError (sum_i |alpha_i|)^2).
 * Matters when K is nearly singular (e.g. degree-2 monomials on sphere data, where ||x||^2 = 1).
 */
export function certifiedKernelNorm(K: Float64Array, n: number, alpha: Float64Array, kernelError = 0): number {
  // scale-safe: alpha scaled by the exact power of two 2^-E that puts its largest entry in [1, 2), the bound
  // scaled back by 2^E, rounded up where that lands below the normal range (tiny or subnormal alpha)
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(alpha[i]));
  if (maxAbs === 0) return 0;
  if (!(maxAbs <= Number.MAX_VALUE)) return Number.POSITIVE_INFINITY;
  const E = exponentOf(maxAbs);
  if (E !== 0) {
    const scaled = scaledKernelNorm(K, n, alpha.map((a) => ldexp(a, -E)), kernelError);
    const back = ldexp(scaled, E);
    return back < 2 ** -1022 ? nextUp(back) : back;
  }
  return scaledKernelNorm(K, n, alpha, kernelError);
}

function scaledKernelNorm(K: Float64Array, n: number, alpha: Float64Array, kernelError: number): number {
  let T = 0;
  let A = 0;
  for (let i = 0; i < n; i++) {
    T += Math.abs(alpha[i]) * Math.sqrt(K[i * n + i] + kernelError);
    A += Math.abs(alpha[i]);
  }
  T *= 1 + 2 * (n + 2) * Number.EPSILON;
  const q = dot(alpha, matVec(K, n, n, alpha));
  return Math.sqrt(Math.min(T * T, Math.max(q, 0) + 4 * n * Number.EPSILON * T * T + kernelError * A * A)) * (1 + 2 * Number.EPSILON);
}

/**
 * A bound on |K_ij - K*_ij| for the computed kernel K_ij = sum_{t <= q} g^t, g = x_i . x_j (docs/science.md
 * section 4): with R the largest data norm, g carries e_g <= gamma_{d+1} R^2, which moves K by at most
 * K'(R^2 + e_g) e_g (K'(G) = sum_t t G^(t-1)), and the power sum rounds by gamma_{2q+1} sum_t R^(2t).
 */
export function polyKernelError(X: Float64Array, n: number, d: number, q: number): number {
  let R2 = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += X[i * d + t] ** 2;
    R2 = Math.max(R2, s);
  }
  R2 *= 1 + gamma(d + 2);
  const eg = gamma(d + 1) * R2;
  const G = R2 + eg;
  let dK = 0;
  let pw = 1;
  let sum = 1;
  let pr = 1;
  for (let t = 1; t <= q; t++) {
    dK += t * pw;
    pw *= G;
    pr *= R2;
    sum += pr;
  }
  return (dK * eg + gamma(2 * q + 1) * sum) * BOUND_SLACK;
}

function polyKernel(g: number, q: number): number {
  let s = 1;
  let pw = 1;
  for (let t = 1; t <= q; t++) {
    pw *= g;
    s += pw;
  }
  return s;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function jOnBall(q: number, R: number): number {
  let s = 0;
  for (let t = 0; t <= q; t++) s += R ** (2 * t);
  return Math.sqrt(s);
}

/** f(x) = sum_i alpha_i sum_t (x . x_i)^t, grad = sum_i alpha_i sum_{t>=1} t (x . x_i)^{t-1} x_i. */
function kernelPolynomial(C: Float64Array, alpha: Float64Array, n: number, d: number, q: number, p: number, thetaNorm: number, radius: number): PolynomialModel {
  const evalAll = (X: Float64Array, m: number, wantGrad: boolean) => {
    const f = new Float64Array(m);
    const G = wantGrad ? new Float64Array(m * d) : f;
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < n; c++) {
        let g = 0;
        for (let t = 0; t < d; t++) g += X[i * d + t] * C[c * d + t];
        if (!wantGrad) {
          f[i] += alpha[c] * polyKernel(g, q);
          continue;
        }
        let dk = 0;
        let pw = 1;
        for (let t = 1; t <= q; t++) {
          dk += t * pw;
          pw *= g;
        }
        const coef = alpha[c] * dk;
        for (let t = 0; t < d; t++) G[i * d + t] += coef * C[c * d + t];
      }
    }
    return wantGrad ? G : f;
  };
  // docs/science.md section 3, "Rounding": g = x . c_i carries e_g = gamma_d sum |x_t c_it|; K(g) = sum_{t<=q} g^t
  // moves by at most K'(|g^| + e_g) e_g (K'(G) = sum_t t G^(t-1)) and its loop rounds by gamma_{2q+1} sum_t |g^|^t;
  // the sum over centres adds gamma_{n+1} sum |alpha K^|
  const evaluationError = (X: Float64Array, m: number) => {
    const E = new Float64Array(m);
    const gd = gamma(d + 1);
    const gk = gamma(2 * q + 2);
    const gs = gamma(n + 1);
    for (let i = 0; i < m; i++) {
      let err = 0;
      let mag = 0;
      for (let c = 0; c < n; c++) {
        let g = 0;
        let ag = 0;
        for (let t = 0; t < d; t++) {
          g += X[i * d + t] * C[c * d + t];
          ag += Math.abs(X[i * d + t] * C[c * d + t]);
        }
        const eg = gd * ag * (1 + gd);
        const G = Math.abs(g) + eg;
        let dK = 0;
        let pwG = 1;
        let absK = 1;
        let pwg = 1;
        for (let t = 1; t <= q; t++) {
          dK += t * pwG;
          pwG *= G;
          pwg *= Math.abs(g);
          absK += pwg;
        }
        err += Math.abs(alpha[c]) * (dK * eg + gk * absK);
        mag += Math.abs(alpha[c] * polyKernel(g, q));
      }
      E[i] = (err + gs * mag + TINY) * BOUND_SLACK;
    }
    return E;
  };
  return polynomialModel(d, p, q, thetaNorm, radius, 'kernel form', (X, m) => evalAll(X, m, false), (X, m) => evalAll(X, m, true), evaluationError, { kind: 'polynomial', form: 'kernel', d, q, centres: C, coefficients: alpha });
}

/** The fields both polynomial forms share: p, W = 2 ||theta||, J on the ball, and the description. */
function polynomialModel(d: number, p: number, q: number, thetaNorm: number, radius: number, form: string, predict: Model['predict'], gradient: Model['gradient'], evaluationError: Model['evaluationError'], checkable: CheckableModel): PolynomialModel {
  return {
    className: 'polynomial',
    d,
    p,
    description: `polynomial of degree ${q} in d = ${d} (${form}), p = C(d+q, q) = ${p}`,
    W: 2 * thetaNorm,
    J: jOnBall(q, radius),
    radius,
    smooth: true,
    params: { degree: q },
    degree: q,
    thetaNorm,
    exactLipschitz: () => null,
    // Not Lipschitz on R^d: a bound holds on the model's ball only. ||grad f(x)|| <= ||theta|| ||Jac phi(x)||_F
    // and ||Jac phi(x)||_F^2 = sum_t t (d + t - 1) ||x||^{2t-2} in the scaled monomial basis (kernel
    // sum_t (x . x')^t; docs/science.md section 4).
    upperLipschitz: (D) => {
      if (!withinBall(D, radius)) return null;
      let s = 0;
      for (let t = 1; t <= q; t++) s += t * (d + t - 1) * radius ** (2 * t - 2);
      // rounded up: the powers (a few ulps each), the q-term sum, the root and the product (scale-safe)
      const value = productUpper([thetaNorm, Math.sqrt(upperEnd(s, gamma(4 * q + 8))) * (1 + 2 * UNIT_ROUNDOFF)]);
      if (!(value < Number.POSITIVE_INFINITY)) return null;
      return upperEstimate(value, domainName({ kind: 'ball', radius }), 'polynomial-frobenius', '||theta|| sqrt(sum_t t (d + t - 1) R^(2t-2))', { thetaNorm, R: radius });
    },
    checkable: () => checkable,
    predict,
    gradient,
    evaluationError,
  };
}

/** Monomials of degree <= q in d variables as sorted variable-index tuples, with their basis scale. */
export function monomials(d: number, q: number): { vars: number[]; scale: number }[] {
  const out: { vars: number[]; scale: number }[] = [];
  const rec = (start: number, vars: number[]) => {
    out.push({ vars: vars.slice(), scale: Math.sqrt(multinomial(vars)) });
    if (vars.length === q) return;
    for (let v = start; v < d; v++) {
      vars.push(v);
      rec(v, vars);
      vars.pop();
    }
  };
  rec(0, []);
  return out;
}

/** |a|! / prod a_i! for the multiset of variable indices. */
function multinomial(vars: number[]): number {
  let r = 1;
  let run = 0;
  for (let i = 0; i < vars.length; i++) {
    run = i > 0 && vars[i] === vars[i - 1] ? run + 1 : 1;
    r = (r * (i + 1)) / run;
  }
  return r;
}

function monomialValue(m: { vars: number[]; scale: number }, X: Float64Array, off: number): number {
  let v = m.scale;
  for (const j of m.vars) v *= X[off + j];
  return v;
}

function explicitPolynomial(monos: { vars: number[]; scale: number }[], theta: Float64Array, d: number, q: number, radius: number): PolynomialModel {
  const p = monos.length;
  const thetaNorm = Math.sqrt(dot(theta, theta));
  return polynomialModel(
    d,
    p,
    q,
    thetaNorm,
    radius,
    'explicit monomials',
    (X, m) => {
      const f = new Float64Array(m);
      for (let i = 0; i < m; i++) for (let a = 0; a < p; a++) f[i] += theta[a] * monomialValue(monos[a], X, i * d);
      return f;
    },
    (X, m) => {
      const G = new Float64Array(m * d);
      for (let i = 0; i < m; i++) {
        const off = i * d;
        for (let a = 0; a < p; a++) {
          const { vars, scale } = monos[a];
          for (let pos = 0; pos < vars.length; pos++) {
            let v = theta[a] * scale;
            for (let o = 0; o < vars.length; o++) if (o !== pos) v *= X[off + vars[o]];
            G[off + vars[pos]] += v;
          }
        }
      }
      return G;
    },
    // docs/science.md section 3, "Rounding": each monomial scale prod x_v rounds by gamma_{q+2} (the scale
    // sqrt(multinomial) by u), the sum of p terms by gamma_{p+1}
    (X, m) => {
      const E = new Float64Array(m);
      const g = gamma(q + 2) + gamma(p + 1);
      for (let i = 0; i < m; i++) {
        let mag = 0;
        for (let a = 0; a < p; a++) mag += Math.abs(theta[a] * monomialValue(monos[a], X, i * d));
        E[i] = (g * mag * (1 + g) + TINY) * BOUND_SLACK;
      }
      return E;
    },
    { kind: 'polynomial', form: 'monomials', d, q, coefficients: theta },
  );
}

/** Polynomials of degree <= q on the data's ball, min-norm coefficients: p = C(d + q, q). */
export const POLYNOMIAL: FunctionClass = {
  name: 'polynomial',
  summary: 'polynomials of degree <= q on the data ball, min-norm coefficients (p = C(d + q, q))',
  reads: ['degree', 'ridge'],
  parameterCount: ({ d, options }) => polynomialParameterCount(d, options.degree ?? 2),
  fit: ({ X, n, d, y }, o, ctx) => fitPolynomial(X, n, d, y, { degree: o.degree, ridge: o.ridge }, ctx),
};
