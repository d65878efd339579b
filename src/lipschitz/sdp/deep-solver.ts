import type { DeepProblem } from './deep-problem.js';
import { backSubstitute, choleskyFactor, forwardSubstitute } from '../../linalg/cholesky.js';
import { inputSideEigenvector } from './lipsdp-solver.js';
import { goldenMin } from '../../linalg/golden-section.js';
import { lbfgsStage } from './lbfgs-stage.js';
import { smoothedTopEigen } from './smoothed-max.js';

/** Zhat_x Zhat_x^T per problem (R x R), for inputs wider than the rows: then nothing per evaluation is d long. */
const gramCache = new WeakMap<DeepProblem, Float64Array>();

/**
 * The evaluation on the R side when d > R: with M = Lambda K Lambda (K = Zhat_x Zhat_x^T), H = L^-1 M L^-T has
 * the eigenvalues of Z_x^T S^-1 Z_x, and for an eigenvector f (eigenvalue lambda) of H, e = F^T f / sqrt(lambda)
 * has Z_x e = M L^-T f / sqrt(lambda).
 */
function evaluateOnGram(P: DeepProblem, t: Float64Array, lam: Float64Array, Zr: Float64Array, L: Float64Array, mu: number, wantGrad: boolean): Evaluation | null {
  const { nJ, rows: R } = P;
  const K = gramCache.get(P)!;
  const M = new Float64Array(R * R);
  for (let a = 0; a < R; a++) for (let b = 0; b < R; b++) M[a * R + b] = lam[a] * K[a * R + b] * lam[b];
  // X = L^-1 M (column by column), H = L^-1 X^T (X^T = M L^-T since M is symmetric)
  const solveCols = (A: Float64Array) => {
    const X = new Float64Array(R * R);
    for (let c = 0; c < R; c++)
      for (let i = 0; i < R; i++) {
        let s = A[i * R + c];
        for (let k = 0; k < i; k++) s -= L[i * R + k] * X[k * R + c];
        X[i * R + c] = s / L[i * R + i];
      }
    return X;
  };
  const X = solveCols(M);
  const Xt = new Float64Array(R * R);
  for (let i = 0; i < R; i++) for (let c = 0; c < R; c++) Xt[i * R + c] = X[c * R + i];
  const H = solveCols(Xt);
  for (let i = 0; i < R; i++) for (let j = 0; j < i; j++) H[i * R + j] = H[j * R + i] = (H[i * R + j] + H[j * R + i]) / 2;
  const eig = smoothedTopEigen(H, R, mu);
  if (eig === null) return null;
  const { value, top, values, vectors, weighted } = eig;
  if (mu <= 0 || !wantGrad) return { value, top, grad: null };
  const grad = new Float64Array(nJ);
  for (const { i, pi } of weighted) {
    if (!(values[i] > 0)) continue;
    const sig = Math.sqrt(values[i]);
    // g = L^-T f, v = M g / sigma, y = S^-1 v
    const f = new Float64Array(R);
    for (let a = 0; a < R; a++) f[a] = vectors[a * R + i];
    const g = backSubstitute(L, R, f);
    const v = new Float64Array(R);
    for (let a = 0; a < R; a++) {
      let s = 0;
      for (let b = 0; b < R; b++) s += M[a * R + b] * g[b];
      v[a] = s / sig;
    }
    addTauGradient(grad, pi, backSubstitute(L, R, forwardSubstitute(L, R, v)), Zr, t, R, nJ);
  }
  return { value, top, grad };
}

/** grad_j += pi (y_j^2 - (Z_r^T y)_j^2 / (2 t_j)): one eigenvector's share of t_j d rho / d t_j (section 9.5). */
function addTauGradient(grad: Float64Array, pi: number, y: Float64Array, Zr: Float64Array, t: Float64Array, R: number, nJ: number): void {
  for (let j = 0; j < nJ; j++) {
    let q = 0;
    for (let a = 0; a < R; a++) q += Zr[a * nJ + j] * y[a];
    grad[j] += pi * (y[j] * y[j] - (q * q) / (2 * t[j]));
  }
}

/** What the deep solver found (NOT certified: verify with verifyDeepLipSdp). */
export interface DeepSolution {
  readonly t: Float64Array;
  readonly rho: number;
  readonly iterations: number;
}

interface Evaluation {
  readonly value: number;
  readonly top: number;
  readonly grad: Float64Array | null;
}

/**
 * The reduced objective of the deep problem at t (docs/science.md section 9.5): with Z = Lambda Zhat,
 * Lambda = diag(sqrt(2 t_j) on the slack rows, 1 on the output rows), Z = [Z_x, Z_r],
 *   S = I - Z_r diag(1 / (2 t)) Z_r^T > 0,   rho(t) = lambda_max(Z_x^T S^-1 Z_x),
 * smoothed as mu log sum exp(lambda_i / mu), with its gradient in tau = log t:
 *   t_j d rho / d t_j = y_j^2 - (Z_r^T y)_j^2 / (2 t_j),  y = S^-1 Z_x e  (e a top eigenvector).
 * Null when S is not positive definite.
 */
function evaluate(P: DeepProblem, tau: Float64Array, mu: number, wantGrad: boolean): Evaluation | null {
  const { d, nJ, rows: R, cols, Zhat } = P;
  if (d > R && !gramCache.has(P)) {
    const K = new Float64Array(R * R);
    for (let a = 0; a < R; a++)
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += Zhat[a * cols + c] * Zhat[b * cols + c];
        K[a * R + b] = K[b * R + a] = s;
      }
    gramCache.set(P, K);
  }
  const t = tau.map(Math.exp);
  if (!t.every((v) => v > 0 && Number.isFinite(v))) return null;
  const lam = new Float64Array(R).fill(1);
  for (let j = 0; j < nJ; j++) lam[j] = Math.sqrt(2 * t[j]);
  const Zx = new Float64Array(R * d);
  const Zr = new Float64Array(R * nJ);
  for (let i = 0; i < R; i++) {
    for (let c = 0; c < d; c++) Zx[i * d + c] = lam[i] * Zhat[i * cols + c];
    for (let c = 0; c < nJ; c++) Zr[i * nJ + c] = lam[i] * Zhat[i * cols + d + c];
  }
  const S = new Float64Array(R * R);
  for (let i = 0; i < R; i++) {
    S[i * R + i] = 1;
    for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let c = 0; c < nJ; c++) s += (Zr[i * nJ + c] * Zr[k * nJ + c]) / (2 * t[c]);
      S[i * R + k] -= s;
    }
  }
  const L = choleskyFactor(S, R);
  if (L === null) return null;
  if (d > R) return evaluateOnGram(P, t, lam, Zr, L, mu, wantGrad);
  const F = new Float64Array(R * d);
  for (let c = 0; c < d; c++)
    for (let i = 0; i < R; i++) {
      let s = Zx[i * d + c];
      for (let k = 0; k < i; k++) s -= L[i * R + k] * F[k * d + c];
      F[i * d + c] = s / L[i * R + i];
    }
  const small = d <= R;
  const n = small ? d : R;
  const G = new Float64Array(n * n);
  if (small) {
    for (let r = 0; r < R; r++) for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) G[i * n + j] += F[r * d + i] * F[r * d + j];
  } else {
    for (let a = 0; a < R; a++)
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += F[a * d + c] * F[b * d + c];
        G[a * n + b] = s;
      }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) G[j * n + i] = G[i * n + j];
  const eig = smoothedTopEigen(G, n, mu);
  if (eig === null) return null;
  const { value, top, values, vectors, weighted } = eig;
  if (mu <= 0 || !wantGrad) return { value, top, grad: null };
  const grad = new Float64Array(nJ);
  const e = new Float64Array(d);
  for (const { i, pi } of weighted) {
    if (!small && !(values[i] > 0)) continue;
    if (!inputSideEigenvector(vectors, i, n, small, F, R, d, e)) continue;
    // y = S^-1 Z_x e
    const Zxe = new Float64Array(R);
    for (let a = 0; a < R; a++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += Zx[a * d + c] * e[c];
      Zxe[a] = s;
    }
    addTauGradient(grad, pi, backSubstitute(L, R, forwardSubstitute(L, R, Zxe)), Zr, t, R, nJ);
  }
  return { value, top, grad };
}

/**
 * Minimises the deep reduced objective over tau = log t (docs/science.md section 9.5): a feasible start
 * t_j = 4^{s (L - layer_j)} (layers counted from 0) with the smallest s = 0, 1, 2, ... that makes S positive definite (earlier
 * layers' multipliers larger: the slack rows of later layers then see their inputs' r through ever smaller
 * factors), the best common scale by golden-section search, then the smoothing stages and L-BFGS of
 * solveLipSdp; infeasible trial points are backtracked from.
 */
export function solveDeepLipSdp(P: DeepProblem, maxIterations = 300): DeepSolution | null {
  const nJ = P.nJ;
  let tau: Float64Array | null = null;
  for (let s = 0; s < 40 && tau === null; s++) {
    const x = Float64Array.from(P.layerOf, (l) => s * (P.L - l) * Math.log(4));
    if (evaluate(P, x, 0, false) !== null) tau = x;
  }
  if (tau === null) return null;
  const base = tau;
  const topAt = (k: number) => evaluate(P, base.map((v) => v + k), 0, false)?.top ?? Number.POSITIVE_INFINITY;
  const shift = goldenMin(topAt, -10, 20, 30);
  let x: Float64Array = base.map((v) => v + shift);
  let first = evaluate(P, x, 0, false);
  if (first === null) {
    x = base;
    first = evaluate(P, x, 0, false)!;
  }
  let best = { x, top: first.top };
  let iterations = 0;
  const stages = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6];
  for (const rel of nJ === 0 ? [] : stages) {
    const mu = rel * best.top;
    // lambda_max <= 0 at the best point (an output map that vanishes on the slopes' box): nothing to smooth,
    // and the evaluation has no gradient at mu <= 0
    if (mu <= 0) break;
    const cur = evaluate(P, x, mu, true);
    if (cur === null) break;
    // each stage runs to its own convergence; only the total is capped
    const r = lbfgsStage(x, cur, (xn) => (xn.every((v) => Math.abs(v) <= 200) ? evaluate(P, xn, mu, true) : null), best, Number.POSITIVE_INFINITY, () => {
      if (iterations >= maxIterations) return 'iterations';
      iterations++;
      return null;
    });
    x = r.x;
    best = r.best;
    if (r.stopped !== null) break;
  }
  return { t: best.x.map(Math.exp), rho: best.top, iterations };
}
