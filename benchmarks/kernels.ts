import { Rng } from '../src/core/rng.js';
import { choleskySolve, choleskyWithJitter } from '../src/linalg/cholesky.js';
import { matmulAB } from '../src/linalg/matmul.js';
import type { BenchCase } from '../src/bench/bench-case.js';

/*
 * The tinybench suite of the hot loops: the case definitions only. The runner (src/bench/run-bench.ts)
 * times them on each backend; the comparator (src/bench/compare.ts) judges them against a baseline.
 */

const rand = (len: number, seed: number) => {
  const r = new Rng(seed);
  const a = new Float32Array(len);
  for (let i = 0; i < len; i++) a[i] = 2 * r.uniform() - 1;
  return a;
};

/**
 * The hot loops at realistic sizes (issue "Compute backends and benchmarks"): matmul 256/512/1024;
 * gradient norms d = 256, k = 4096, batch 4096 (about 17 GFLOP); pairwise n = 4096, d = 256; Gram + solve
 * n = 2000, k = 8000 (the Gram on the backend, the Cholesky solve in f64 on the cpu); and the cpu f64
 * matmul 1024 (`matmulF64`, cpu only).
 */
export function realisticCases(): BenchCase[] {
  return kernelCases(REALISTIC);
}

/** The sizes of one suite of {@link kernelCases}. */
export interface CaseSizes {
  readonly matmul: readonly number[];
  readonly matmulF64: number;
  /** Batch m, dimension d, width k of the gradient norms. */
  readonly gradNorms: readonly [number, number, number];
  /** Points n and dimension d of the pairwise secants. */
  readonly pairwise: readonly [number, number];
  /** Points n and features k of the Gram + solve. */
  readonly gramSolve: readonly [number, number];
}

/** The realistic sizes (the committed baseline's). */
export const REALISTIC: CaseSizes = { matmul: [256, 512, 1024], matmulF64: 1024, gradNorms: [4096, 256, 4096], pairwise: [4096, 256], gramSolve: [2000, 8000] };
/** Tiny sizes for tests and smoke runs of the bench machinery (`robustlaw bench --small`): milliseconds per case, not comparable with realistic runs (their case ids differ). */
export const SMALL: CaseSizes = { matmul: [128], matmulF64: 128, gradNorms: [256, 32, 256], pairwise: [512, 32], gramSolve: [100, 400] };

/** The suite's cases at the given sizes. */
export function kernelCases(sizes: CaseSizes): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const n of sizes.matmul) {
    cases.push({
      id: `matmul-${n}`,
      kernel: 'matmul',
      size: `${n}x${n}x${n}`,
      flops: 2 * n ** 3,
      prepare: (b) => {
        const A = rand(n * n, 1);
        const B = rand(n * n, 2);
        return () => b.matmul(A, B, n, n, n);
      },
    });
  }
  cases.push({
    id: `matmulF64-${sizes.matmulF64}`,
    kernel: 'matmulF64',
    size: `${sizes.matmulF64}x${sizes.matmulF64}x${sizes.matmulF64} f64`,
    flops: 2 * sizes.matmulF64 ** 3,
    prepare: (b) => {
      if (b.name !== 'cpu') throw new Error('f64 matmul runs on cpu only');
      const q = sizes.matmulF64;
      const A = Float64Array.from(rand(q * q, 1));
      const B = Float64Array.from(rand(q * q, 2));
      return () => matmulAB(A, q, q, B, q);
    },
  });
  {
    const [m, d, k] = sizes.gradNorms;
    cases.push({
      id: `gradNorms-${m}x${d}x${k}`,
      kernel: 'gradNorms',
      size: `batch ${m}, d ${d}, k ${k}`,
      flops: 4 * m * d * k,
      prepare: (b) => {
        const X = rand(m * d, 3);
        const W = rand(k * d, 4).map((v) => v / 16);
        const bb = rand(k, 5);
        const a = rand(k, 6);
        return () => b.gradNorms(X, W, bb, a, m, d, k, 'tanh');
      },
    });
  }
  {
    const [n, d] = sizes.pairwise;
    cases.push({
      id: `pairwiseSecant-${n}x${d}`,
      kernel: 'pairwiseSecant',
      size: `n ${n}, d ${d}`,
      flops: 3 * n * n * d,
      prepare: (b) => {
        const X = rand(n * d, 7);
        const f = rand(n, 8);
        return () => b.pairwiseSecant(X, f, n, d);
      },
    });
  }
  {
    const [n, k] = sizes.gramSolve;
    cases.push({
      id: `gramSolve-${n}x${k}`,
      kernel: 'gramSolve',
      size: `n ${n}, k ${k}`,
      flops: 2 * n * n * k + (n ** 3) / 3,
      prepare: (b) => {
        const Phi = rand(n * k, 9);
        const y = Float64Array.from(rand(n, 10));
        return () => {
          const G = Float64Array.from(b.gram(Phi, n, k));
          const { L } = choleskyWithJitter(G, n);
          return choleskySolve(L, n, y);
        };
      },
    });
  }
  return cases;
}
