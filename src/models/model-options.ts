import type { ActivationName } from '../activations/activation.js';
import type { BumpProfile } from './bump-profile.js';

/**
 * The options a class may read when it is fitted. Each class declares which keys it reads
 * (`FunctionClass.reads`, src/models/function-class.ts) and ignores the others.
 */
export interface ModelOptions {
  /** Width: features (random-features), hidden units (ntk-features, two-layer). */
  readonly k?: number;
  readonly activation?: ActivationName;
  /** Ridge lambda >= 0 (0: min-norm interpolation). */
  readonly ridge?: number;
  /** Polynomial degree. */
  readonly degree?: number;
  /** Gaussian-kernel bandwidth. */
  readonly bandwidth?: number;
  /** Bump profile (hat or c1). */
  readonly profile?: BumpProfile;
  /** two-layer: input-gradient penalty lambda. */
  readonly penalty?: number;
  /** two-layer: stop when the train MSE is at most this. */
  readonly targetMse?: number;
  /** two-layer: iteration budget. */
  readonly maxIter?: number;
  /** two-layer: Adam learning rate. */
  readonly lr?: number;
  /** bumps: radius as a fraction of the largest certainly disjoint radius, about half the minimum pairwise distance (default 1). */
  readonly radiusFactor?: number;
}

/** The option names, for declaring what a class reads. */
export type ModelOptionKey = keyof ModelOptions;
