import type { Rng } from '../core/rng.js';
import { requireNonNegative } from '../core/validate.js';
import { choleskySolve, choleskyWithJitter, transposedFactor } from './cholesky.js';
import { spdCondition } from './condition.js';
import { gram, gramTranspose, matTVec, matVec } from './gram.js';

/** Result of a (min-norm or ridge) least-squares solve. */
export interface LeastSquaresResult {
  /** The coefficient vector (length p for primal, length n for the dual/kernel solve). */
  readonly coef: Float64Array;
  /** Condition number of the SPD system actually solved (after jitter). */
  readonly condition: number;
  /** Diagonal shift added beyond the requested ridge. */
  readonly jitter: number;
  /** `dual`: (K + lambda I) alpha = y on the n x n Gram; `primal`: normal equations on p x p. */
  readonly method: 'dual' | 'primal';
}

/**
 * Solves the kernel system (K + lambda I) alpha = y for an SPD n x n K (Cholesky with jitter escalation,
 * one step of iterative refinement, condition number reported). With lambda = 0 and K = Phi Phi^T this is
 * the minimum-norm interpolant theta = Phi^T alpha.
 */
export function solveKernel(K: Float64Array, n: number, y: Float64Array, lambda: number, rng: Rng): LeastSquaresResult {
  requireNonNegative('solveKernel', 'lambda', lambda);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += K[i * n + i];
  if (trace === 0 && lambda === 0) {
    // A PSD matrix with zero trace is zero: every feature vanishes on the data, theta = 0 is the
    // minimum-norm least-squares solution. Reported as infinitely ill-conditioned, never hidden.
    return { coef: new Float64Array(n), condition: Number.POSITIVE_INFINITY, jitter: 0, method: 'dual' };
  }
  const A = Float64Array.from(K);
  if (lambda > 0) for (let i = 0; i < n; i++) A[i * n + i] += lambda;
  const { L, jitter } = choleskyWithJitter(A, n);
  if (jitter > 0) for (let i = 0; i < n; i++) A[i * n + i] += jitter;
  const LT = transposedFactor(L, n);
  const alpha = choleskySolve(L, n, y, LT);
  // One step of iterative refinement: alpha += A^{-1} (y - A alpha).
  const r = matVec(A, n, n, alpha);
  for (let i = 0; i < n; i++) r[i] = y[i] - r[i];
  const corr = choleskySolve(L, n, r, LT);
  for (let i = 0; i < n; i++) alpha[i] += corr[i];
  assertFinite('solveKernel', alpha);
  return { coef: alpha, condition: spdCondition(A, L, n, rng, LT), jitter, method: 'dual' };
}

/**
 * Least squares with features Phi (n x p, row-major): minimum-norm interpolation through the n x n Gram
 * Phi Phi^T when p >= n (theta = Phi^T (Phi Phi^T + lambda I)^{-1} y), normal equations
 * (Phi^T Phi + lambda I) theta = Phi^T y when p < n (then generally NOT an interpolant).
 */
export function leastSquares(Phi: Float64Array, n: number, p: number, y: Float64Array, lambda: number, rng: Rng): LeastSquaresResult {
  if (p >= n) {
    const sol = solveKernel(gram(Phi, n, p), n, y, lambda, rng);
    return { ...sol, coef: matTVec(Phi, n, p, sol.coef) };
  }
  const G = gramTranspose(Phi, n, p);
  const rhs = matTVec(Phi, n, p, y);
  const sol = solveKernel(G, p, rhs, lambda, rng);
  return { ...sol, method: 'primal' };
}

function assertFinite(fn: string, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new RangeError(`${fn}: solution is not finite at index ${i} (system too ill-conditioned)`);
}
