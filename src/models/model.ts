import type { ResidentGradient, ResidentKernels } from '../backends/resident.js';
import type { Rng } from '../core/rng.js';
import { normRoundoff, type Domain } from '../lipschitz/domain.js';
import type { LipEstimate } from '../lipschitz/estimate.js';

/**
 * The names of the function classes, a closed set: the built-in classes, the network loaded from a file
 * (`mlp`), and the two regime classes built from the data law's structure (docs/science.md section 5).
 * Each has one module and one registry entry (src/models/registry.ts).
 */
export const MODEL_CLASSES = ['linear', 'random-features', 'ntk-features', 'two-layer', 'bumps', 'gaussian-kernel', 'polynomial', 'mlp', 'intrinsic-bumps', 'atom-bumps'] as const;
/** A function class name. */
export type ModelClass = (typeof MODEL_CLASSES)[number];

/**
 * A fitted function f: R^d -> R of a parametrised class (docs/science.md section 1, assumption 1).
 * `W` and `J` are the quantities Theorem 3 needs, for the class restricted to the centred parameter ball
 * of radius ||theta|| and to inputs in the ball of radius `radius`.
 */
export interface Model {
  readonly className: ModelClass;
  /** Input dimension d. */
  readonly d: number;
  /** Number of parameters p, as the paper counts them. */
  readonly p: number;
  /** One line: what the model is. */
  readonly description: string;
  /** Diameter bound of the parameter set: 2 ||theta||_2 (the centred ball containing theta). */
  readonly W: number;
  /** Lipschitz constant of theta -> f_theta in sup norm over the stated domain. */
  readonly J: number;
  /** Radius R of the input ball on which J (and domain-dependent bounds) hold. */
  readonly radius: number;
  /**
   * The same function with W, J and the default domain stated for inputs in the ball of radius R, for
   * classes that are not fitted to data (a network from a file): check-model asks for the data's radius.
   */
  withRadius?(R: number): Model;
  /**
   * Whether f is C^1 on R^d, so that any computed gradient norm is a valid lower bound. False for
   * relu units and hat bumps: there a reported lower bound comes from a secant (docs/science.md section 3).
   */
  readonly smooth: boolean;
  /** Class parameters (for reports and JSON). */
  readonly params: Readonly<Record<string, number | string>>;
  /** f(x) for each row of the m x d matrix X. */
  predict(X: Float64Array, m: number): Float64Array;
  /**
   * For each row x of X, a bound on |predict(x) - f(x)|, the rounding error of the f64 evaluation against
   * the exact function the model's parameters define (docs/science.md section 3, "Rounding"). Secants
   * subtract it, so a certified secant is a lower bound even where the evaluation cancels.
   */
  evaluationError(X: Float64Array, m: number): Float64Array;
  /**
   * grad f(x) for each row of X, as an m x d matrix. Where f is not differentiable (ReLU kinks, bump
   * centres) it returns an element of the generalised gradient where one is known, else a one-sided one.
   */
  gradient(X: Float64Array, m: number): Float64Array;
  /**
   * The exact Lipschitz constant over D where the class knows it (docs/science.md section 3), else null.
   * It is both a lower and an upper bound.
   */
  exactLipschitz(D: Domain): LipEstimate | null;
  /** A certified upper bound on Lip(f) over D, or null where the class has none there. */
  upperLipschitz(D: Domain, rng: Rng): LipEstimate | null;
  /**
   * f as a network of dense layers with one activation between them (weights out x in, row-major, exactly the
   * fitted numbers), where the class is one (random features, two-layer nets): what `fit --save` writes.
   */
  network?(): { readonly layers: readonly { readonly weights: Float64Array; readonly biases: Float64Array; readonly inputs: number; readonly outputs: number }[]; readonly activation: string };
  /**
   * The model's parameters as the independent checker reads them from a certificate file (docs/science.md
   * section 11): exactly the fitted f64 numbers that define f, in the class's checkable form
   * ({@link CheckableModel}); absent where the checker has no evaluator for the class.
   */
  checkable?(): CheckableModel;
  /**
   * A certified lower bound on Lip(f) over D that the class computed alongside its upper bound's certificate
   * (relu networks: the `relu-region` bound of the branch and bound, docs/science.md section 9.6, "Lower
   * bound"), or null. Classes cache it per domain object, so calling it after `upperLipschitz(D)` with the
   * same D costs nothing more; the estimator considers it like any other lower bound.
   */
  lowerLipschitz?(D: Domain): LipEstimate | null;
  /**
   * A certified upper bound on E ||grad f(x)|| for x uniform on the unit sphere, where the class has one
   * (bumps; see src/models/bumps.ts). The average is a statistic of f, not a bound on Lip(f).
   */
  averageGradientUpperOnSphere?(): number | null;
  /**
   * The model's weights held on an accelerated backend for the estimators' f32 search, where the class
   * has a resident kernel there (null otherwise: the search then runs on the f64 reference). f32 may
   * search, never certify: every reported bound is re-evaluated by `gradient` in f64.
   */
  searchGradient?(kernels: ResidentKernels): ResidentGradient | null;
}

/**
 * A fitted function as the independent checker (src/check/) evaluates it: the definitions of docs/science.md
 * section 4 with their numbers. `network`: f(x) = W_D s(... s(W_1 x + b_1) ...) + b_D (weights out x in,
 * row-major); `linear`: w . x + b; `ntk-features`: scale sum_j s'(w_j . x) (theta_j . x) (W, Theta k x d);
 * `gaussian-kernel`: sum_i alpha_i exp(-||x - c_i||^2 / (2 s^2)); `bumps`: sum_i h_i g(||x - c_i|| / r); `polynomial`:
 * sum_i alpha_i sum_{t <= q} (x . c_i)^t (kernel form) or sum_a theta_a sqrt(|a|! / prod a_i!) x^a over the
 * monomials of degree <= q as sorted variable-index tuples in depth-first order (monomials).
 */
export type CheckableModel =
  | { readonly kind: 'network'; readonly activation: string; readonly activations?: readonly string[]; readonly layers: readonly { readonly weights: Float64Array; readonly biases: Float64Array; readonly inputs: number; readonly outputs: number }[] }
  | { readonly kind: 'linear'; readonly w: Float64Array; readonly b: number }
  | { readonly kind: 'ntk-features'; readonly activation: string; readonly k: number; readonly d: number; readonly W: Float64Array; readonly Theta: Float64Array; readonly scale: number }
  | { readonly kind: 'gaussian-kernel'; readonly d: number; readonly centres: Float64Array; readonly alpha: Float64Array; readonly bandwidth: number }
  | { readonly kind: 'bumps'; readonly d: number; readonly centres: Float64Array; readonly heights: Float64Array; readonly r: number; readonly profile: string }
  | { readonly kind: 'polynomial'; readonly form: 'kernel'; readonly d: number; readonly q: number; readonly centres: Float64Array; readonly coefficients: Float64Array }
  | { readonly kind: 'polynomial'; readonly form: 'monomials'; readonly d: number; readonly q: number; readonly coefficients: Float64Array };

/** What fitting a model to (X, y) produced. */
export interface FitResult<M extends Model = Model> {
  readonly model: M;
  /** (1/n) sum (f(x_i) - y_i)^2. */
  readonly trainMse: number;
  /** f(x_i) at the training points, by the model's own f64 `predict` (reused by the data floor). */
  readonly predictions: Float64Array;
  /** Relative residual ||f(X) - y|| / ||y||. */
  readonly relResidual: number;
  /** Exact noise level of the label model. */
  readonly sigma2: number;
  /** eps = sigma^2 - trainMse (the fit margin; <= 0 means the premise fails). */
  readonly eps: number;
  /** Condition number of the linear system solved (1 where none was solved, NaN for iterative fits). */
  readonly condition: number;
  /** Diagonal jitter added for a stable factorisation (0 if none). */
  readonly jitter: number;
  /** Whether the fit interpolates (relative residual <= 1e-6). */
  readonly interpolates: boolean;
  /** Wall time of the fit, seconds. */
  readonly seconds: number;
  /** Things the user must know (ill-posed fits, jitter, budget exhausted). */
  readonly warnings: readonly string[];
  /** Method-specific details (iterations for two-layer, solver method, ...). */
  readonly details: Readonly<Record<string, number | string | boolean>>;
}

/**
 * Radius of the input ball a fitted model's domain bounds refer to: max(1, max_i ||x_i||) enlarged by
 * 3 gamma_d (gamma_d = (d + 4) u, the rounding of a computed norm), so that every data point lies in the
 * ball with room for rounding: the domain test `contains` accepts it (docs/science.md section 3, "Witnesses inside
 * the domain").
 */
export function dataRadius(X: Float64Array, n: number, d: number): number {
  let r = 1;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j] ** 2;
    r = Math.max(r, Math.sqrt(s));
  }
  return r * (1 + 3 * normRoundoff(d));
}
