/**
 * The robustlaw-mlp/1 network file: its reader and the `mlp` class of networks loaded from it.
 * @module
 */
import { InputError } from '../../core/input-error.js';
import type { FunctionClass } from '../function-class.js';
import { ACTIVATION_BOUND_RULE, mlpNetwork, requireBoundedActivations, type DenseLayer, type MlpModel, type MlpNetwork } from '../mlp.js';
import type { NetworkActivation } from '../network-activations.js';

/** Activations a robustlaw-mlp/1 file may use. */
export const MLP_ACTIVATIONS = ['relu', 'tanh'] as const;

/**
 * The `mlp` JSON format (robustlaw-mlp/1):
 * ```json
 * { "format": "robustlaw-mlp/1", "activation": "relu",
 *   "layers": [ { "weights": [[w11, ..., w1d], ...], "biases": [b1, ...] }, ... ] }
 * ```
 * `weights` of layer l is an array of `out_l` rows of `in_l` numbers (in_1 = d, in_l = out_{l-1});
 * `biases` has `out_l` numbers; the last layer has m = out_D >= 1 outputs and no activation; every other
 * layer is followed by the activation (relu or tanh). p = sum_l out_l (in_l + 1). A bound on every
 * activation for inputs in [-1, 1]^d (|h_l| <= max row sum |w| |h_{l-1}| + max |b|) is at most
 * {@link MLP_MAX_GAIN}. Throws an {@link InputError} naming the field (`mlp.layers[2].weights[1][3]`,
 * counted from 1), the rule and the value; `source` (the file) is its context.
 */
export function parseMlpNetwork(json: unknown, source = 'mlp'): MlpNetwork {
  const fail = (field: string, rule: string, value: unknown, shown?: string): never => {
    throw new InputError(field ? `mlp.${field}` : 'mlp', rule, value, { context: source, shown });
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('', 'a JSON object with "activation" and "layers"', json);
  const obj = json as Record<string, unknown>;
  if (obj.format !== undefined && obj.format !== 'robustlaw-mlp/1') fail('format', '"robustlaw-mlp/1"', obj.format);
  const activation = obj.activation ?? 'relu';
  if (!(MLP_ACTIVATIONS as readonly unknown[]).includes(activation)) fail('activation', `one of ${MLP_ACTIVATIONS.join(', ')}`, activation);
  if (!Array.isArray(obj.layers) || obj.layers.length === 0) fail('layers', 'a non-empty array', obj.layers, obj.layers === undefined ? 'missing layers' : undefined);
  const raw = obj.layers as unknown[];
  const layers: DenseLayer[] = [];
  let prevOut = -1;
  raw.forEach((layer, l) => {
    const name = `layers[${l + 1}]`;
    if (typeof layer !== 'object' || layer === null) fail(name, 'an object with "weights" and "biases"', layer);
    const { weights, biases } = layer as Record<string, unknown>;
    if (!Array.isArray(weights) || weights.length === 0) fail(`${name}.weights`, 'a non-empty array of rows', weights, weights === undefined ? 'missing weights' : undefined);
    const rows = weights as unknown[];
    if (!Array.isArray(rows[0])) fail(`${name}.weights[1]`, 'a row (an array of numbers)', rows[0]);
    const inputs = (rows[0] as unknown[]).length;
    if (inputs === 0) fail(`${name}.weights[1]`, 'a non-empty row', rows[0], 'an empty row');
    if (prevOut >= 0 && inputs !== prevOut) fail(`${name}.weights`, `rows of ${prevOut} numbers (the previous layer's output size)`, rows, `${inputs} columns`);
    const outputs = rows.length;
    const W = new Float64Array(outputs * inputs);
    rows.forEach((row, r) => {
      if (!Array.isArray(row) || row.length !== inputs) fail(`${name}.weights[${r + 1}]`, `a row of ${inputs} numbers like row 1`, row, Array.isArray(row) ? `${row.length} numbers` : undefined);
      (row as unknown[]).forEach((v, c) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${name}.weights[${r + 1}][${c + 1}]`, 'a finite number', v);
        W[r * inputs + c] = v as number;
      });
    });
    if (!Array.isArray(biases)) fail(`${name}.biases`, `an array of ${outputs} numbers`, biases, biases === undefined ? 'missing biases' : undefined);
    const bs = biases as unknown[];
    if (bs.length !== outputs) fail(`${name}.biases`, `${outputs} numbers (one per weights row)`, bs, `${bs.length} numbers`);
    const B = new Float64Array(outputs);
    bs.forEach((v, r) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${name}.biases[${r + 1}]`, 'a finite number', v);
      B[r] = v as number;
    });
    layers.push({ weights: W, biases: B, inputs, outputs });
    prevOut = outputs;
  });
  const acts = layers.slice(1).map(() => activation as NetworkActivation);
  requireBoundedActivations(layers, acts, (l, rows, shown) => fail(`layers[${l + 1}].weights`, ACTIVATION_BOUND_RULE, rows, shown));
  return mlpNetwork(layers, acts);
}

/**
 * A robustlaw-mlp/1 network with one output as a scalar {@link MlpModel} ({@link parseMlpNetwork}; a last
 * layer with more rows is refused: read it with parseMlpNetwork and take a {@link MlpNetwork.head}).
 */
export function parseMlp(json: unknown, source = 'mlp'): MlpModel {
  return parseMlpNetwork(json, source).scalar(source);
}

/** A network loaded from a robustlaw-mlp/1 file (parseMlp): its size is the file's, it is not fitted. */
export const MLP: FunctionClass = {
  name: 'mlp',
  summary: 'a fully connected network loaded from a file (relu or tanh), not fitted',
  reads: [],
  activations: MLP_ACTIVATIONS,
  parameterCount: () => {
    throw new Error('mlp: the parameter count is that of the loaded network (model.p), not a function of n and d');
  },
};

/**
 * A network as robustlaw-mlp/1 JSON text (the format {@link parseMlpNetwork} reads): the weights as the fitted
 * f64 numbers, which JSON's shortest round-trip decimals keep exactly. `activation` must be one of
 * {@link MLP_ACTIVATIONS} (a bug otherwise: callers check it with the input).
 */
export function mlpFileJson(layers: readonly { readonly weights: Float64Array; readonly biases: Float64Array; readonly inputs: number; readonly outputs: number }[], activation: string): string {
  if (!(MLP_ACTIVATIONS as readonly string[]).includes(activation)) throw new Error(`bug: robustlaw-mlp/1 holds relu or tanh networks, not ${activation}`);
  const rows = (L: (typeof layers)[number]) => Array.from({ length: L.outputs }, (_, r) => Array.from(L.weights.subarray(r * L.inputs, (r + 1) * L.inputs)));
  return `${JSON.stringify({ format: 'robustlaw-mlp/1', activation, layers: layers.map((L) => ({ weights: rows(L), biases: Array.from(L.biases) })) })}\n`;
}
