import { InputError } from '../core/input-error.js';
import { norm2 } from '../linalg/gram.js';
import { spectralNorm } from '../linalg/spectral-norm.js';
import { exactEstimate, UNIT_ROUNDOFF, upperEstimate } from '../lipschitz/certificate.js';
import { domainName } from '../lipschitz/domain.js';
import type { FunctionClass } from './function-class.js';
import type { Model } from './model.js';

/** Activations an `mlp` file may use. */
export const MLP_ACTIVATIONS = ['relu', 'tanh'] as const;

/** The largest bound on any activation (inputs in [-1, 1]^d) that {@link parseMlp} accepts. */
export const MLP_MAX_GAIN = 1e300;

/** One dense layer: weights (out x in, row-major) and biases (out). */
export interface DenseLayer {
  readonly weights: Float64Array;
  readonly biases: Float64Array;
  readonly inputs: number;
  readonly outputs: number;
}

/** A fully connected network with its layers exposed (for spectral-norm upper bounds). */
export interface MlpModel extends Model {
  readonly layers: readonly DenseLayer[];
  readonly activation: (typeof MLP_ACTIVATIONS)[number];
}

/**
 * The `mlp` JSON format (robustlaw-mlp/1):
 * ```json
 * { "format": "robustlaw-mlp/1", "activation": "relu",
 *   "layers": [ { "weights": [[w11, ..., w1d], ...], "biases": [b1, ...] }, ... ] }
 * ```
 * `weights` of layer l is an array of `out_l` rows of `in_l` numbers (in_1 = d, in_l = out_{l-1});
 * `biases` has `out_l` numbers; the last layer has out = 1 and no activation; every other layer is
 * followed by the activation (relu or tanh). p = sum_l out_l (in_l + 1). A bound on every activation for
 * inputs in [-1, 1]^d (|h_l| <= max row sum |w| |h_{l-1}| + max |b|) is at most {@link MLP_MAX_GAIN}.
 * Throws an {@link InputError} naming the field (`mlp.layers[2].weights[1][3]`, counted from 1), the rule
 * and the value; `source` (the file) is its context.
 */
export function parseMlp(json: unknown, source = 'mlp'): MlpModel {
  const fail = (field: string, rule: string, value: unknown, shown?: string): never => {
    throw new InputError(field ? `mlp.${field}` : 'mlp', rule, value, { context: source, shown });
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('', 'a JSON object with "activation" and "layers"', json);
  const obj = json as Record<string, unknown>;
  if (obj.format !== undefined && obj.format !== 'robustlaw-mlp/1') fail('format', '"robustlaw-mlp/1"', obj.format);
  const activation = obj.activation ?? 'relu';
  if (activation !== 'relu' && activation !== 'tanh') fail('activation', 'one of relu, tanh', activation);
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
  if (prevOut !== 1) fail(`layers[${raw.length}]`, 'a last layer with 1 output row', raw[raw.length - 1], `${prevOut} rows`);
  // Every activation must stay finite: for inputs with |x_c| <= 1, |h_l| <= s_l |h_{l-1}| + c_l with s_l the
  // largest row sum of |w| and c_l the largest |b| (both activations are 1-Lipschitz with s(0) = 0).
  // The bound is carried in logs and kept within MLP_MAX_GAIN: weights that compensate across layers
  // (1e155 then 1e-155) are fine, 201 layers of weight 100 are not.
  let logBound = 0;
  const log10Sum = (x: number, y: number) => (x === -Infinity ? y : y === -Infinity ? x : Math.max(x, y) + Math.log10(1 + 10 ** (Math.min(x, y) - Math.max(x, y))));
  layers.forEach((L, l) => {
    let rows = 0;
    let bias = 0;
    for (let r = 0; r < L.outputs; r++) {
      let t = 0;
      for (let c = 0; c < L.inputs; c++) t += Math.abs(L.weights[r * L.inputs + c]);
      rows = Math.max(rows, t);
      bias = Math.max(bias, Math.abs(L.biases[r]));
    }
    logBound = log10Sum(Math.log10(rows) + logBound, Math.log10(bias));
    if (!(logBound <= Math.log10(MLP_MAX_GAIN))) {
      fail(`layers[${l + 1}].weights`, `weights whose activations stay below ${MLP_MAX_GAIN} for inputs in [-1, 1]^d (|h_l| <= max row sum |w| |h_{l-1}| + max |b|), so that outputs and bounds stay finite`, rows, `a bound of ${Number.isFinite(logBound) ? `1e${Math.round(logBound)}` : 'Infinity'} after ${l + 1} layer${l ? 's' : ''}`);
    }
  });
  return mlpModel(layers, activation as 'relu' | 'tanh');
}

/**
 * Wraps dense layers as a {@link Model}. J (docs/science.md section 1, J = R (W Q p)^D with Q = 1):
 * R (rho p)^D with rho = ||theta||, which bounds every weight and bias in the centred parameter ball of
 * radius rho that W = 2 rho describes, and R = 1, the unit input ball.
 */
export function mlpModel(layers: readonly DenseLayer[], activation: 'relu' | 'tanh'): MlpModel {
  const d = layers[0].inputs;
  const p = mlpParameterCount(layers);
  const act = activation === 'relu' ? (t: number) => (t > 0 ? t : 0) : Math.tanh;
  const dact = activation === 'relu' ? (t: number) => (t > 0 ? 1 : 0) : (t: number) => 1 - Math.tanh(t) ** 2;
  let sq = 0;
  for (const L of layers) {
    sq += norm2(L.weights) ** 2 + norm2(L.biases) ** 2;
  }
  const D = layers.length;
  /** Forward pass for one point; returns output and (optionally) the input gradient by backprop. */
  const one = (x: Float64Array, wantGrad: boolean): [number, Float64Array | null] => {
    const pre: Float64Array[] = [];
    let h = x;
    for (let l = 0; l < D; l++) {
      const L = layers[l];
      const z = new Float64Array(L.outputs);
      for (let r = 0; r < L.outputs; r++) {
        let s = L.biases[r];
        for (let c = 0; c < L.inputs; c++) s += L.weights[r * L.inputs + c] * h[c];
        z[r] = s;
      }
      pre.push(z);
      h = l < D - 1 ? z.map(act) : z;
    }
    if (!wantGrad) return [h[0], null];
    let g = new Float64Array([1]);
    for (let l = D - 1; l >= 0; l--) {
      const L = layers[l];
      if (l < D - 1) for (let r = 0; r < L.outputs; r++) g[r] *= dact(pre[l][r]);
      const gin = new Float64Array(L.inputs);
      for (let r = 0; r < L.outputs; r++) {
        const gr = g[r];
        if (gr === 0) continue;
        for (let c = 0; c < L.inputs; c++) gin[c] += gr * L.weights[r * L.inputs + c];
      }
      g = gin;
    }
    return [h[0], g];
  };
  return {
    className: 'mlp',
    d,
    p,
    description: `mlp: ${D} layers ${[d, ...layers.map((L) => L.outputs)].join('-')}, ${activation}`,
    W: 2 * Math.sqrt(sq),
    J: (Math.sqrt(sq) * p) ** D,
    radius: 1,
    smooth: activation !== 'relu',
    params: { layers: D, activation, widths: [d, ...layers.map((L) => L.outputs)].join('-') },
    layers,
    activation,
    // ReLU nets whose weights and biases are all nonnegative: the all-active pattern is the worst (every
    // pattern's Jacobian is entrywise between 0 and the all-active product, attained on the open positive
    // orthant, which meets every centred ball's interior), so Lip = ||W_D ... W_1||_2 on R^d and on any
    // centred ball. Not on a sphere: there only tangential secants count (relu(x1) + relu(x2) on the unit
    // circle has Lip 1, not sqrt 2), so the value is only an upper bound there.
    exactLipschitz: (Dom) => {
      if (activation !== 'relu' || !(Dom.kind === 'Rd' || Dom.kind === 'ball')) return null;
      if (!layers.every((L) => L.weights.every((v) => v >= 0) && L.biases.every((v) => v >= 0))) return null;
      // row vector v = W_D W_{D-1} ... W_1 (1 x d)
      let v = Float64Array.from(layers[D - 1].weights);
      for (let l = D - 2; l >= 0; l--) {
        const L = layers[l];
        const nv = new Float64Array(L.inputs);
        for (let r = 0; r < L.outputs; r++) for (let c = 0; c < L.inputs; c++) nv[c] += v[r] * L.weights[r * L.inputs + c];
        v = nv;
      }
      // products of nonnegative entries: each layer's sums of `outputs` terms round relatively by at most
      // (outputs + 1) u, compounding over the layers; then the norm of d terms
      const rel = layers.reduce((t, L) => t + L.outputs + 1, d + 4) * UNIT_ROUNDOFF * 1.01;
      return exactEstimate(norm2(v), domainName(Dom), 'nonnegative-all-active', '||W_D ... W_1||_2 (all units active)', {}, rel * norm2(v));
    },
    // 1-Lipschitz activations: Lip <= prod_l ||W_l||_op, each a certified spectral norm (docs/science.md section 3)
    upperLipschitz: (Dom, rng) => {
      let prod = 1;
      const terms: Record<string, number> = {};
      for (const [l, L] of layers.entries()) {
        const sn = spectralNorm(L.weights, L.outputs, L.inputs, rng);
        // a certificate that cannot be computed finitely is unavailable, never a number
        if (!sn.available) return null;
        terms[`layer${l + 1}`] = sn.upper;
        prod *= sn.upper;
      }
      // the product of finite certificates can still overflow: then there is no finite certificate either
      return Number.isFinite(prod) ? upperEstimate(prod, domainName(Dom), 'spectral-product', 'prod_l ||W_l||_op (1-Lipschitz activations)', terms) : null;
    },
    predict(X, m) {
      const out = new Float64Array(m);
      for (let i = 0; i < m; i++) out[i] = one(X.subarray(i * d, i * d + d), false)[0];
      return out;
    },
    gradient(X, m) {
      const G = new Float64Array(m * d);
      for (let i = 0; i < m; i++) G.set(one(X.subarray(i * d, i * d + d), true)[1]!, i * d);
      return G;
    },
  };
}

/** p = sum_l out_l (in_l + 1): every weight and bias. */
export function mlpParameterCount(layers: readonly Pick<DenseLayer, 'inputs' | 'outputs'>[]): number {
  return layers.reduce((s, L) => s + L.outputs * (L.inputs + 1), 0);
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
