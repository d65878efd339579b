import type { Rng } from '../core/rng.js';

/** The names of the built-in covariate distributions. */
export const DISTRIBUTION_NAMES = ['gaussian', 'sphere', 'hypercube', 'mixture', 'subspace', 'clusters'] as const;
/** A built-in covariate distribution name. */
export type DistributionName = (typeof DISTRIBUTION_NAMES)[number];

/**
 * The isoperimetry constant c of Definition 1.1 (docs/science.md section 1): for every bounded L-Lipschitz f,
 * P(|f(x) - E f| >= t) <= 2 exp(-d t^2 / (2 c L^2)), with d the AMBIENT dimension. For a mixture, c is
 * that of each component.
 */
export interface Isoperimetry {
  /** The constant, or null where only "c = O(1)" is known. */
  readonly c: number | null;
  /** `exact`: proved sharp constant; `derived`: a valid (maybe loose) constant we derived; `unknown`. */
  readonly kind: 'exact' | 'derived' | 'unknown';
  /** Where the constant comes from. */
  readonly source: string;
}

/** A covariate distribution mu on R^d, with what the theorem needs to know about it. */
export interface Distribution {
  readonly name: DistributionName;
  /** Ambient dimension d. */
  readonly d: number;
  /** Isoperimetry constant of each mixture component (w.r.t. the ambient d). */
  readonly isoperimetry: Isoperimetry;
  /** Number of mixture components k (1 for a single isoperimetric measure). */
  readonly components: number;
  /** Intrinsic dimension (d unless the support is lower dimensional). */
  readonly intrinsicDim: number;
  /**
   * Whether mu meets Theorem 3's distributional assumption in the regime the law is quoted for:
   * a mixture of few components, each c-isoperimetric with c = O(1) in the ambient d. The
   * k-condition itself depends on n and eps and is checked by the bound.
   */
  readonly assumptionsHold: boolean;
  /** Why the assumptions fail (empty when they hold), and other notes. */
  readonly notes: readonly string[];
  /** Class parameters (for reports). */
  readonly params: Readonly<Record<string, number>>;
  /** Cluster centres (k x d, row-major) for `mixture` and `clusters`: part of the distribution. */
  readonly centres?: Float64Array;
  /** Orthonormal basis U (d x m, row-major) of the support of `subspace`: x = U z. */
  readonly basis?: Float64Array;
  /** Draws n points, returned row-major as an n x d Float64Array. */
  sample(n: number, rng: Rng): Float64Array;
}
