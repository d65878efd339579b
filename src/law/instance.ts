import { Streams } from '../core/streams.js';
import { MAX_SEED } from '../core/rng.js';
import { requireInt } from '../core/validate.js';
import type { Distribution, DistributionName } from '../data/distribution.js';
import { makeDistribution, type DistributionOptions } from '../data/make-distribution.js';
import type { LabelModel, LabelName } from '../labels/label-model.js';
import { makeLabels, type LabelOptions } from '../labels/make-labels.js';
import type { FitResult, ModelClass } from '../models/model.js';
import type { ModelOptions } from '../models/model-options.js';
import { fitClass } from '../models/registry.js';
import { requireInstanceFits } from './size-limits.js';

/** Everything that defines one experiment: data law, labels, class, sizes and the seed. */
export interface InstanceSpec {
  readonly dist: DistributionName;
  readonly labels: LabelName;
  /** A fitted class (src/models/registry.ts); the regime classes also need the data law they are built
   * from: `intrinsic-bumps` a `subspace` law, `atom-bumps` a `clusters` or `mixture` law. */
  readonly className: ModelClass;
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

/** Draws the data and labels of `spec` from its seed's sub-streams, then fits the class. An instance whose
 * estimated memory exceeds the limit (./size-limits.ts) is refused before any array is allocated. */
export function buildInstance(spec: InstanceSpec): Instance {
  const n = requireInt('buildInstance', 'n', spec.n, 1);
  const d = requireInt('buildInstance', 'd', spec.d, 1);
  requireInt('buildInstance', 'seed', spec.seed, 0, MAX_SEED);
  requireInstanceFits('buildInstance', { className: spec.className, n, d, modelOptions: spec.modelOptions });
  const streams = new Streams(spec.seed);
  const dist = makeDistribution(spec.dist, d, spec.distOptions ?? {}, streams);
  const labels = makeLabels(spec.labels, d, spec.labelOptions ?? {}, streams);
  const X = dist.sample(n, streams.stream('data'));
  const y = labels.sample(X, n, d, streams.stream('noise'));
  const ctx = { init: streams.stream('init'), solver: streams.stream('solver'), sigma2: labels.sigma2 };
  const fit: FitResult = fitClass(spec.className, { X, n, d, y, dist }, spec.modelOptions ?? {}, ctx);
  return { spec, dist, labels, X, y, fit, streams };
}
