import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { choleskyWithJitter, transposedFactor } from '../../src/linalg/cholesky.js';
import { spdCondition } from '../../src/linalg/condition.js';
import { randomOrthonormal } from '../../src/linalg/orthonormal.js';

/** Q diag(lambda) Q^T for a random orthonormal Q: a matrix whose condition number is known. */
function withSpectrum(lambda: number[], rng: Rng): Float64Array {
  const n = lambda.length;
  const Q = randomOrthonormal(n, n, rng);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += Q[i * n + t] * lambda[t] * Q[j * n + t];
    A[i * n + j] = s;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i] = 0.5 * (A[i * n + j] + A[j * n + i]);
  return A;
}

describe('spdCondition (Lanczos on A and on A^-1)', () => {
  it('finds known condition numbers, from below, including clustered small eigenvalues', () => {
    const rng = new Rng(5);
    const cases: number[][] = [
      Array.from({ length: 60 }, (_, i) => 1 + i), // 60
      Array.from({ length: 120 }, (_, i) => (i < 20 ? 1e-4 * (1 + 1e-3 * i) : 1 + i / 10)), // clustered bottom: ~1.3e5
      Array.from({ length: 50 }, (_, i) => 10 ** (-8 + (8 * i) / 49)), // 1e8, geometric
    ];
    for (const lambda of cases) {
      const n = lambda.length;
      const A = withSpectrum(lambda, rng);
      const { L } = choleskyWithJitter(Float64Array.from(A), n);
      const kappa = Math.max(...lambda) / Math.min(...lambda);
      const est = spdCondition(A, L, n, new Rng(1), transposedFactor(L, n));
      expect(est).toBeLessThanOrEqual(kappa * (1 + 1e-6));
      expect(est).toBeGreaterThan(kappa * (1 - 1e-6));
    }
  });

  it('the check can fail: a 1% larger smallest eigenvalue is told apart', () => {
    const rng = new Rng(6);
    const lambda = Array.from({ length: 40 }, (_, i) => 1 + i);
    const A = withSpectrum(lambda, rng);
    const { L } = choleskyWithJitter(Float64Array.from(A), 40);
    const est = spdCondition(A, L, 40, new Rng(2));
    expect(Math.abs(est / (40 / 1.01) - 1)).toBeGreaterThan(1e-3);
  });
});
