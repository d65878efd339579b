import type { Rng } from '../core/rng.js';

/** The names of the built-in label models. */
export const LABEL_NAMES = ['signs', 'flips', 'additive', 'noiseless'] as const;
/** A built-in label model name. */
export type LabelName = (typeof LABEL_NAMES)[number];

/**
 * A conditional law of y given x with |y| <= 1 surely, and its exact noise level
 * sigma^2 = E_mu[Var(y | x)] (docs/science.md section 2).
 */
export interface LabelModel {
  readonly name: LabelName;
  /** Exact noise level sigma^2 = E[Var(y|x)]. */
  readonly sigma2: number;
  /** Model parameters (for reports). */
  readonly params: Readonly<Record<string, number>>;
  /** E[y | x] for each row of the n x d matrix X. */
  mean(X: Float64Array, n: number, d: number): Float64Array;
  /** Draws y for each row of X; every |y_i| <= 1. */
  sample(X: Float64Array, n: number, d: number, noise: Rng): Float64Array;
}
