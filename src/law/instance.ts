import { Streams } from '../core/streams.js';
import { MAX_SEED } from '../core/rng.js';
import { requireInt } from '../core/validate.js';
import type { Distribution, DistributionName } from '../data/distribution.js';
import { makeDistribution, type DistributionOptions } from '../data/make-distribution.js';
import type { LabelModel, LabelName } from '../labels/label-model.js';
import { makeLabels, type LabelOptions } from '../labels/make-labels.js';
import { fitModel, type ModelOptions } from '../models/fit-model.js';
import type { FitResult, ModelClass } from '../models/model.js';
import { fitIntrinsicBumps } from '../models/intrinsic-bumps.js';
import { fitAtomBumps } from '../models/atom-bumps.js';

/** Classes of the counterexample regimes (docs/science.md section 5), built from the distribution's structure. */
export const REGIME_CLASSES = ['intrinsic-bumps', 'atom-bumps'] as const;
/** A regime class name. */
export type RegimeClass = (typeof REGIME_CLASSES)[number];

/** Everything that defines one experiment: data law, labels, class, sizes and the seed. */
export interface InstanceSpec {
  readonly dist: DistributionName;
  readonly labels: LabelName;
  /** A built-in class, or a regime class that needs the distribution's structure: `intrinsic-bumps`
   * (bumps in the coordinates of a `subspace` distribution's basis), `atom-bumps` (bumps at the atoms of a
   * `clusters` or `mixture` distribution, heights trained). */
  readonly className: ModelClass | RegimeClass;
  readonly n: number;
  readonly d: number;
  readonly seed: number;
  readonly distOptions?: DistributionOptions;
  readonly labelOptions?: LabelOptions;
  readonly modelOptions?: ModelOptions;
}

/** A drawn and fitted instance. */
export interface Instance {
  readonly spec: InstanceSpec;
  readonly dist: Distribution;
  readonly labels: LabelModel;
  /** n x d covariates, row-major. */
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly fit: FitResult;
  readonly streams: Streams;
}

/** Draws the data and labels of `spec` from its seed's sub-streams, then fits the class. */
export function buildInstance(spec: InstanceSpec): Instance {
  const n = requireInt('buildInstance', 'n', spec.n, 1);
  const d = requireInt('buildInstance', 'd', spec.d, 1);
  requireInt('buildInstance', 'seed', spec.seed, 0, MAX_SEED);
  const streams = new Streams(spec.seed);
  const dist = makeDistribution(spec.dist, d, spec.distOptions ?? {}, streams);
  const labels = makeLabels(spec.labels, d, spec.labelOptions ?? {}, streams);
  const X = dist.sample(n, streams.stream('data'));
  const y = labels.sample(X, n, d, streams.stream('noise'));
  const ctx = { init: streams.stream('init'), solver: streams.stream('solver'), sigma2: labels.sigma2 };
  const profile = spec.modelOptions?.profile ?? 'hat';
  let fit: FitResult;
  if (spec.className === 'intrinsic-bumps') {
    if (!dist.basis) throw new RangeError(`buildInstance: class intrinsic-bumps needs --dist subspace (got ${spec.dist})`);
    fit = fitIntrinsicBumps(X, n, d, y, dist.basis, dist.intrinsicDim, profile, ctx);
  } else if (spec.className === 'atom-bumps') {
    if (!dist.centres) throw new RangeError(`buildInstance: class atom-bumps needs --dist clusters or mixture (got ${spec.dist})`);
    fit = fitAtomBumps(X, n, d, y, dist.centres, dist.components, profile, ctx);
  } else {
    fit = fitModel(spec.className, X, n, d, y, spec.modelOptions ?? {}, ctx);
  }
  return { spec, dist, labels, X, y, fit, streams };
}
