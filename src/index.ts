/**
 * robustlaw: the public API. Everything a user or another tool may import is re-exported here; files
 * not listed are internal.
 * @module
 */
// core
export { Rng, MAX_SEED } from './core/rng.js';
export { Streams, deriveSeed, STREAM_NAMES, type StreamName } from './core/streams.js';
// data
export { DISTRIBUTION_NAMES, type Distribution, type DistributionName, type Isoperimetry } from './data/distribution.js';
export { gaussian } from './data/gaussian.js';
export { sphere, drawSpherePoint } from './data/sphere.js';
export { hypercube } from './data/hypercube.js';
export { mixture, type MixtureOptions } from './data/mixture.js';
export { subspace, type SubspaceOptions } from './data/subspace.js';
export { clusters, type ClustersOptions } from './data/clusters.js';
export { makeDistribution, type DistributionOptions } from './data/make-distribution.js';
export { isoperimetryTailCheck, type TailCheckRow } from './data/isoperimetry-check.js';
// labels
export { LABEL_NAMES, type LabelModel, type LabelName } from './labels/label-model.js';
export { clippedLinearTeacher, type Teacher, type TeacherOptions } from './labels/teacher.js';
export { signs } from './labels/signs.js';
export { flips } from './labels/flips.js';
export { additive, ADDITIVE_NOISES } from './labels/additive.js';
export { noiseless } from './labels/noiseless.js';
export { makeLabels, type LabelOptions } from './labels/make-labels.js';
// law
export { NEURIPS_2021, CONSTANT_SETS, type LawConstants } from './law/constants.js';
export { theorem3, minSamplesForKCondition, type Theorem3Input, type Theorem3Result, type FailedAssumption } from './law/theorem3.js';
export { theorem2, type Theorem2Input, type Theorem2Result } from './law/theorem2.js';
export { informalLaw, parametersNeeded, lawRatio } from './law/informal.js';
export { realDataTable, PAPER_DATASETS, type RealDataRow, type RealDataset } from './law/real-data.js';
