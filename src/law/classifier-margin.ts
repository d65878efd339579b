/**
 * A classifier (a network with m >= 2 outputs) against the law: the law is stated for one real output, so
 * a check judges one scalar of it, the margin f_i - f_j of two classes (docs/science.md section 3, vector
 * outputs), on the binary task of those two classes.
 * @module
 */
import { InputError } from '../core/input-error.js';
import type { DataSet } from '../data/data-file.js';
import type { MlpModel, MlpNetwork } from '../models/mlp.js';

/** What {@link classifierMargin} hands to the check: the margin model, its data and labels, and why. */
export interface MarginTask {
  /** The scalar network f_i - f_j (p counts every parameter of the classifier). */
  readonly model: MlpModel;
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  /** The pair (i, j), outputs counted from 0. */
  readonly pair: readonly [number, number];
  /** Whether the pair was given (--margin) or chosen from the predictions. */
  readonly chosen: 'given' | 'predicted';
  /** The sentence that says what is judged. */
  readonly sentence: string;
}

/**
 * The pair the network predicts most: i the class it predicts most often on X (argmax of f, ties to the
 * lower index), j the class that is most often second among the points predicted i.
 */
export function predictedPair(net: MlpNetwork, X: Float64Array, n: number): [number, number] {
  const m = net.outputs;
  const F = net.forward(X, n);
  const top = new Float64Array(m);
  const second = Array.from({ length: m }, () => new Float64Array(m));
  for (let k = 0; k < n; k++) {
    let a = 0;
    for (let t = 1; t < m; t++) if (F[k * m + t] > F[k * m + a]) a = t;
    let b = a === 0 ? 1 : 0;
    for (let t = 0; t < m; t++) if (t !== a && F[k * m + t] > F[k * m + b]) b = t;
    top[a]++;
    second[a][b]++;
  }
  const argmax = (v: Float64Array, skip = -1) => v.reduce((best, x, t) => (t !== skip && (best < 0 || x > v[best]) ? t : best), -1);
  const i = argmax(top);
  return [i, argmax(second[i], i)];
}

/**
 * The margin task of a classifier on data. With `labels: 'classes'` (a data file) the labels must be
 * class indices, integers in [0, m - 1]; the task keeps the points of classes i and j with labels +1
 * (class i) and -1 (class j). With `labels: 'margin'` (data drawn by a label model, in [-1, 1]) every
 * point is kept with its label as the margin's target. `pair` (from --margin) or else
 * {@link predictedPair}. Refuses (one InputError) a label that is not a class index, and a pair with no
 * point of either class.
 */
export function classifierMargin(net: MlpNetwork, data: DataSet, options: { readonly pair?: readonly [number, number]; readonly labels: 'classes' | 'margin' }, source = 'data'): MarginTask {
  const m = net.outputs;
  const { d } = data;
  if (options.labels === 'classes') {
    data.y.forEach((v, k) => {
      if (!(Number.isInteger(v) && v >= 0 && v < m)) throw new InputError(`data.y[${k + 1}]`, `a class index, an integer in [0, ${m - 1}] (the network has ${m} outputs, so its labels are classes)`, v, { context: source });
    });
  }
  const [i, j] = options.pair ?? predictedPair(net, data.X, data.n);
  const c = new Float64Array(m);
  [c[i], c[j]] = [1, -1];
  const model = net.head(c, `margin f_${i} - f_${j}`);
  const chosen = options.pair ? 'given' : 'predicted';
  const why = chosen === 'given' ? `the margin f_${i} - f_${j} you chose` : `the margin f_${i} - f_${j} of the class it predicts most often (${i}) over its most frequent runner-up (${j})`;
  if (options.labels === 'margin') {
    const sentence = `Your network has ${m} outputs (a classifier). The law is stated for one real output, so this check judges ${why}, fitted to the labels in [-1, 1] (choose the pair with --margin i,j).`;
    return { model, X: data.X, y: data.y, n: data.n, pair: [i, j], chosen, sentence };
  }
  const keep: number[] = [];
  data.y.forEach((v, k) => {
    if (v === i || v === j) keep.push(k);
  });
  if (keep.length === 0) throw new InputError('data.y', `labels with points of class ${i} or ${j} (the margin judged)`, data.n, { context: source, shown: `no point of either class among ${data.n}` });
  const X = new Float64Array(keep.length * d);
  keep.forEach((k, q) => X.set(data.X.subarray(k * d, k * d + d), q * d));
  const y = Float64Array.from(keep, (k) => (data.y[k] === i ? 1 : -1));
  const sentence = `Your network has ${m} outputs (a classifier). The law is stated for one real output, so this check judges ${why}, on the ${keep.length} points of classes ${i} and ${j} labelled +1 and -1 (choose the pair with --margin i,j).`;
  return { model, X, y, n: keep.length, pair: [i, j], chosen, sentence };
}
