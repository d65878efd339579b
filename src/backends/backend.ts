import { ACTIVATIONS, type ActivationName } from '../activations/activation.js';
import type { ResidentKernels } from './resident.js';

/** The hot loops every backend implements. */
export const KERNELS = ['matmul', 'featureMap', 'gradNorms', 'pairwiseSecant', 'gram'] as const;
/** A kernel name. */
export type KernelName = (typeof KERNELS)[number];

/** Activations the feature-map and gradient kernels support: those of the function classes (src/activations/activation.ts). */
export const KERNEL_ACTIVATIONS = ACTIVATIONS;
/** A kernel activation: s(t) = relu, tanh, softplus, t^2/2, cos. */
export type KernelActivation = ActivationName;

/** The best pair of the data floor: max_{i<j} |f_i - f_j| / ||x_i - x_j||. */
export interface SecantResult {
  readonly secant: number;
  readonly i: number;
  readonly j: number;
}

/**
 * A compute backend for the hot loops. All matrices are row-major Float32Array (f32 is what the
 * accelerated backends compute in; only `cpu` has an f64 path, see cpu.ts). Every backend must give the
 * cpu reference's numbers within a backend-dependent tolerance (test/backends/equivalence.test.ts).
 */
export interface Backend extends ResidentKernels {
  /** Registry name, e.g. `cpu`, `tfjs-wasm`, `gpujs-webasm`. */
  readonly name: string;
  /** What actually ran, as the library reports it (e.g. tf.getBackend(), gpu.mode). */
  readonly mode: string;
  /** C = A B for A (m x k) and B (k x n). */
  matmul(A: Float32Array, B: Float32Array, m: number, k: number, n: number): Float32Array;
  /** act(X W^T + b) for X (m x d), W (k x d), b (k): m x k. */
  featureMap(X: Float32Array, W: Float32Array, b: Float32Array, m: number, d: number, k: number, act: KernelActivation): Float32Array;
  /** ||grad f(x_i)|| for f(x) = sum_j a_j s(w_j . x + b_j): the norms of the rows of (s'(X W^T + b) diag(a)) W. */
  gradNorms(X: Float32Array, W: Float32Array, b: Float32Array, a: Float32Array, m: number, d: number, k: number, act: KernelActivation): Float32Array;
  /**
   * The data floor's best pair over the rows of X (n x d) with values f. In f32 this is a CANDIDATE: pairs
   * closer than about 0.1 are not resolved (and tfjs forms |a|^2 + |b|^2 - 2 a.b, which cancels), so a
   * certified bound must re-evaluate the winning pair in f64, as src/estimators/data-floor.ts does.
   */
  pairwiseSecant(X: Float32Array, f: Float32Array, n: number, d: number): SecantResult;
  /** G = A A^T for A (m x p): m x m. */
  gram(A: Float32Array, m: number, p: number): Float32Array;
  /** Frees what the backend holds. */
  dispose?(): void;
}
