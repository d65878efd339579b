import { symmetricEigen } from '../../linalg/symmetric-eigen.js';
import { goldenMin } from '../../linalg/golden-section.js';
import { backSubstitute, choleskyFactor, forwardSubstitute } from '../../linalg/cholesky.js';
import { gramTranspose } from '../../linalg/gram.js';
import { matmulABt } from '../../linalg/matmul.js';
import type { HiddenLayerProblem } from './hidden-layer-problem.js';
import { lbfgsStage } from './lbfgs-stage.js';
import { smoothedTopEigen } from './smoothed-max.js';

/** Options of {@link solveLipSdp}. */
export interface LipSdpSolveOptions {
  /** Quasi-Newton iterations in all (default 300). */
  readonly maxIterations?: number;
  /** Wall-time cap in milliseconds (default none: a cap makes the result depend on the machine, so the library paths use iteration caps only). */
  readonly timeLimitMs?: number;
}

/** What the solver found: multipliers and the numerical value of the reduced objective there (NOT certified). */
export interface LipSdpSolution {
  /** t_j for the units with slack (problem.slack order). */
  readonly t: Float64Array;
  /** lambda_max(G(t)) computed in floating point: a candidate rho, to be verified (verify-certificate.ts). */
  readonly rho: number;
  readonly iterations: number;
  readonly evaluations: number;
  /** Why it stopped: `converged`, `iterations` or `time`. */
  readonly stop: 'converged' | 'iterations' | 'time';
}

interface Pre {
  readonly P: HiddenLayerProblem;
  /** B = V diag(mid) W, m x d. */
  readonly B: Float64Array;
  /** W rows of the slack units (nJ x d) and their half widths, output columns (m x nJ). */
  readonly WJ: Float64Array;
  readonly hJ: Float64Array;
  readonly VJ: Float64Array;
  readonly nJ: number;
  /** When d > nJ + m: the t-independent Grams W_J W_J^T, W_J B^T and B B^T, so that F F^T needs no d-long products. */
  readonly grams: { readonly WW: Float64Array; readonly WB: Float64Array; readonly BB: Float64Array } | null;
}

interface Evaluation {
  /** Smoothed lambda_max: mu log sum exp(lambda_i / mu). */
  readonly value: number;
  /** lambda_max itself. */
  readonly top: number;
  /** Gradient of `value` in tau = log t. */
  readonly grad: Float64Array | null;
}

/**
 * Minimises the reduced LipSDP-Neuron objective over the multipliers (docs/science.md section 9.4):
 *   rho(t) = lambda_max( sum_{j in J} 2 t_j half_j^2 w_j w_j^T + B^T S(t)^{-1} B ),
 *   S(t) = I_m - sum_{j in J} v_j v_j^T / (2 t_j) > 0,  B = V diag(mid) W,
 * which is convex in t (it is the optimal rho of the linear matrix inequality at fixed t). Variables
 * tau = log t; the objective is smoothed as mu log sum_i exp(lambda_i / mu) with mu falling from 1e-2 to
 * 3e-5 times lambda_max over six stages, each minimised by L-BFGS with a backtracking line search; the
 * eigenproblem is solved on the smaller side of F (G = F^T F or F F^T, F = [diag(sqrt(2 t) half) W_J ; L^{-1} B]
 * with S = L L^T). Start: t_j proportional to ||v_j|| / (half_j ||w_j||) (optimal for P = I/d in the dual,
 * section 9.4), then the best common scale by golden-section search. Nothing here is certified: the
 * multipliers it returns are checked by verifyLipSdp.
 */
export function solveLipSdp(P: HiddenLayerProblem, options: LipSdpSolveOptions = {}): LipSdpSolution | null {
  const t0 = performance.now();
  const maxIter = options.maxIterations ?? 300;
  const limit = options.timeLimitMs ?? Number.POSITIVE_INFINITY;
  const pre = prepare(P);
  const { nJ } = pre;
  let evaluations = 0;
  const evalAt = (x: Float64Array, mu: number, grad: boolean) => {
    evaluations++;
    return evaluateX(pre, x, mu, grad);
  };
  // start: tau_j = log(||v_j|| / (half_j ||w_j||)); sigma by golden-section search
  const x0 = new Float64Array(nJ + 1);
  for (let q = 0; q < nJ; q++) {
    let wn = 0;
    for (let i = 0; i < P.d; i++) wn += pre.WJ[q * P.d + i] ** 2;
    let vn = 0;
    for (let i = 0; i < P.m; i++) vn += pre.VJ[i * nJ + q] ** 2;
    x0[q] = Math.log(Math.sqrt(vn)) - Math.log(pre.hJ[q] * Math.sqrt(wn));
  }
  const topAt = (sigma: number) => {
    x0[nJ] = sigma;
    return evalAt(x0, 0, false)?.top ?? Number.POSITIVE_INFINITY;
  };
  const sigma0 = nJ === 0 ? 0 : goldenMin(topAt, -8, SIGMA_MAX, 16);
  x0[nJ] = sigma0;
  let x: Float64Array = x0;
  let best: { readonly x: Float64Array; readonly top: number } = { x, top: evalAt(x, 0, false)?.top ?? Number.POSITIVE_INFINITY };
  if (!Number.isFinite(best.top)) return null;
  let iterations = 0;
  let stop: LipSdpSolution['stop'] = 'converged';
  const stages = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5];
  const perStage = Math.max(1, Math.ceil(maxIter / stages.length));
  for (const rel of nJ === 0 ? [] : stages) {
    const mu = rel * best.top;
    // lambda_max <= 0 at the best point (an output map that vanishes on the slopes' box): nothing to smooth,
    // and the evaluation has no gradient at mu <= 0
    if (mu <= 0) break;
    const cur = evalAt(x, mu, true);
    if (cur === null) break;
    const r = lbfgsStage(x, cur, (xn) => evalAt(xn, mu, true), best, perStage, () => {
      if (iterations >= maxIter) return 'iterations';
      if (performance.now() - t0 > limit) return 'time';
      iterations++;
      return null;
    });
    x = r.x;
    best = r.best;
    if (r.stopped !== null) {
      stop = r.stopped;
      break;
    }
  }
  if (stop === 'converged' && iterations >= maxIter) stop = 'iterations';
  return { t: multipliers(pre, best.x).t, rho: best.top, iterations, evaluations, stop };
}

/** sigma is capped here: 1 - c(sigma) >= 1.4e-11, so that S stays numerically positive definite. */
const SIGMA_MAX = 25;

/**
 * The multipliers of the solver's variables x = (tau, sigma): t_j = e^{tau_j} g(tau) / c with
 * g(tau) = lambda_max(sum_j v_j v_j^T e^{-tau_j} / 2) and c = 1 / (1 + e^{-sigma}), so that
 * lambda_max(sum_j v_j v_j^T / (2 t_j)) = c < 1: every x is feasible (S > 0), and the common scale of t
 * is the single variable sigma (docs/science.md section 9.4). Also returns the top eigenvector z of the
 * m x m matrix for the chain rule.
 */
function multipliers(pre: Pre, x: Float64Array): { t: Float64Array; g: number; z: Float64Array; c: number } {
  const { nJ, VJ } = pre;
  const m = pre.P.m;
  const M = new Float64Array(m * m);
  for (let q = 0; q < nJ; q++) {
    const w = Math.exp(-x[q]) / 2;
    for (let i = 0; i < m; i++) for (let l = 0; l < m; l++) M[i * m + l] += w * VJ[i * nJ + q] * VJ[l * nJ + q];
  }
  let g: number;
  let z: Float64Array;
  if (m === 1) {
    g = M[0];
    z = new Float64Array([1]);
  } else {
    const eig = symmetricEigen(M, m);
    g = eig.values[0];
    z = Float64Array.from({ length: m }, (_, i) => eig.vectors[i * m]);
  }
  const c = 1 / (1 + Math.exp(-Math.min(x[nJ], SIGMA_MAX)));
  const t = new Float64Array(nJ);
  for (let q = 0; q < nJ; q++) t[q] = (Math.exp(x[q]) * g) / c;
  return { t, g, z, c };
}

/** The objective at x = (tau, sigma) and its gradient in x by the chain rule through {@link multipliers}. */
function evaluateX(pre: Pre, x: Float64Array, mu: number, wantGrad: boolean): Evaluation | null {
  const { nJ, VJ } = pre;
  const m = pre.P.m;
  // multipliers beyond e^±200 only come from wild line-search steps: refused (the search backtracks), so that
  // the matrices stay far from overflow
  for (let q = 0; q < nJ; q++) if (!(Math.abs(x[q]) <= 200)) return null;
  const { t, g, z, c } = multipliers(pre, x);
  if (!(g > 0 && Number.isFinite(g)) || !t.every((v) => v > 0 && Number.isFinite(v))) return null;
  const e = evaluate(pre, t.map(Math.log), mu, wantGrad);
  if (e === null || !wantGrad || e.grad === null) return e;
  // e.grad[j] = t_j d/dt_j; log t_j = tau_j + log g(tau) - log c(sigma)
  const gamma = e.grad;
  const total = gamma.reduce((a, v) => a + v, 0);
  const grad = new Float64Array(nJ + 1);
  for (let q = 0; q < nJ; q++) {
    let vz = 0;
    for (let i = 0; i < m; i++) vz += VJ[i * nJ + q] * z[i];
    grad[q] = gamma[q] - (total * vz * vz * Math.exp(-x[q])) / (2 * g);
  }
  grad[nJ] = x[nJ] >= SIGMA_MAX ? 0 : -total * (1 - c);
  return { value: e.value, top: e.top, grad };
}

/** The numerical reduced objective lambda_max(G(t)) (NOT certified), or null when S(t) is not positive definite. */
export function reducedObjective(P: HiddenLayerProblem, t: Float64Array): number | null {
  return evaluate(prepare(P), t.map(Math.log), 0, false)?.top ?? null;
}

function prepare(P: HiddenLayerProblem): Pre {
  const { d, k, m, W, V, mid, half, slack } = P;
  const B = new Float64Array(m * d);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < k; j++) {
      const vm = V[i * k + j] * mid[j];
      if (vm !== 0) for (let t = 0; t < d; t++) B[i * d + t] += vm * W[j * d + t];
    }
  const nJ = slack.length;
  const WJ = new Float64Array(nJ * d);
  const hJ = new Float64Array(nJ);
  const VJ = new Float64Array(m * nJ);
  slack.forEach((j, q) => {
    WJ.set(W.subarray(j * d, j * d + d), q * d);
    hJ[q] = half[j];
    for (let i = 0; i < m; i++) VJ[i * nJ + q] = V[i * k + j];
  });
  const dot = (A: Float64Array, a: number, C: Float64Array, c: number) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += A[a * d + t] * C[c * d + t];
    return s;
  };
  let grams: Pre['grams'] = null;
  if (d > nJ + m) {
    const WW = new Float64Array(nJ * nJ);
    const WB = new Float64Array(nJ * m);
    const BB = new Float64Array(m * m);
    for (let a = 0; a < nJ; a++) {
      for (let c = 0; c <= a; c++) WW[a * nJ + c] = WW[c * nJ + a] = dot(WJ, a, WJ, c);
      for (let c = 0; c < m; c++) WB[a * m + c] = dot(WJ, a, B, c);
    }
    for (let a = 0; a < m; a++) for (let c = 0; c <= a; c++) BB[a * m + c] = BB[c * m + a] = dot(B, a, B, c);
    grams = { WW, WB, BB };
  }
  return { P, B, WJ, hJ, VJ, nJ, grams };
}

/**
 * The evaluation on the (nJ + m) side from the precomputed Grams: F F^T = [[Ds WW Ds, Ds WB L^-T], [., L^-1 BB L^-T]]
 * with Ds = diag(sqrt(2 t) half); for an eigenvector f = (f1, f2) of F F^T with eigenvalue lambda, e = F^T f / sqrt(lambda)
 * has W_J e = (WW Ds f1 + WB L^-T f2) / sqrt(lambda) and B e = (WB^T Ds f1 + BB L^-T f2) / sqrt(lambda).
 */
function evaluateOnGrams(pre: Pre, t: Float64Array, L: Float64Array, mu: number, wantGrad: boolean): Evaluation | null {
  const { hJ, VJ, nJ } = pre;
  const { WW, WB, BB } = pre.grams!;
  const m = pre.P.m;
  const n = nJ + m;
  const ds = t.map((v, q) => Math.sqrt(2 * v) * hJ[q]);
  const H = new Float64Array(n * n);
  for (let a = 0; a < nJ; a++) for (let c = 0; c <= a; c++) H[a * n + c] = ds[a] * WW[a * nJ + c] * ds[c];
  const WBL = new Float64Array(nJ * m); // WB L^-T
  for (let a = 0; a < nJ; a++) WBL.set(forwardSubstitute(L, m, WB.subarray(a * m, a * m + m)), a * m);
  for (let a = 0; a < nJ; a++) for (let c = 0; c < m; c++) H[(nJ + c) * n + a] = ds[a] * WBL[a * m + c];
  const X = new Float64Array(m * m); // rows of BB L^-T
  for (let a = 0; a < m; a++) X.set(forwardSubstitute(L, m, BB.subarray(a * m, a * m + m)), a * m);
  // L^-1 (BB L^-T): column c of X solved by forward substitution
  for (let c = 0; c < m; c++) {
    const col = new Float64Array(m);
    for (let a = 0; a < m; a++) col[a] = X[a * m + c];
    const y = forwardSubstitute(L, m, col);
    for (let a = c; a < m; a++) H[(nJ + a) * n + nJ + c] = y[a];
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) H[j * n + i] = H[i * n + j];
  if (!H.every(Number.isFinite)) return null;
  const eig = smoothedTopEigen(H, n, mu);
  if (eig === null) return null;
  const { value, top, values, vectors, weighted } = eig;
  if (mu <= 0 || !wantGrad) return { value, top, grad: null };
  const grad = new Float64Array(nJ);
  for (const { i, pi } of weighted) {
    if (!(values[i] > 0)) continue;
    const sig = Math.sqrt(values[i]);
    const f1 = new Float64Array(nJ);
    for (let a = 0; a < nJ; a++) f1[a] = ds[a] * vectors[a * n + i];
    const f2 = new Float64Array(m);
    for (let a = 0; a < m; a++) f2[a] = vectors[(nJ + a) * n + i];
    const g2 = backSubstitute(L, m, f2);
    const we = new Float64Array(nJ);
    for (let a = 0; a < nJ; a++) {
      let s = 0;
      for (let c = 0; c < nJ; c++) s += WW[a * nJ + c] * f1[c];
      for (let c = 0; c < m; c++) s += WB[a * m + c] * g2[c];
      we[a] = s / sig;
    }
    const be = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      let s = 0;
      for (let c = 0; c < nJ; c++) s += WB[c * m + a] * f1[c];
      for (let c = 0; c < m; c++) s += BB[a * m + c] * g2[c];
      be[a] = s / sig;
    }
    const y = backSubstitute(L, m, forwardSubstitute(L, m, be));
    for (let q = 0; q < nJ; q++) {
      let vy = 0;
      for (let a = 0; a < m; a++) vy += VJ[a * nJ + q] * y[a];
      grad[q] += pi * (2 * hJ[q] * hJ[q] * we[q] * we[q] * t[q] - (vy * vy) / (2 * t[q]));
    }
  }
  return { value, top, grad };
}

function evaluate(pre: Pre, tau: Float64Array, mu: number, wantGrad: boolean): Evaluation | null {
  const { P, B, WJ, hJ, VJ, nJ } = pre;
  const { d, m } = P;
  const t = tau.map(Math.exp);
  // S = I - sum v_j v_j^T / (2 t_j) and its Cholesky factor L
  const S = new Float64Array(m * m);
  for (let i = 0; i < m; i++) S[i * m + i] = 1;
  for (let q = 0; q < nJ; q++) {
    const w = 1 / (2 * t[q]);
    for (let i = 0; i < m; i++) {
      const vi = VJ[i * nJ + q] * w;
      if (vi !== 0) for (let l = 0; l <= i; l++) S[i * m + l] -= vi * VJ[l * nJ + q];
    }
  }
  const L = choleskyFactor(S, m);
  if (L === null) return null;
  if (pre.grams !== null) return evaluateOnGrams(pre, t, L, mu, wantGrad);
  const R = nJ + m;
  const F = new Float64Array(R * d);
  for (let q = 0; q < nJ; q++) {
    const s = Math.sqrt(2 * t[q]) * hJ[q];
    for (let i = 0; i < d; i++) F[q * d + i] = s * WJ[q * d + i];
  }
  // L^{-1} B by forward substitution, column by column of B
  for (let c = 0; c < d; c++) {
    for (let i = 0; i < m; i++) {
      let s = B[i * d + c];
      for (let l = 0; l < i; l++) s -= L[i * m + l] * F[(nJ + l) * d + c];
      F[(nJ + i) * d + c] = s / L[i * m + i];
    }
  }
  if (!F.every(Number.isFinite)) return null;
  const small = d <= R;
  const n = small ? d : R;
  // G = F^T F (d x d) on the blocked WebAssembly kernel: the evaluation's main cost, R d^2 (the solver
  // only searches; the certificate is verified separately in f64, verified-psd.ts)
  const G = small ? gramTranspose(F, R, d) : new Float64Array(n * n);
  if (!small) {
    for (let a = 0; a < R; a++)
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += F[a * d + i] * F[b * d + i];
        G[a * n + b] = s;
      }
  }
  if (!small) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) G[j * n + i] = G[i * n + j];
  const eig = smoothedTopEigen(G, n, mu);
  if (eig === null) return null;
  const { value, top, vectors, weighted } = eig;
  if (mu <= 0 || !wantGrad) return { value, top, grad: null };
  const grad = new Float64Array(nJ);
  const e = new Float64Array(d);
  // w_q . e_i for every unit q and used eigenvector e_i, as one product on the WebAssembly kernel (small case)
  const u = weighted.length;
  let WE: Float64Array | null = null;
  if (small) {
    const Et = new Float64Array(u * d);
    weighted.forEach(({ i }, r) => {
      for (let c = 0; c < d; c++) Et[r * d + c] = vectors[c * n + i];
    });
    WE = matmulABt(WJ, nJ, d, Et, u);
  }
  for (const [r, { i, pi }] of weighted.entries()) {
    if (!inputSideEigenvector(vectors, i, n, small, F, R, d, e)) continue;
    // y = S^{-1} B e
    const Be = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += B[a * d + c] * e[c];
      Be[a] = s;
    }
    const y = backSubstitute(L, m, forwardSubstitute(L, m, Be));
    for (let q = 0; q < nJ; q++) {
      let we = 0;
      if (WE !== null) we = WE[q * u + r];
      else for (let c = 0; c < d; c++) we += WJ[q * d + c] * e[c];
      let vy = 0;
      for (let a = 0; a < m; a++) vy += VJ[a * nJ + q] * y[a];
      // d/dt_j of e^T G e, times t_j for tau = log t
      grad[q] += pi * (2 * hJ[q] * hJ[q] * we * we * t[q] - (vy * vy) / (2 * t[q]));
    }
  }
  return { value, top, grad };
}

/**
 * The unit eigenvector e (length d) of G = F^T F for the eigenpair i of the matrix that was decomposed
 * (`vectors`, n x n, columns): G itself when `small` (n = d), else F F^T (n = R), whose eigenvector f lifts to
 * e = F^T f / ||F^T f||. Written into `e`; false when the lift vanishes.
 */
export function inputSideEigenvector(vectors: Float64Array, i: number, n: number, small: boolean, F: Float64Array, R: number, d: number, e: Float64Array): boolean {
  if (small) {
    for (let c = 0; c < d; c++) e[c] = vectors[c * n + i];
    return true;
  }
  e.fill(0);
  for (let r = 0; r < R; r++) {
    const f = vectors[r * n + i];
    if (f !== 0) for (let c = 0; c < d; c++) e[c] += f * F[r * d + c];
  }
  const norm = Math.hypot(...e);
  if (!(norm > 0)) return false;
  for (let c = 0; c < d; c++) e[c] /= norm;
  return true;
}

