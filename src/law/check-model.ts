import { InputError } from '../core/input-error.js';
import type { Rng } from '../core/rng.js';
import { requireInt } from '../core/validate.js';
import { ball } from '../lipschitz/domain.js';
import { lipschitz } from '../estimators/lipschitz.js';
import { dataRadius, type Model } from '../models/model.js';
import { toRecord, type SweepRecord } from './record.js';
import { informalLaw, parametersNeeded } from './informal.js';
import { marginScale } from './margin-scale.js';
import { inLawRegime } from './law-regime.js';
import { theorem3 } from './theorem3.js';
import { LAW_TOLERANCE, verdict, type Verdict } from './verdict.js';
import { labelVariance } from './label-variance.js';
import { requireDataFits } from './size-limits.js';
import { effectiveDimension, type EffectiveDimension } from '../data/effective-dimension/effective-dimension.js';
import { bothLaws, type BothLaws } from './effective-law.js';
import type { ResidentKernels } from '../backends/resident.js';
import { certainInterval, type LipEstimate, type Witness } from '../lipschitz/estimate.js';

/** Where the noise level sigma^2 of a check came from. */
export type NoiseSource = 'label model' | 'given' | 'label variance';

/** Inputs of {@link checkModel}: a model, its training data and the noise level. */
export interface CheckModelInput {
  readonly model: Model;
  /** n x d covariates, row-major. */
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  /** sigma^2: known from the label model, given by the user, or (absent) the label variance. */
  readonly sigma2?: number;
  readonly sigma2Source?: NoiseSource;
  /** Isoperimetry constant c and mixture components k of the data law when known (default 1 and 1). */
  readonly c?: number;
  readonly k?: number;
  readonly rng: Rng;
  /** Fixed estimator effort (no time limit: the same input gives the same numbers on any machine). */
  readonly starts?: number;
  readonly steps?: number;
  /** An accelerated backend for the estimators' search (f32 ranks, f64 certifies); default: f64 on the cpu. */
  readonly backend?: ResidentKernels;
  readonly rounds?: number;
  /** How the record names the model and the data (default: the model's description, "given data"). */
  readonly source?: { readonly model: string; readonly data: string; readonly seed?: number };
  /** Sentences that come first in the report, e.g. which scalar of a classifier is judged (src/law/classifier-margin.ts). */
  readonly preface?: readonly string[];
  /**
   * Judge the model (a classifier's margin) through g = clip(f / m, -1, 1) at the scale m of the grid that
   * gives the law's strongest claim on Lip(f) in the law's regime ({@link marginScale}; docs/science.md
   * section 3, "A classifier's verdict"). Without it (and where no m fits in the regime) f itself is judged.
   */
  readonly clippedMargin?: boolean;
}

/** The `spec` of a check-model record: a user's model on its data (not an instance spec), as the caller names them. */
export interface CheckedModelSpec {
  readonly className: Model['className'];
  readonly model: string;
  readonly data: string;
  readonly n: number;
  readonly d: number;
  /** The seed of drawn data and of the estimator, when the caller gave one. */
  readonly seed: number | null;
}

/** What {@link checkModel} reports, numbers and the sentences a practitioner reads. */
export interface CheckModelReport {
  readonly n: number;
  readonly d: number;
  readonly p: number;
  readonly trainMse: number;
  readonly sigma2: number;
  readonly sigma2Source: NoiseSource;
  /** eps = sigma^2 - train MSE. */
  readonly eps: number;
  readonly domain: string;
  readonly lower: number;
  readonly upper: number | null;
  readonly ratio: number | null;
  readonly lowerMethod: string;
  /** The evidence of the certified lower bound (a point and its gradient norm, a secant pair, or the exact value's certificate). */
  readonly lowerWitness: Witness;
  readonly upperMethod: string | null;
  /** The estimates the bounds came from, with their witnesses and certificate data, and the data's ball (exact radius): for a certificate. */
  readonly estimates: { readonly lower: LipEstimate; readonly upper: LipEstimate | null; readonly exact: LipEstimate | null; readonly radius: number };
  /** The law eps sqrt(n d / p) (null when eps <= 0). */
  readonly law: number | null;
  readonly R: number | null;
  /** Parameters the law asks for to be 1-Lipschitz at this fit: eps^2 n d (null when eps <= 0). */
  readonly parametersForLip1: number | null;
  /** Parameters the law asks for to have Lip = the certified lower bound: eps^2 n d / lower^2. */
  readonly parametersForObserved: number | null;
  readonly inLawRegime: boolean;
  /** The clipped margin judged (absent: the model's output itself): its scale m, and the count of grid values tried. The
   * train MSE and eps above are then those of g = clip(f / m, -1, 1); the law, R and the verdict are about Lip(f). */
  readonly clipped?: { readonly scale: number; readonly grid: number; readonly rawMse: number };
  /** The verdict against the ambient law and Theorem 3 (the record's verdict); `laws.uses` says which law the printed verdict uses. */
  readonly verdict: Verdict;
  /** The data's effective dimensions (PCA 90% / 95%, participation ratio, TwoNN); null for n < 3. */
  readonly effectiveDimension: EffectiveDimension | null;
  /** The law with the ambient d and with the effective d, and which one the verdict uses (null when eps <= 0 or n < 3). */
  readonly laws: BothLaws | null;
  readonly sentences: readonly string[];
  /** The check as a robustlaw-record/1 record, built by the same record builder as verify's and sweep's. */
  readonly record: SweepRecord<CheckedModelSpec>;
}

/** The largest model output or label magnitude a check accepts (squares and sums of n of them stay finite). */
export const MAX_OUTPUT = 1e150;

const f3 = (x: number) => (Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : Number(x.toPrecision(4)).toString());
const count = (x: number) => (x >= 1e6 ? x.toExponential(2).replace('e+', 'e') : Math.round(x).toLocaleString('en-US'));

/**
 * Checks a user's model against the law on its own training data: train MSE, eps = sigma^2 - MSE,
 * certified Lipschitz bounds on the ball of the data's radius (max(1, max ||x_i||)), the law's
 * eps sqrt(n d / p) and its inverse p = eps^2 n d / L^2 (docs/science.md section 1), and the verdict with tau.
 * Without a known sigma^2 the label variance stands in ("as if the labels were noise", docs/science.md section 5.1).
 */
export function checkModel(input: CheckModelInput): CheckModelReport {
  const { model, X, y } = input;
  const n = requireInt('checkModel', 'n', input.n, 1);
  const d = model.d;
  if (X.length !== n * d) throw new InputError('X', `n x d with d = ${d}, the model's number of inputs`, X, { context: 'checkModel', shown: `${X.length / n} columns` });
  if (y.length !== n) throw new InputError('y', `n = ${n} values`, y, { context: 'checkModel', shown: `${y.length}` });
  // Refused up front: no verdict from a non-finite number (the model's constants, outputs, the MSE, the law).
  const modelName = input.source?.model;
  const dataName = input.source?.data;
  requireDataFits('checkModel', n, d, model.p);
  if (!Number.isFinite(model.W) || !Number.isFinite(model.J)) {
    throw new InputError('model', "a network whose Theorem 3 constants W and J are finite", model.description, { context: modelName, shown: `W = ${model.W}, J = ${model.J}` });
  }
  const f = model.predict(X, n);
  for (let i = 0; i < n; i++) {
    if (!(Math.abs(f[i]) <= MAX_OUTPUT)) throw new InputError('model', `a network whose outputs on the data are finite and at most ${MAX_OUTPUT} in magnitude`, f[i], { context: modelName, shown: `output ${f[i]} at point ${i + 1}` });
    if (!(Math.abs(y[i]) <= MAX_OUTPUT)) throw new InputError('data.y', `labels at most ${MAX_OUTPUT} in magnitude`, y[i], { context: dataName, shown: `label ${y[i]} at point ${i + 1}` });
  }
  let mse = 0;
  for (let i = 0; i < n; i++) mse += (f[i] - y[i]) ** 2 / n;
  let sigma2 = input.sigma2;
  let source: NoiseSource = input.sigma2Source ?? 'given';
  if (sigma2 === undefined) {
    sigma2 = labelVariance(y.subarray(0, n));
    source = 'label variance';
  }
  // a classifier's margin through g = clip(f / m, -1, 1): g's fit, and Lip(g) <= Lip(f) / m (margin-scale.ts)
  const clipped = input.clippedMargin ? marginScale(f, y, n, sigma2, (e) => inLawRegime(n, e, input.k ?? 1)) : null;
  const rawMse = mse;
  if (clipped) mse = clipped.mse;
  const m = clipped?.scale ?? 1;
  const eps = sigma2 - mse;
  // the law's linear quantities (the law, the parameters it asks for) are about Lip(f) = m Lip-scale of g
  const epsF = m * eps;
  if (!Number.isFinite(mse) || !Number.isFinite(eps) || !Number.isFinite(eps * eps * n * d)) {
    const [parameter, context, value] = source === 'label variance' ? ['data.y', dataName, y] : ['sigma2', 'checkModel', sigma2];
    throw new InputError(parameter, `small enough that the train MSE, eps = sigma^2 - MSE and the law's eps^2 n d are finite (n = ${n}, d = ${d})`, value, { context, shown: `sigma^2 = ${sigma2}, MSE = ${mse}` });
  }
  const R0 = dataRadius(X, n, d);
  // W and J for inputs in the data's ball (a network's J grows with the input radius: docs/science.md section 4, mlp)
  const stated = model.radius >= R0 ? model : model.withRadius?.(R0);
  if (stated === undefined) throw new InputError('model', `a model whose stated input ball contains the data (a ${model.className} model states W and J for inputs of norm <= ${model.radius}; fit it to these data)`, model.radius, { context: modelName, shown: `data radius ${R0}` });
  if (!Number.isFinite(stated.J)) throw new InputError('model', "a network whose Theorem 3 constant J is finite on the data's ball", model.description, { context: modelName, shown: `J = ${stated.J} for inputs of norm <= ${R0}` });
  const lip = lipschitz(model, { domain: ball(R0), X, n, rng: input.rng, starts: input.starts ?? 16, steps: input.steps ?? 100, rounds: input.rounds ?? 3, backend: input.backend });
  const lower = Math.max(lip.lower.value, lip.exact ? certainInterval(lip.exact).lo : 0);
  const upper = lip.upper && Number.isFinite(lip.upper.value) ? lip.upper.value : null;
  if (!Number.isFinite(lower)) throw new InputError('model', 'a network whose certified Lipschitz lower bound is finite', lower, { context: modelName });
  // the verdict of g: its bounds Lip(f) / m, its eps, its parametrisation constant J / m, and Theorem 3's
  // failure probability shared among the grid's scales (a union bound)
  const vg = verdict({ n, d, p: model.p, eps, sigma2: sigma2 > 0 ? sigma2 : 0, lower: lower / m, upper: upper === null ? null : upper / m, c: input.c ?? 1, k: input.k ?? 1, W: stated.W, J: stated.J / m, ...(clipped ? { delta: 0.01 / clipped.grid } : {}) });
  // its thresholds in Lip(f)'s units (the margins lower / threshold are the same in both)
  const toF = (t: Verdict['law']) => ({ ...t, threshold: t.threshold === null ? null : t.threshold * m });
  const v: Verdict = m === 1 ? vg : { ...vg, law: toF(vg.law), theorem3: toF(vg.theorem3) };
  const law = eps > 0 ? informalLaw(n, d, model.p, epsF) : null;
  const pFor1 = eps > 0 ? parametersNeeded(n, d, epsF, 1) : null;
  const pForObs = eps > 0 && lower > 0 ? parametersNeeded(n, d, epsF, lower) : null;
  const regime = inLawRegime(n, eps, input.k ?? 1);
  // The law with the data's effective dimension beside the ambient one (docs/science.md section 6).
  const dims = n >= 3 ? effectiveDimension(X, n, d) : null;
  // how the sentences name the law's fit: eps, or m eps for a clipped margin
  const E = clipped ? 'm eps' : 'eps';
  const laws = dims && eps > 0 ? bothLaws({ n, p: model.p, eps: epsF, lower, upper, dims }) : null;
  const s: string[] = [...(input.preface ?? [])];
  if (clipped) {
    s.push(`Your network has p = ${count(model.p)} parameters. On n = ${count(n)} points in dimension d = ${d} its margin f has train MSE ${f3(rawMse)} against the labels: far outside the law's setting of outputs in [-1, 1]. So the law judges g = clip(f / m, -1, 1) with m = ${f3(m)}, which fits the labels with train MSE ${f3(mse)} (every point with y f >= m exactly) and has Lip(g) <= Lip(f) / m: the law for g bounds Lip(f) from below by m eps sqrt(n d / p). m is the value of the grid 2^(j/4) (${clipped.grid} values across the margins' range) that makes this bound largest.`);
  } else {
    s.push(`Your network has p = ${count(model.p)} parameters and fits n = ${count(n)} points in dimension d = ${d} with train MSE ${f3(mse)}.`);
  }
  s.push(
    source === 'label variance'
      ? `No noise level was given, so the label variance ${f3(sigma2)} stands in for sigma^2 (as if the labels were pure noise; give sigma2 if you know the noise level).`
      : `The noise level is sigma^2 = ${f3(sigma2)} (${source === 'given' ? 'as given' : 'from the label model'}).`,
  );
  s.push(`Its Lipschitz constant on the ball of radius ${f3(R0)} around 0 is certified to lie between ${f3(lower)} and ${upper === null ? 'infinity (no certified upper bound for this network)' : f3(upper)}.`);
  if (eps <= 0) {
    s.push(`It does not fit below the noise level (MSE >= sigma^2, eps = ${f3(eps)}), so the law makes no claim: a fit this loose can be smooth at any size.`);
  } else {
    s.push(
      clipped
        ? `g fits ${f3(eps)} below the noise level. The law says any model with ${count(model.p)} parameters whose clipped margin fits these data this well has Lip(f) of at least about m eps sqrt(n d / p) = ${f3(law!)}.`
        : `It fits ${f3(eps)} below the noise level. The law says any model with ${count(model.p)} parameters fitting these data this well has a Lipschitz constant of at least about eps sqrt(n d / p) = ${f3(law!)}.`,
    );
    s.push(`To be O(1)-Lipschitz at this fit, the law asks for about ${count(pFor1!)} parameters (${E}^2 n d); you have ${count(model.p)}${model.p >= pFor1! ? ', enough for the law to allow it' : ` (${f3(pFor1! / model.p)} times fewer)`}.`);
    const R = lower / law!;
    if (!regime) s.push(`Caveat: eps < 0.1 or n eps^2 < 8 k, so these data are outside the regime where the law's prediction is tested; read the numbers as indicative.`);
    if (laws?.uses === 'effective') {
      const e = laws.effective;
      s.push(`Against the ambient law (d = ${d}) the certified lower bound is ${f3(R)} times the prediction (${v.law.verdict}), but the data are outside the ambient law.`);
      if (e.verdict === 'holds') s.push(`Verdict (effective d = ${f3(e.d)}): consistent with the law. The certified lower bound is ${f3(e.R)} times ${E} sqrt(n d_eff / p) = ${f3(e.law)} (tolerance tau = ${LAW_TOLERANCE}).`);
      else if (e.verdict === 'counterexample') s.push(`Verdict (effective d = ${f3(e.d)}): a certified counterexample candidate. Even the upper bound ${f3(upper!)} is below tau times ${E} sqrt(n d_eff / p) (${f3(LAW_TOLERANCE * e.law)}).`);
      else s.push(`Verdict (effective d = ${f3(e.d)}): inconclusive. The lower bound is ${f3(e.R)} times ${E} sqrt(n d_eff / p) = ${f3(e.law)}, below tau = ${LAW_TOLERANCE}, but the upper bound does not rule it out.`);
    } else if (v.law.verdict === 'holds') s.push(`Verdict: consistent with the law. The certified lower bound is ${f3(R)} times the prediction (tolerance tau = ${LAW_TOLERANCE}).`);
    else if (v.law.verdict === 'counterexample') s.push(`Verdict: a certified counterexample candidate. Even the upper bound ${f3(upper!)} is below tau times the prediction (${f3(LAW_TOLERANCE * law!)}). Check the noise level: the law needs labels that are noisy.`);
    else s.push(`Verdict: inconclusive. The lower bound is ${f3(R)} times the prediction, below tau = ${LAW_TOLERANCE}, but the upper bound does not rule the prediction out; a tighter estimate (more ascent starts) may settle it.`);
    if (dims && laws) {
      s.push(`Effective dimension of the data (ambient d = ${d}): PCA ${dims.pca90} at 90% and ${dims.pca95} at 95% of the variance, participation ratio ${f3(dims.participationRatio)}, TwoNN ${dims.twoNN === null ? 'undefined' : f3(dims.twoNN)}. With d_eff = ${f3(laws.effective.d)} the law is ${E} sqrt(n d_eff / p) = ${f3(laws.effective.law)} and R = ${f3(laws.effective.R)} (${laws.effective.verdict}).`);
      s.push(laws.why);
    }
  }
  const lowerMethod = lip.exact && certainInterval(lip.exact).lo >= lip.lower.value ? `exact (${lip.exact.method})` : lip.lower.method;
  const c = input.c ?? 1;
  const k = input.k ?? 1;
  const spec: CheckedModelSpec = { className: model.className, model: input.source?.model ?? model.description, data: input.source?.data ?? 'given data', n, d, seed: input.source?.seed ?? null };
  const record = toRecord(0, `check-model model=${spec.model},data=${spec.data}`, {
    spec,
    p: model.p,
    W: stated.W,
    J: stated.J,
    trainMse: mse,
    sigma2,
    eps,
    epsSource: source === 'label variance' ? 'label-variance' : 'sigma2',
    components: k,
    lower,
    upper,
    exact: lip.exact?.value ?? null,
    ratio: upper !== null && lower > 0 ? upper / lower : null,
    dataFloor: lip.dataFloor?.value ?? null,
    law,
    R: law ? lower / law : null,
    Rupper: law && upper !== null ? upper / law : null,
    theorem3Formula: v.epsTheorem === null ? null : m * theorem3({ n, d, p: model.p, eps: v.epsTheorem, c, k, W: Math.max(stated.W, 1e-300), J: Math.max(stated.J / m, 1e-300), ...(clipped ? { delta: 0.01 / clipped.grid } : {}) }).formula,
    verdict: v,
    lowerMethod,
    upperMethod: lip.upper?.method ?? null,
    warnings: [],
    fitSeconds: 0,
    lipSeconds: lip.seconds,
    search: lip.search,
  });
  return {
    n,
    d,
    p: model.p,
    trainMse: mse,
    sigma2,
    sigma2Source: source,
    eps,
    domain: lip.domain,
    lower,
    upper,
    ratio: upper !== null && lower > 0 ? upper / lower : null,
    lowerMethod,
    lowerWitness: lip.exact && certainInterval(lip.exact).lo >= lip.lower.value ? lip.exact.witness : lip.lower.witness,
    estimates: { lower: lip.lower, upper: lip.upper, exact: lip.exact, radius: R0 },
    upperMethod: lip.upper?.method ?? null,
    law,
    R: law ? lower / law : null,
    parametersForLip1: pFor1,
    parametersForObserved: pForObs,
    inLawRegime: regime,
    ...(clipped ? { clipped: { scale: m, grid: clipped.grid, rawMse } } : {}),
    verdict: v,
    effectiveDimension: dims,
    laws,
    sentences: s,
    record,
  };
}
