import type { ActivationName } from '../activations/activation.js';

/**
 * A model's weights held on a backend for repeated input-gradient evaluations: the estimators' search
 * (gradients at the data and at fresh draws, every step of the multi-start ascent) on an accelerated
 * backend. Values are f32: they rank candidate points and steer the ascent, never certify. Every
 * reported lower bound is re-evaluated in f64 by the model itself at its witness (docs/science.md
 * section 3, "Search in f32, certify in f64").
 */
export interface ResidentGradient {
  /** The backend's registry name (e.g. `tfjs-tensorflow`) and what ran (tf.getBackend()). */
  readonly backend: string;
  readonly mode: string;
  /** grad f at the rows of X (m x d, f32): m x d, f32. */
  gradients(X: Float32Array, m: number): Float32Array;
  /** Frees the weights held on the backend. */
  dispose(): void;
}

/**
 * The kernels a backend offers for resident models. A kernel that is absent, or returns null (a size
 * where the backend would not pay off), leaves the search in f64 on the cpu.
 */
export interface ResidentKernels {
  /** f(x) = sum_j a_j s(w_j . x + b_j) + c: grad f(x) = (s'(X W^T + b) diag(a)) W. W is k x d. */
  residentTwoLayer?(W: Float32Array, b: Float32Array, a: Float32Array, k: number, d: number, act: ActivationName): ResidentGradient | null;
  /**
   * f(x) = scale sum_j s'(w_j . x) (theta_j . x): grad f(x) = scale [(s''(X W^T) * (X Theta^T)) W + s'(X W^T) Theta].
   * W and Theta are k x d.
   */
  residentNtk?(W: Float32Array, Theta: Float32Array, k: number, d: number, act: ActivationName, scale: number): ResidentGradient | null;
}
