import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { cpuBackend } from '../../src/backends/cpu.js';
import { CpuWorkerPool } from '../../src/backends/cpu-workers.js';

const rand = (len: number, seed: number) => {
  const r = new Rng(seed);
  return Float32Array.from({ length: len }, () => 2 * r.uniform() - 1);
};

describe('cpu worker pool (batch-parallel kernels on worker threads)', () => {
  const pool = new CpuWorkerPool(2);
  const cpu = cpuBackend();
  afterAll(() => pool.close());

  it('gradient norms equal the cpu reference exactly (same f64 arithmetic per row)', async () => {
    const [m, d, k] = [37, 11, 23];
    const args = [rand(m * d, 1), rand(k * d, 2), rand(k, 3), rand(k, 4), m, d, k, 'tanh'] as const;
    expect(Array.from(await pool.gradNorms(...args))).toEqual(Array.from(cpu.gradNorms(...args)));
  });

  it('the pairwise secant finds the same pair as the cpu reference', async () => {
    const [n, d] = [41, 7];
    const X = rand(n * d, 5);
    const f = rand(n, 6);
    expect(await pool.pairwiseSecant(X, f, n, d)).toEqual(cpu.pairwiseSecant(X, f, n, d));
  });

  it('the same pair in ties too (grid points, values in {-1, 0, 1}, several scan blocks per worker)', async () => {
    const [n, d] = [300, 2];
    const r = new Rng(7);
    const X = Float32Array.from({ length: n * d }, () => Math.floor(5 * r.uniform()) - 2);
    const f = Float32Array.from({ length: n }, () => Math.floor(3 * r.uniform()) - 1);
    const want = cpu.pairwiseSecant(X, f, n, d);
    expect(want.secant).toBeGreaterThan(0);
    expect(await pool.pairwiseSecant(X, f, n, d)).toEqual(want);
  });
});
