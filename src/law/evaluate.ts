import { buildInstance, type Instance, type InstanceSpec } from './instance.js';
import type { ResidentKernels } from '../backends/resident.js';
import { lipschitz, type LipschitzReport } from '../estimators/lipschitz.js';
import { certainInterval } from '../lipschitz/estimate.js';
import { ball } from '../lipschitz/domain.js';
import { informalLaw } from './informal.js';
import { labelVariance } from './label-variance.js';
import { theorem3 } from './theorem3.js';
import { LAW_TOLERANCE, verdict, type Verdict } from './verdict.js';
import type { RecordCertificate } from './record-certificate.js';

/** Estimator effort for {@link evaluateInstance}. */
export interface EvaluateOptions {
  readonly starts?: number;
  readonly steps?: number;
  readonly rounds?: number;
  /** Optional wall-time budget of the estimator, seconds (default none: fixed effort, so a report depends on its spec alone). */
  readonly timeLimit?: number;
  /** Fresh draws for the average-gradient statistic (default 0). */
  readonly fresh?: number;
  /** Compute the O(n^2 d) data floor (default true). */
  readonly dataFloor?: boolean;
  /** Run gradient ascent even when an exact value is known (default false). */
  readonly alwaysAscend?: boolean;
  readonly tau?: number;
  /** An accelerated backend for the estimators' search (f32 ranks and steers, f64 certifies); default: f64 on the cpu. */
  readonly backend?: ResidentKernels;
  /** Keep what the bounds rest on ({@link InstanceReport.certificate}) for the independent checker (default false). */
  readonly certificates?: boolean;
}

/** Everything a run reports about one instance. */
export interface InstanceReport {
  readonly spec: InstanceSpec;
  readonly p: number;
  /** Theorem 3's parameter diameter W and parametrisation Lipschitz constant J for the fitted model. */
  readonly W: number;
  readonly J: number;
  readonly trainMse: number;
  /** Mixture components k of the data law. */
  readonly components: number;
  /** Exact sigma^2 of the label model. */
  readonly sigma2: number;
  /** Fit margin used by the law: sigma^2 - MSE, or Var(y) - MSE "as if the labels were noise" for noiseless labels (docs/science.md section 5.1). */
  readonly eps: number;
  readonly epsSource: 'sigma2' | 'label-variance';
  readonly lower: number;
  readonly upper: number | null;
  readonly exact: number | null;
  /** upper / lower. */
  readonly ratio: number | null;
  readonly dataFloor: number | null;
  /** Average gradient norm (a statistic, not a bound), when fresh draws were requested. */
  readonly average: number | null;
  /** Certified upper bound on E||grad f|| under the sphere (classes that have one, on sphere data; Model.averageGradientUpperOnSphere). */
  readonly averageUpper: number | null;
  /** The law eps sqrt(n d / p). */
  readonly law: number | null;
  /** Theorem 3's formula evaluated at this instance (eps' = min(eps, 1 - 1e-9)) whether or not its
   * assumptions hold: for plots only; the claim is `verdict.theorem3`. Null when eps <= 0. */
  readonly theorem3Formula: number | null;
  /** R = lower / law and R_upper = upper / law. */
  readonly R: number | null;
  readonly Rupper: number | null;
  readonly verdict: Verdict;
  readonly lowerMethod: string;
  readonly upperMethod: string | null;
  readonly fitSeconds: number;
  readonly lipSeconds: number;
  readonly warnings: readonly string[];
  /** Where the estimators' search ran (backend, what ran, precision); certificates are f64 regardless. */
  readonly search: LipschitzReport['search'];
  /** What the bounds rest on, for `robustlaw check` (with {@link EvaluateOptions.certificates}). */
  readonly certificate?: RecordCertificate;
}

/** The best certified lower bound of a report: the exact value where known, else the best witness. */
function lowerOf(L: LipschitzReport): number {
  return Math.max(L.lower.value, L.exact ? certainInterval(L.exact).lo : 0);
}

/** Fits, bounds and judges one instance (the verdict's `inconclusive` case gets a second, larger effort). */
export function evaluateInstance(spec: InstanceSpec, options: EvaluateOptions = {}): InstanceReport {
  const inst = buildInstance(spec);
  return evaluateBuilt(inst, options);
}

/** {@link evaluateInstance} on an already built instance. */
export function evaluateBuilt(inst: Instance, options: EvaluateOptions = {}): InstanceReport {
  const { spec, fit } = inst;
  const { n, d } = spec;
  const model = fit.model;
  const t0 = performance.now();
  const fresh = options.fresh && options.fresh > 0 ? inst.dist.sample(options.fresh, inst.streams.stream('estimator/fresh')) : undefined;
  // Where the class has an exact Lipschitz constant it is itself the best certified lower bound, and the
  // O(n^2 d) passes over the data (data floor, gradients at the data) are skipped unless asked for.
  const exactKnown = model.exactLipschitz(ball(model.radius)) !== null && !options.alwaysAscend;
  const run = (effort: number): LipschitzReport =>
    lipschitz(model, {
      X: exactKnown && options.dataFloor !== true ? undefined : inst.X,
      n,
      fX: inst.fit.predictions,
      dataFloor: options.dataFloor,
      fresh,
      freshCount: options.fresh,
      rng: inst.streams.stream(`estimator/${effort}`),
      starts: (options.starts ?? 8) * effort,
      steps: options.steps ?? 60,
      rounds: options.rounds ?? 1,
      timeLimit: options.timeLimit === undefined ? undefined : options.timeLimit * effort,
      targetRatio: options.alwaysAscend ? 1e-12 : 1.01,
      backend: options.backend,
    });
  let lip = run(1);
  let epsSource: 'sigma2' | 'label-variance' = 'sigma2';
  let eps = fit.eps;
  if (!(fit.sigma2 > 0)) {
    eps = labelVariance(inst.y) - fit.trainMse;
    epsSource = 'label-variance';
  }
  const judge = (L: LipschitzReport) =>
    verdict({
      n,
      d,
      p: model.p,
      eps,
      sigma2: fit.sigma2,
      lower: lowerOf(L),
      upper: L.upper?.value ?? null,
      c: inst.dist.isoperimetry.c ?? 1,
      k: inst.dist.components,
      W: model.W,
      J: model.J,
      tau: options.tau ?? LAW_TOLERANCE,
    });
  let v = judge(lip);
  if (v.law.verdict === 'inconclusive' || v.theorem3.verdict === 'inconclusive') {
    lip = run(4);
    v = judge(lip);
  }
  const law = eps > 0 ? informalLaw(n, d, model.p, eps) : null;
  const upper = lip.upper && Number.isFinite(lip.upper.value) ? lip.upper.value : null;
  const avgUp = spec.dist === 'sphere' ? (model.averageGradientUpperOnSphere?.() ?? null) : null;
  return {
    spec,
    p: model.p,
    W: model.W,
    J: model.J,
    trainMse: fit.trainMse,
    components: inst.dist.components,
    sigma2: fit.sigma2,
    eps,
    epsSource,
    lower: lowerOf(lip),
    upper,
    exact: lip.exact ? lip.exact.value : null,
    ratio: upper !== null && lowerOf(lip) > 0 ? upper / lowerOf(lip) : null,
    dataFloor: lip.dataFloor ? lip.dataFloor.value : null,
    average: lip.average ? lip.average.value : null,
    averageUpper: avgUp,
    law,
    theorem3Formula:
      v.epsTheorem === null ? null : theorem3({ n, d, p: model.p, eps: v.epsTheorem, c: inst.dist.isoperimetry.c ?? 1, k: inst.dist.components, W: Math.max(model.W, 1e-300), J: Math.max(model.J, 1e-300) }).formula,
    R: law ? lowerOf(lip) / law : null,
    Rupper: law && upper !== null ? upper / law : null,
    verdict: v,
    lowerMethod: lip.exact && certainInterval(lip.exact).lo >= lip.lower.value ? `exact (${lip.exact.method})` : lip.lower.method,
    upperMethod: lip.upper?.method ?? null,
    fitSeconds: fit.seconds,
    lipSeconds: (performance.now() - t0) / 1000,
    warnings: fit.warnings,
    search: lip.search,
    ...(options.certificates
      ? {
          certificate: {
            model: model.checkable?.() ?? null,
            domain: { kind: 'ball', radius: model.radius },
            lower: lip.lower,
            upper: lip.upper,
            exact: lip.exact,
            data: { X: inst.X, y: inst.y },
            law: { n, d, p: model.p, eps, tau: options.tau ?? LAW_TOLERANCE, sigma2: fit.sigma2, epsSource },
          } satisfies RecordCertificate,
        }
      : {}),
  };
}
