/**
 * The L-BFGS direction (Nocedal & Wright, Numerical Optimization, algorithm 7.4), used by the LipSDP solvers'
 * quasi-Newton stages (src/lipschitz/sdp/). General numerics, so it lives with the linear algebra.
 * @module
 */

/** L-BFGS two-loop recursion: -H g with the stored pairs (s, y), the initial Hessian scaled by s^T y / y^T y of the latest pair; the steepest descent -g when a pair has s^T y <= 0. */
export function lbfgsDirection(g: Float64Array, S: Float64Array[], Y: Float64Array[]): Float64Array {
  const q = Float64Array.from(g);
  const n = S.length;
  const alpha = new Float64Array(n);
  const rhoInv = new Float64Array(n);
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);
  for (let i = n - 1; i >= 0; i--) {
    rhoInv[i] = dot(Y[i], S[i]);
    if (!(rhoInv[i] > 0)) return q.map((v) => -v);
    alpha[i] = dot(S[i], q) / rhoInv[i];
    for (let j = 0; j < q.length; j++) q[j] -= alpha[i] * Y[i][j];
  }
  if (n > 0) {
    const scale = rhoInv[n - 1] / dot(Y[n - 1], Y[n - 1]);
    for (let j = 0; j < q.length; j++) q[j] *= scale;
  }
  for (let i = 0; i < n; i++) {
    const beta = dot(Y[i], q) / rhoInv[i];
    for (let j = 0; j < q.length; j++) q[j] += S[i][j] * (alpha[i] - beta);
  }
  return q.map((v) => -v);
}
