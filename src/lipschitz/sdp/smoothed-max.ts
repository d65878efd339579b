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
