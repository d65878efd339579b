import { Streams } from '../core/streams.js';
import { requireInt } from '../core/validate.js';
import { effectiveDimension, type EffectiveDimension } from '../data/effective-dimension/effective-dimension.js';
import { empiricalLaw } from '../data/empirical-law.js';
import { checkModel } from '../law/check-model.js';
import type { ActivationName } from '../activations/activation.js';
import type { ModelClass } from '../models/model.js';
import type { ModelOptions } from '../models/model-options.js';
import { fitClass, functionClass } from '../models/registry.js';

/** One labelling of the study's images: its name, labels in [-1, 1] and noise level sigma^2. */
export interface LabelSet {
  readonly name: string;
  readonly y: Float64Array;
  readonly sigma2: number;
}

/** One fitted class of the study: the registry's class name and its options (activation, iteration budget). */
export interface StudyClass {
  readonly className: ModelClass;
  readonly activation: ActivationName;
  /** Options beyond the width and the activation (two-layer: maxIter, lr). */
  readonly options?: ModelOptions;
}

/** The study's design: what is fitted, at which p, with which estimator effort, from which seed. */
export interface StudySpec {
  readonly seed: number;
  readonly classes: readonly StudyClass[];
  /** p = n x each multiple (the law's window n .. n d is multiples 1 .. d). */
  readonly pMultiples: readonly number[];
  /** Fixed estimator effort (no time limit: the numbers depend on the spec alone). */
  readonly starts: number;
  readonly steps: number;
  readonly rounds: number;
}

/** One fit of the study and where it sits against the law with the ambient and with the effective d. */
export interface StudyPoint {
  readonly labels: string;
  readonly className: ModelClass;
  readonly activation: ActivationName;
  /** The width (features or hidden units) and the parameter count it gives (docs/science.md section 4). */
  readonly k: number;
  readonly p: number;
  readonly trainMse: number;
  readonly sigma2: number;
  /** eps = sigma^2 - train MSE (the law makes no claim when <= 0). */
  readonly eps: number;
  /** Certified bounds on Lip(f) over the ball of the data's radius, and how they were obtained. */
  readonly lower: number;
  readonly upper: number | null;
  readonly lowerMethod: string;
  readonly upperMethod: string | null;
  /** eps sqrt(n d / p) with the ambient d and with d_eff, and lower / law for each (null when eps <= 0). */
  readonly lawAmbient: number | null;
  readonly lawEffective: number | null;
  readonly R: number | null;
  readonly Reffective: number | null;
  /** Verdicts against tau times each law (null when eps <= 0). */
  readonly verdictAmbient: string | null;
  readonly verdictEffective: string | null;
}

/** Inputs of {@link runRealDataStudy}: the images (n x d, row-major) and their labellings. */
export interface StudyData {
  readonly X: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly source: string;
  readonly labelSets: readonly LabelSet[];
}

/** The sub-stream seed name of one point: each point is replayable on its own. */
export const pointStream = (labels: string, cls: StudyClass, multiple: number): string => `${labels}/${cls.className}-${cls.activation}/p=${multiple}n`;

/** The width of `cls` whose parameter count is closest to p (the registry's width rule). */
export function widthFor(cls: StudyClass, p: number, d: number): number {
  const rule = functionClass(cls.className).width;
  if (!rule) throw new Error(`real-data study: class ${cls.className} has no width`);
  return rule.forParameters(p, d);
}

/**
 * Fits one class at one p to one labelling and checks it against the law (src/law/check-model.ts): the
 * certified Lipschitz bounds, eps = sigma^2 - MSE, and the law with the ambient and the effective d.
 * Seeds: fit and estimator streams named by {@link pointStream} under `spec.seed`.
 */
export function studyPoint(data: StudyData, labels: LabelSet, cls: StudyClass, multiple: number, spec: StudySpec): StudyPoint {
  const { X, n, d } = data;
  const k = widthFor(cls, multiple * n, d);
  const streams = new Streams(spec.seed);
  const name = pointStream(labels.name, cls, multiple);
  const fit = fitClass(cls.className, { X, n, d, y: labels.y, dist: empiricalLaw(X, n, d, data.source) }, { ...cls.options, k, activation: cls.activation }, { init: streams.stream(`init/${name}`), solver: streams.stream(`solver/${name}`), sigma2: labels.sigma2 });
  const r = checkModel({ model: fit.model, X, y: labels.y, n, sigma2: labels.sigma2, sigma2Source: 'given', rng: streams.stream(`estimator/${name}`), starts: spec.starts, steps: spec.steps, rounds: spec.rounds, source: { model: name, data: data.source, seed: spec.seed } });
  return {
    labels: labels.name,
    className: cls.className,
    activation: cls.activation,
    k,
    p: r.p,
    trainMse: r.trainMse,
    sigma2: r.sigma2,
    eps: r.eps,
    lower: r.lower,
    upper: r.upper,
    lowerMethod: r.lowerMethod,
    upperMethod: r.upperMethod,
    lawAmbient: r.laws?.ambient.law ?? null,
    lawEffective: r.laws?.effective.law ?? null,
    R: r.laws?.ambient.R ?? null,
    Reffective: r.laws?.effective.R ?? null,
    verdictAmbient: r.laws?.ambient.verdict ?? null,
    verdictEffective: r.laws?.effective.verdict ?? null,
  };
}

/** What {@link runRealDataStudy} returns: the data's effective dimensions and every point. */
export interface StudyResult {
  readonly n: number;
  readonly d: number;
  readonly dims: EffectiveDimension;
  readonly points: readonly StudyPoint[];
}

/**
 * The law on a real data set (docs/evidence.md, "The law on real data"): every class of `spec` fitted to
 * every labelling at p = n x each multiple, with certified Lipschitz bounds and the law evaluated with
 * the ambient d and with the effective d (docs/science.md section 6). Deterministic: the same data and
 * spec give the same numbers (the estimators run on the f64 cpu path with fixed effort).
 */
export function runRealDataStudy(data: StudyData, spec: StudySpec, onPoint?: (p: StudyPoint, done: number, total: number) => void): StudyResult {
  requireInt('runRealDataStudy', 'n', data.n, 3);
  const dims = effectiveDimension(data.X, data.n, data.d);
  const points: StudyPoint[] = [];
  const total = data.labelSets.length * spec.classes.length * spec.pMultiples.length;
  for (const labels of data.labelSets) {
    for (const cls of spec.classes) {
      for (const m of spec.pMultiples) {
        const pt = studyPoint(data, labels, cls, m, spec);
        points.push(pt);
        onPoint?.(pt, points.length, total);
      }
    }
  }
  return { n: data.n, d: data.d, dims, points };
}
