import type { Distribution, DistributionName } from '../data/distribution.js';
import type { ActivationName } from '../activations/activation.js';
import type { FitContext } from './fit-context.js';
import type { FitResult, ModelClass } from './model.js';
import type { ModelOptionKey, ModelOptions } from './model-options.js';

/** The data a class is fitted to: n x d covariates (row-major), n labels, and the law they came from. */
export interface FitData {
  readonly X: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly y: Float64Array;
  /** The data law: a class may know it (the regime classes use its subspace or its atoms). */
  readonly dist: Distribution;
}

/** What a parameter count may depend on: the sizes, the options, and the data law's structure. */
export interface ClassSize {
  readonly n: number;
  readonly d: number;
  readonly options: ModelOptions;
  /** The data law's intrinsic dimension and mixture components (needed by the regime classes only). */
  readonly dist?: Pick<Distribution, 'intrinsicDim' | 'components'>;
}

/** Classes whose size is set by a width k (features or hidden units). */
export interface WidthRule {
  /** The smallest width the class accepts. */
  readonly min: number;
  /** The default width for n points in dimension d. */
  defaultWidth(n: number, d: number): number;
  /** The width whose parameter count is closest to p (at least `min`). */
  forParameters(p: number, d: number): number;
}

/**
 * Everything the harness knows about one function class, in the class's own module: its name, what it
 * reads, how many parameters it has and how it is fitted. What a fitted model knows about its Lipschitz
 * constant (exact value, certified upper bound) is on the {@link Model} it returns. The registry
 * (src/models/registry.ts) maps each name to its class; nothing else branches on a class name.
 * docs/adding-a-class.md shows how to add one.
 */
export interface FunctionClass {
  readonly name: ModelClass;
  /** One line for help texts: what the class is. */
  readonly summary: string;
  /** The model options the class reads (the others are refused where a user sets them). */
  readonly reads: readonly ModelOptionKey[];
  /** Present for classes sized by a width k. */
  readonly width?: WidthRule;
  /** Activations the class accepts (when it reads `activation`). */
  readonly activations?: readonly ActivationName[];
  /** Data laws the class needs (the regime classes are built from the law's structure). */
  readonly dists?: readonly DistributionName[];
  /** Relative cost of a fit per n p, for budgeting generated instances (default 1; iterative fits more). */
  readonly workFactor?: number;
  /**
   * The f64 entries the fit allocates beyond the data, where the generic estimate (an n x p feature map and
   * its Gram matrix) does not describe the class (src/law/size-limits.ts): kernel classes hold n x n
   * matrices, bumps only their centres.
   */
  readonly workingFloats?: (size: ClassSize) => number;
  /** The parameter count p, as docs/science.md section 4 counts it, before fitting. */
  parameterCount(size: ClassSize): number;
  /** Fits the class to data; absent for classes that are loaded, not fitted (mlp). */
  readonly fit?: (data: FitData, options: ModelOptions, ctx: FitContext) => FitResult;
  /**
   * The activations with which a fitted model is a network a file format holds (`fit --save`: robustlaw-mlp/1,
   * relu or tanh; its models then have {@link Model.network}); absent: never.
   */
  readonly savedWith?: readonly ActivationName[];
}
