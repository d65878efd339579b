import { requireOneOf } from '../core/validate.js';
import type { ActivationName } from './activation.js';
import { fitBumps, minPairwiseDistance, type BumpProfile } from './bumps.js';
import type { FitContext } from './fit-context.js';
import { fitGaussianKernel } from './gaussian-kernel.js';
import { fitLinear } from './linear.js';
import { MODEL_CLASSES, type FitResult, type ModelClass } from './model.js';
import { fitNtkFeatures } from './ntk-features.js';
import { fitPolynomial } from './polynomial.js';
import { fitRandomFeatures } from './random-features.js';
import { fitTwoLayer, TWO_LAYER_ACTIVATIONS } from './two-layer.js';

/** Class options accepted by {@link fitModel} (each class reads its own; see the class's fit function). */
export interface ModelOptions {
  readonly k?: number;
  readonly activation?: ActivationName;
  readonly ridge?: number;
  readonly degree?: number;
  readonly bandwidth?: number;
  readonly profile?: BumpProfile;
  readonly penalty?: number;
  readonly targetMse?: number;
  readonly maxIter?: number;
  readonly lr?: number;
  /** bumps: radius as a fraction of half the minimum pairwise distance (default 1). */
  readonly radiusFactor?: number;
}

/** Fits a built-in class by name to (X, y). `mlp` is loaded from a file, not fitted. */
export function fitModel(className: ModelClass, X: Float64Array, n: number, d: number, y: Float64Array, o: ModelOptions, ctx: FitContext): FitResult {
  requireOneOf('fitModel', 'class', className, MODEL_CLASSES);
  switch (className) {
    case 'linear':
      return fitLinear(X, n, d, y, { ridge: o.ridge }, ctx);
    case 'random-features':
      return fitRandomFeatures(X, n, d, y, { k: o.k, activation: o.activation, ridge: o.ridge }, ctx);
    case 'ntk-features':
      return fitNtkFeatures(X, n, d, y, { k: o.k, activation: o.activation, ridge: o.ridge }, ctx);
    case 'two-layer': {
      const activation = o.activation === undefined ? undefined : requireOneOf('fitTwoLayer', 'activation', o.activation, TWO_LAYER_ACTIVATIONS);
      return fitTwoLayer(X, n, d, y, { k: o.k, activation, penalty: o.penalty, targetMse: o.targetMse, maxIter: o.maxIter, lr: o.lr }, ctx);
    }
    case 'bumps':
      return fitBumps(X, n, d, y, { profile: o.profile, radius: o.radiusFactor === undefined ? undefined : (o.radiusFactor * minPairwiseDistance(X, n, d)) / 2 }, ctx);
    case 'gaussian-kernel':
      return fitGaussianKernel(X, n, d, y, { bandwidth: o.bandwidth, ridge: o.ridge }, ctx);
    case 'polynomial':
      return fitPolynomial(X, n, d, y, { degree: o.degree, ridge: o.ridge }, ctx);
    case 'mlp':
      throw new RangeError('fitModel: class mlp is not fitted; load a network with parseMlp (CLI: --model file.json)');
  }
}
