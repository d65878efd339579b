/**
 * robustlaw: the public API. Everything a user or another tool may import is re-exported here; files
 * not listed are internal.
 * @module
 */
// core
export { Rng, MAX_SEED } from './core/rng.js';
export { packageRoot, installedAsDependency, tfjsNodeSetupCommand } from './core/package-root.js';
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
export { effectiveDimension, FAR_BELOW_FACTOR, type EffectiveDimension } from './data/effective-dimension/effective-dimension.js';
export { covarianceSpectrum } from './data/effective-dimension/covariance-spectrum.js';
export { pcaDimension } from './data/effective-dimension/pca-dimension.js';
export { participationRatio } from './data/effective-dimension/participation-ratio.js';
export { twoNN, type TwoNNEstimate } from './data/effective-dimension/two-nn.js';
export { empiricalLaw, EMPIRICAL_LAW_NAME } from './data/empirical-law.js';
export { parseDigitsCsv, normaliseImages, digitLabels, DIGITS_N, DIGITS_D, type Digits } from './data/digits.js';
export { bothLaws, type BothLaws, type LawAtDimension } from './law/effective-law.js';
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
export { verdict, LAW_TOLERANCE, type Verdict, type VerdictInput, type VerdictKind, type ThresholdVerdict } from './law/verdict.js';
export { buildInstance, type Instance, type InstanceSpec } from './law/instance.js';
export { evaluateInstance, evaluateBuilt, type EvaluateOptions, type InstanceReport } from './law/evaluate.js';
export { labelVariance } from './law/label-variance.js';
export { REGIMES, REGIME_NAMES, MIN_EPS, K_SCALE, inLawRegime, runRegimeInstance, regimeEffort, regimeInstanceId, type Regime, type RegimeName, type RegimeParams, type RegimeOutcome } from './search/regimes.js';
export { searchRegime, type SearchOptions, type SearchResult } from './search/search.js';
export { counterexampleFile, type CounterexampleFile } from './search/counterexample-file.js';
export { runFamily, familyFalls, familySentence, MIN_FAMILY_POINTS, MAX_START_DOUBLINGS, type FamilyResult, type FamilyPoint, type FamilyOptions } from './search/regime-family.js';
export { searchPremise, PREMISE_MIN_N, type Premise, type PremiseItem } from './law/law-regime.js';
export { doublings, type RegimeFamily, type RegimeMode } from './search/regimes.js';
export { inRegimeInstance, BUDGETS, pRegime, expectedParameterCount, type InstanceBudget } from './law/instance-arbitrary.js';
export { verifyRun, verifyPoints, verifyCount, VERIFY_EFFORT, type VerifyOptions, type VerifyResult } from './sweep/verify-run.js';
// models
export { MODEL_CLASSES, dataRadius, type Model, type ModelClass, type FitResult } from './models/model.js';
export { ACTIVATIONS, ALL_ACTIVATIONS, ACTIVATION, isActivation, type Activation, type ActivationName, type AnyActivation } from './activations/activation.js';
export type { FitContext } from './models/fit-context.js';
export type { ModelOptions, ModelOptionKey } from './models/model-options.js';
export type { FunctionClass, FitData, ClassSize, WidthRule } from './models/function-class.js';
export { CLASSES, FITTED_CLASSES, REGIME_CLASSES, WIDTH_CLASSES, functionClass, parameterCount, optionsFor, fitClass } from './models/registry.js';
export { LINEAR, fitLinear, linearModel, linearParameterCount, type LinearModel, type LinearOptions } from './models/linear.js';
export { RANDOM_FEATURES, fitRandomFeatures, twoLayerModel, randomFeaturesParameterCount, twoLayerParameterCount, type RandomFeaturesOptions, type TwoLayerModel } from './models/random-features.js';
export { NTK_FEATURES, fitNtkFeatures, ntkModel, ntkParameterCount, type NtkFeaturesOptions, type NtkModel, type NtkWeights } from './models/ntk-features.js';
export { TWO_LAYER, fitTwoLayer, TWO_LAYER_ACTIVATIONS, type TwoLayerOptions } from './models/two-layer.js';
export type { TwoLayerWeights } from './models/two-layer-net.js';
export { BUMPS, fitBumps, bumpsModel, bumpsParameterCount, disjointRadius, averageGradientUpper, minPairwiseDistance, PROFILE, type BumpsModel, type BumpsOptions } from './models/bumps.js';
export { BUMP_PROFILES, type BumpProfile } from './models/bump-profile.js';
export { GAUSSIAN_KERNEL, fitGaussianKernel, gaussianKernelModel, type GaussianKernelModel, type GaussianKernelOptions } from './models/gaussian-kernel.js';
export { POLYNOMIAL, fitPolynomial, polynomialParameterCount, monomials, certifiedKernelNorm, type PolynomialModel, type PolynomialOptions } from './models/polynomial.js';
export { MLP, parseMlp, parseMlpNetwork, MLP_ACTIVATIONS } from './models/formats/robustlaw-mlp.js';
export { mlpModel, mlpNetwork, mlpParameterCount, type MlpModel, type MlpNetwork, type DenseLayer } from './models/mlp.js';
export { NETWORK_ACTIVATIONS, activationSlope, isNetworkActivation, networkActivation, type NetworkActivation } from './models/network-activations.js';
export { activationNamed, elu, leakyRelu, type EluName, type LeakyReluName } from './activations/family.js';
export { readNetworkFile, sniffNetworkFormat, NETWORK_FORMATS } from './models/formats/read-network.js';
export { parseTfjsLayersModel, TFJS_LAYERS } from './models/formats/tfjs-layers.js';
export { parseOnnx, encodeOnnx, ONNX_OPS } from './models/formats/onnx.js';
export { vectorLipschitz, type VectorLipschitzReport } from './estimators/vector-lipschitz.js';
export { classifierMargin, type MarginTask } from './law/classifier-margin.js';
export { INTRINSIC_BUMPS, fitIntrinsicBumps } from './models/intrinsic-bumps.js';
export { ATOM_BUMPS, fitAtomBumps } from './models/atom-bumps.js';
// Lipschitz estimators
export type { LipEstimate, Witness } from './lipschitz/estimate.js';
export { ball, domainName, project, withinBall, DOMAIN_KINDS, type Domain } from './lipschitz/domain.js';
export { dataFloor } from './estimators/data-floor.js';
export { sampledGradients } from './estimators/sampled-gradients.js';
export { secant, refineWithSecant } from './estimators/secant.js';
export { gradientAscent, type AscentOptions, type AscentResult } from './estimators/gradient-ascent.js';
export { exactEstimate, upperEstimate, UNIT_ROUNDOFF } from './lipschitz/certificate.js';
export { certainInterval } from './lipschitz/estimate.js';
export { InconsistentBoundsError, requireOrderedBounds } from './lipschitz/bound-order.js';
export { twoLayerExact, twoLayerUpper, relu1d } from './models/two-layer-lipschitz.js';
export { averageGradientNorm } from './estimators/average-gradient.js';
export { lipschitz, type LipschitzOptions, type LipschitzReport } from './estimators/lipschitz.js';
export { lipSdpUpper, lipSdpDeepUpper, LIPSDP_NEURON, type OneHiddenLayerNet, type LipSdpOptions, type LipSdpResult } from './lipschitz/sdp/lipsdp-neuron.js';
export { verifyLipSdp, type LipSdpCertificate, type LipSdpVerdict } from './lipschitz/sdp/verify-certificate.js';
export { reluExactLipschitz, RELU_EXACT_MAX_UNITS, type ReluExactOptions, type ReluExactStats } from './lipschitz/relu-exact.js';
export { reluBranchAndBound, LIPSDP_BNB, type ReluBnbOptions, type ReluBnbResult, type ReluBnbStats } from './lipschitz/sdp/relu-branch-and-bound.js';
export { referenceSearch, residentSearch, certifyTop, type GradientSearch } from './estimators/gradient-search.js';
// linear algebra
export { spectralNorm, type SpectralNorm } from './linalg/spectral-norm.js';
export { choleskyWithJitter, choleskySolve, choleskyFactor, forwardSubstitute, backSubstitute, transposedFactor } from './linalg/cholesky.js';
export { solveKernel, leastSquares, type LeastSquaresResult } from './linalg/min-norm.js';
// backends and benchmarks
export type { ResidentGradient, ResidentKernels } from './backends/resident.js';
export { SEARCH_BACKENDS, AUTO_MIN_WEIGHTS, openSearchBackend, type SearchBackend, type SearchBackendName } from './backends/search-backend.js';
export { KERNELS, KERNEL_ACTIVATIONS, type Backend, type KernelName, type KernelActivation, type SecantResult } from './backends/backend.js';
export { cpuBackend } from './backends/cpu.js';
export { BACKEND_NAMES, createBackend, detectBackends, autoBackend, type BackendName, type BackendStatus } from './backends/registry.js';
export { compareBench, type BenchRecord, type CompareRow } from './bench/compare.js';
export { runBench, type BenchResult, type BenchRow, type RunBenchOptions } from './bench/run-bench.js';
export { HISTORY_FORMAT, historyEntry, readHistory, appendHistory, historyTrend, type HistoryEntry, type Trend, type TrendPoint, type Regression } from './bench/history.js';
export { writeBenchHistoryReport, historyCustomSmallerIsBetter } from './report/write-bench-history.js';
// law-aware checks behind robustlaw/vitest (docs/package.md)
export { lawCheck, lipschitzAboveCheck, describeWitness, type LawCheckOptions, type LipschitzAboveOptions, type CheckOutcome, type LawCheckOutcome } from './testing/law-checks.js';
// sweeps, shards and merges
export { SWEEP_CLASSES, SWEEP_LIMITS, sweepSpecSchema, parseSweepSpec, loadSweepSpec, canonicalJson, type SweepSpec } from './sweep/spec.js';
export { DEFAULT_SWEEP_SPEC, defaultSweepSpec } from './sweep/default-spec.js';
export { seedsOf, expandGrid, type GridPoint } from './sweep/grid.js';
export { WHOLE, MAX_SHARD_COUNT, parseShard, inShard, type Shard } from './sweep/shard.js';
export { SHARD_COUNT_VAR, shardFromEnv, type EnvShard, type Environment } from './sweep/shard-env.js';
export { checkShardCount } from './sweep/shard-count.js';
export { RECORD_FORMAT, toRecord, withoutTiming, isCounterexampleRecord, smallestR, classLabel, type SweepRecord, type RecordSource, type RecordSpecBase } from './law/record.js';
export { checkRunDir, openRunDir, ownedFiles, type RunDir, type RunDirOptions } from './sweep/run-dir.js';
export { LOCK_FILE, checkOutDir, acquireLock, type LockInfo } from './core/output-lock.js';
export { requireInstanceFits, estimateInstanceMemory, memoryLimit, type MemoryEstimate } from './law/size-limits.js';
export { runInstances, runInstance, f64KernelName, type EstimatorEffort, type Experiment, type RunInstancesOptions, type RunOutcome } from './sweep/runner.js';
export { readResults, repairResults, appendRecord, type ResultsRead } from './sweep/results-file.js';
export { MANIFEST_FORMAT, readManifest, sameExperiment, type SweepManifest } from './sweep/manifest.js';
export { RUN_FILES, runSweep, shardPoints, sweepEvaluateOptions, type RunSweepOptions, type SweepOutcome } from './sweep/run-sweep.js';
export { mergeRuns, requireComplete, type MergeOutcome, type MergeOptions, type MergeInput } from './sweep/merge.js';
// reports
export { logLogSlope, tQuantile975, type SlopeFit } from './law/slope.js';
export { summarize, groupOf, median, type Summary, type ClassSummary, type SlopeSummary } from './report/summary.js';
export { LIP_SERIES, lipschitzRows, lipschitzPlot, lawScatterPlot, ratioPlot, slopesPlot, benchPlot } from './report/plot-specs.js';
export { renderSvg, compileVega, normaliseIds } from './report/render-svg.js';
export { reportSections, toMarkdown, toHtml, type ReportSection } from './report/run-report.js';
export { writeReport, defaultBenchFile, type WriteReportOptions } from './report/write-report.js';
// the interactive report page (issue 16): reusable by any report that shows vega-lite plots and tables
export { figureHtml, tableHtml, interactivePage, escapeHtml, type PageFigure, type PageTable, type RowLink } from './report/interactive-page.js';
export { vegaRuntime } from './report/vega-runtime.js';
export { replayCommand, type ReplayEffort } from './report/replay-command.js';
export { INSTANCE_TOOLTIP, CELL_TOOLTIP, instanceDetails, tooltipEncoding, type ReplayFn } from './report/point-details.js';
export { attentionRank, type ReportPlot } from './report/run-report.js';
export { runEffort } from './report/write-report.js';
export { writeFileAtomic } from './core/atomic-write.js';
export { readStructuredFile } from './core/read-file.js';
// checking a user's model
export { checkModel, type CheckModelInput, type CheckModelReport, type NoiseSource, type CheckedModelSpec } from './law/check-model.js';
export { parseDataFile, type DataSet } from './data/data-file.js';
export { readDataFile, parseCsvData, parseNpyData, rescaleLabels, DATA_FORMATS } from './data/read-data.js';
export { parseNpy, npyBytes, type NpyArray } from './data/npy.js';
// the WebAssembly f64 kernel
export { matmulABt, matmulABtJs, matmulAAtUpper, matmulAB, transpose } from './linalg/matmul.js';
export { gram } from './linalg/gram.js';
export { wasmKernelActive, useWasmKernel } from './linalg/wasm-abt.js';
export { f64Threads, f64ThreadStats, THREADED_MIN_WORK, type F64ThreadStats } from './linalg/abt-threads.js';
export { probeF64Threads, type F64ThreadsStatus } from './linalg/f64-threads-status.js';
