import { symmetricEigen } from '../../linalg/symmetric-eigen.js';

/** The smoothed largest eigenvalue the LipSDP solvers minimise, with the eigenvalues it weights. */
export interface SmoothedMax {
  /** f_mu = top + mu log sum_{i used} exp((lambda_i - top) / mu) (>= top, within mu log n of it). */
  readonly value: number;
  /** The normaliser z = sum_{i used} exp((lambda_i - top) / mu); lambda_i's weight in grad f_mu is exp((lambda_i - top) / mu) / z. */
  readonly z: number;
  /** Indices (in descending order of lambda) whose weight exp((lambda_i - top) / mu) is at least 1e-9. */
  readonly used: readonly number[];
}

/**
 * The log-sum-exp smoothing of lambda_max used by the first-order LipSDP solvers (docs/science.md section
 * 9.4): for eigenvalues sorted in descending order (top = values[0]) and mu > 0,
 *     f_mu = top + mu log sum_i exp((lambda_i - top) / mu),
 * keeping the eigenvalues of weight at least 1e-9 (the rest change f_mu by less than mu 1e-9 n).
 */
export function smoothedMax(values: ArrayLike<number>, n: number, mu: number): SmoothedMax {
  const top = values[0];
  let z = 0;
  const used: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = Math.exp((values[i] - top) / mu);
    if (w < 1e-9) break;
    z += w;
    used.push(i);
  }
  return { value: top + mu * Math.log(z), z, used };
}

/** What {@link smoothedTopEigen} returns: the value, lambda_max, and the eigenpairs that the gradient weights. */
export interface SmoothedTopEigen {
  /** f_mu ({@link SmoothedMax.value}; lambda_max itself when mu <= 0). */
  readonly value: number;
  /** lambda_max. */
  readonly top: number;
  /** The eigenvalues in descending order and the eigenvectors (column i of the n x n row-major matrix). */
  readonly values: Float64Array;
  readonly vectors: Float64Array;
  /** Each weighted eigenpair's index i and weight pi_i = exp((lambda_i - top) / mu) / z (empty when mu <= 0). */
  readonly weighted: readonly { readonly i: number; readonly pi: number }[];
}

/**
 * The step every LipSDP objective shares (docs/science.md section 9.4): the eigendecomposition of the
 * symmetric n x n matrix H (row-major, both triangles filled), lambda_max, and for mu > 0 its log-sum-exp
 * smoothing with the weights pi_i of the eigenpairs in grad f_mu = sum_i pi_i grad lambda_i. Null where
 * lambda_max is not finite.
 */
export function smoothedTopEigen(H: Float64Array, n: number, mu: number): SmoothedTopEigen | null {
  const { values, vectors } = symmetricEigen(H, n);
  const top = values[0];
  if (!Number.isFinite(top)) return null;
  if (mu <= 0) return { value: top, top, values, vectors, weighted: [] };
  const { value, z, used } = smoothedMax(values, n, mu);
  return { value, top, values, vectors, weighted: used.map((i) => ({ i, pi: Math.exp((values[i] - top) / mu) / z })) };
}
