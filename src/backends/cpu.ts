import { gram as gramF64 } from '../linalg/gram.js';
import { matmulAB as matmulABF64, matmulABt } from '../linalg/matmul.js';
import { wasmKernelActive } from '../linalg/wasm-abt.js';
import { bestSecantPair } from '../linalg/pairwise-secant.js';
import { ACTIVATION } from '../activations/activation.js';
import type { Backend, KernelActivation, SecantResult } from './backend.js';

const f64 = (a: Float32Array) => Float64Array.from(a);
const f32 = (a: Float64Array) => Float32Array.from(a);

/**
 * The reference backend: the f64 kernels of src/linalg (a WebAssembly SIMD f64 matmul where available,
 * cache-blocked plain JS otherwise; the mode says which), computing in f64 from the f32 inputs and
 * rounding once at the end, so it is the most accurate of all and the yardstick of the equivalence suite.
 */
export function cpuBackend(): Backend {
  return {
    name: 'cpu',
    mode: wasmKernelActive() ? 'wasm-simd-f64' : 'js-f64',
    matmul: (A, B, m, k, n) => f32(matmulABF64(f64(A), m, k, f64(B), n)),
    featureMap(X, W, b, m, d, k, act) {
      const Z = matmulABt(f64(X), m, d, f64(W), k);
      const s = ACTIVATION[act];
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) Z[i * k + j] = s.f(Z[i * k + j] + b[j]);
      return f32(Z);
    },
    gradNorms: (X, W, b, a, m, d, k, act) => f32(gradNormsF64(f64(X), f64(W), f64(b), f64(a), m, d, k, act)),
    pairwiseSecant: (X, f, n, d) => pairwiseSecantRange(f64(X), f64(f), n, d, 0, n),
    gram: (A, m, p) => f32(gramF64(f64(A), m, p)),
  };
}

/** ||(s'(X W^T + b) diag(a)) W||_row in f64 (the cpu reference and the only f64 path). */
export function gradNormsF64(X: Float64Array, W: Float64Array, b: Float64Array, a: Float64Array, m: number, d: number, k: number, act: KernelActivation): Float64Array {
  const Z = matmulABt(X, m, d, W, k);
  const s = ACTIVATION[act];
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) Z[i * k + j] = a[j] * s.df(Z[i * k + j] + b[j]);
  const G = matmulABF64(Z, m, k, W, d);
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += G[i * d + t] ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

/**
 * The best secant |f_i - f_j| / ||x_i - x_j|| over the pairs (i, j), i in [i0, i1), j > i, in f64
 * arithmetic: {@link bestSecantPair} (the loop the data floor uses), with secant 0 and the pair (0, 0)
 * when there is no pair of distinct points. The worker pool splits the triangle into such row ranges.
 */
export function pairwiseSecantRange(X: ArrayLike<number>, f: ArrayLike<number>, n: number, d: number, i0: number, i1: number): SecantResult {
  return bestSecantPair(X, f, n, d, i0, i1) ?? { secant: 0, i: 0, j: 0 };
}
