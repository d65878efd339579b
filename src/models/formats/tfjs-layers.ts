/**
 * The TensorFlow.js LayersModel format (`model.json` + binary weight shards), as `model.save('file://...')`
 * in tfjs and `tensorflowjs_converter` (from a Keras model) write it, read as an {@link MlpNetwork}.
 * @module
 */
import { InputError } from '../../core/input-error.js';
import { ACTIVATION_BOUND_RULE, mlpNetwork, requireBoundedActivations, type DenseLayer, type LayerBlock, type MlpNetwork, type OutputTransform } from '../mlp.js';
import { avgPoolDense, convDense, maxPoolBlock, padDense, type Chw, type DenseMap } from './spatial-ops.js';
import { kernelFromHwio, permuteColumns, tfAxis } from './channels-last.js';
import { residualLayers } from './residual.js';
import { batchNormAffine, foldAfter, foldBefore, type BatchNormAffine } from './batch-norm.js';
import { isNetworkActivation, type NetworkActivation } from '../network-activations.js';

/**
 * The layer classes a LayersModel may hold (Add: a residual block's end in a functional model, y = s + F(s),
 * formats/residual.ts): Dropout is the identity at inference, Flatten and Reshape only
 * reshape, BatchNormalization (of features, or of an image's channels) is folded into the neighbouring layer
 * (batch-norm.ts); Conv2D,
 * ZeroPadding2D, AveragePooling2D and GlobalAveragePooling2D of a channels-last image are the dense matrices of
 * their linear maps and MaxPooling2D exact relu layers (spatial-ops.ts, channels-last.ts).
 */
export const TFJS_LAYERS = ['InputLayer', 'Dense', 'Add', 'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'ZeroPadding2D', 'Activation', 'ReLU', 'LeakyReLU', 'ELU', 'Flatten', 'Reshape', 'Dropout', 'BatchNormalization'] as const;
/** Layers of an image (their input must be one). */
const IMAGE_LAYERS: readonly string[] = ['Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'ZeroPadding2D'];
/** TF.js activation identifiers read, and the network activation each names ('elu' is alpha = 1). */
const TFJS_ACTIVATIONS: Readonly<Record<string, NetworkActivation>> = { relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', softplus: 'softplus', gelu: 'gelu', elu: 'elu(1)', linear: 'linear' };
/** Output activations read as a transform of the logits (f stays the logits: MlpNetwork.outputTransform). */
const OUTPUT_TRANSFORMS: Readonly<Record<string, OutputTransform>> = { softmax: 'softmax' };

/** Whether parsed JSON looks like a TF.js LayersModel `model.json` (it has `modelTopology` and `weightsManifest`). */
export function isTfjsModelJson(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && 'modelTopology' in json && 'weightsManifest' in json;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Bytes per element of the weight dtypes read (float32 weights; uint8/uint16 with affine quantization). */
const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, uint8: 1, uint16: 2 };

/**
 * Reads a LayersModel: `json` is the parsed `model.json`, `readShard(path)` returns the bytes of a weight
 * shard named in `weightsManifest` (relative to the model.json's folder; the caller does the I/O).
 * Supported: a Sequential model, or a functional Model whose layers form a chain, of {@link TFJS_LAYERS};
 * Dense activations (and Activation layers) relu, tanh, sigmoid, softplus, linear; float32 weights or
 * uint8/uint16 affine quantization. A Dense with an activation as the last layer gets an identity layer
 * after it, so the network stays `affine, s, affine, ..., affine`. The first unsupported layer, activation
 * or dtype is refused naming it and what is supported; every error is one {@link InputError} with parameter
 * `tfjs.<key>` and `source` as context.
 */
export function parseTfjsLayersModel(json: unknown, readShard: (path: string) => Uint8Array, source = 'model.json'): MlpNetwork {
  const fail = (field: string, rule: string, value: unknown, shown?: string): never => {
    throw new InputError(field ? `tfjs.${field}` : 'tfjs', rule, value, { context: source, shown });
  };
  if (!isTfjsModelJson(json)) fail('', 'a TF.js LayersModel model.json with "modelTopology" and "weightsManifest"', json);
  const o = json as Obj;
  // tfjs writes {class_name, config}; tensorflowjs_converter from Keras {model_config: {class_name, config}}
  const topo = isObj(o.modelTopology) && isObj(o.modelTopology.model_config) ? o.modelTopology.model_config : o.modelTopology;
  if (!isObj(topo)) fail('modelTopology', 'an object', o.modelTopology);
  const top = topo as Obj;
  if (top.class_name !== 'Sequential' && top.class_name !== 'Model' && top.class_name !== 'Functional') fail('modelTopology.class_name', 'Sequential, or Model (a chain of layers)', top.class_name);
  const cfg = top.config;
  const rawLayers = Array.isArray(cfg) ? cfg : isObj(cfg) && Array.isArray(cfg.layers) ? cfg.layers : fail('modelTopology.config.layers', 'an array of layers', cfg);
  const weights = readWeights(o.weightsManifest, readShard, fail);

  // keys name a layer as the file does: its path in model.json, indices from 0, and its name
  const layersPath = `modelTopology${isObj(o.modelTopology) && isObj(o.modelTopology.model_config) ? '.model_config' : ''}.config${Array.isArray(cfg) ? '' : '.layers'}`;
  const layers: DenseLayer[] = [];
  const acts: NetworkActivation[] = [];
  let pending: NetworkActivation | null = null; // the activation after the last Dense so far
  let norm: BatchNormAffine | null = null; // a BatchNormalization waiting for the next Dense layer
  let transform: { kind: OutputTransform; where: string } | null = null; // a softmax, which must end the model
  let d = -1;
  let width = -1;
  // the running image (H x W x C in the file) while it is one; `chwOrder` once a spatial map has put it in
  // C x H x W order (spatial-ops.ts), and `flatFrom` the image a Flatten took in that order (the next Dense's
  // columns are then moved to it)
  let img: Chw | null = null;
  let chwOrder = false;
  let flatFrom: Chw | null = null;
  /** Appends an affine layer after the pending activation, a waiting BatchNormalization folded into it. */
  const pushLayer = (L: DenseLayer) => {
    if (layers.length > 0) acts.push(pending ?? 'linear');
    let layer = L;
    if (norm !== null) {
      layer = foldBefore(layer, norm);
      norm = null;
    }
    layers.push(layer);
    pending = 'linear';
    width = L.outputs;
  };
  /**
   * The Add ending a residual block: the layers since its fork are F; they become the carried layers of
   * y = s + F(s) (formats/residual.ts), and the chain goes on from the fork's shape.
   */
  const addResidual = (fork: Fork | undefined, key: string, named: string) => {
    if (fork === undefined) return fail(key, 'an Add of the layer before it and an earlier layer of the chain (a residual block)', named);
    afterTransform(key, named);
    if (norm !== null || flatFrom !== null) fail(key, 'a residual branch ending with a layer or an activation (not a BatchNormalization or a Flatten)', named);
    if (JSON.stringify(img) !== JSON.stringify(fork.img) || width !== fork.width) fail(key, 'an Add of two tensors of one shape', named, `${JSON.stringify(img ?? width)} and ${JSON.stringify(fork.img ?? fork.width)}`);
    // an image still in the file's order at the fork: the branch's first spatial map moved its columns there,
    // and the carried s must be in the same order as F's output: only C x H x W on both sides is read
    if (fork.img !== null && !fork.chwOrder) fail(key, 'a residual block after the first convolution or pooling layer (its input in C x H x W order)', named);
    const branch = layers.splice(fork.layersAt);
    const branchActs = acts.splice(fork.layersAt);
    const final = pending === 'linear' ? null : pending;
    const block = residualLayers({ layers: branch, acts: branchActs, final }, fork.width);
    if (typeof block === 'string') return fail(key, block, named);
    block.layers.forEach((L, q) => {
      if (q > 0) acts.push(block.acts[q - 1]);
      layers.push(L);
    });
    pending = 'linear';
    width = fork.width;
    img = fork.img;
    chwOrder = fork.chwOrder;
    openFork = null;
  };
  /** A spatial map of the running image: its columns put in the file's order where the image still is in it. */
  const pushSpatial = (m: DenseMap, block?: LayerBlock) => {
    const from = img!;
    const cols = (W: Float64Array) => (chwOrder ? W : permuteColumns(W, m.outputs, from, 'channels-last'));
    pushLayer({ weights: cols(m.weights), biases: m.biases, inputs: m.inputs, outputs: m.outputs, ...(m.weightError ? { weightError: cols(m.weightError) } : {}), ...(block ? { block } : {}) });
    chwOrder = true;
  };
  const afterTransform = (where: string, what: string) => {
    if (transform !== null) fail(where, `nothing after the output's ${transform.kind} (${transform.where}): a softmax is read only as the output, where it is dropped and the logits are bounded`, what, what);
  };
  // `a` as the file names it (a TF.js identifier), or a layer's activation already resolved (`resolved`)
  const setActivation = (a: unknown, where: string, resolved = false) => {
    const given = a === undefined || a === null ? 'linear' : a;
    const name = resolved ? given : typeof given === 'string' && Object.hasOwn(TFJS_ACTIVATIONS, given) ? TFJS_ACTIVATIONS[given] : given;
    if (typeof name === 'string' && OUTPUT_TRANSFORMS[name] !== undefined && layers.length > 0) {
      afterTransform(where, name);
      transform = { kind: OUTPUT_TRANSFORMS[name], where };
      return;
    }
    if (!isNetworkActivation(name) || (!resolved && !Object.values(TFJS_ACTIVATIONS).includes(name))) fail(where, `an activation the tool reads: ${Object.keys(TFJS_ACTIVATIONS).join(', ')} (or the layers LeakyReLU, ELU), or softmax on the output (re-export the model with one of them)`, given);
    // a residual branch that starts with an activation (s + W relu(s)) starts with the identity
    if (openFork !== null && layers.length === openFork.layersAt && name !== 'linear') pushLayer(identityLayer(width));
    if (layers.length === 0) fail(where, 'an activation after a Dense layer', name, `${JSON.stringify(name)} before any Dense layer`);
    if (name !== 'linear') afterTransform(where, JSON.stringify(name));
    if (pending !== 'linear' && name !== 'linear') fail(where, 'one activation per Dense layer', name, `${JSON.stringify(name)} after ${pending}`);
    if (name !== 'linear') pending = name as NetworkActivation;
  };
  const shapeSize = (shape: unknown, where: string): number => {
    if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every((v) => Number.isInteger(v) && (v as number) > 0)) return fail(where, 'an input shape [null, d1, d2, ...] of positive integers', shape);
    return (shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
  };
  // a functional model: a chain but for residual Adds; `forks` names the layers whose output an Add takes again
  const forks = isObj(cfg) && top.class_name !== 'Sequential' ? requireChain(cfg, rawLayers as unknown[], layersPath, fail) : new Map<string, string>();
  const forkNames = new Set(forks.values());
  const layerName = (l: unknown) => (isObj(l) ? (typeof l.name === 'string' ? l.name : isObj(l.config) && typeof l.config.name === 'string' ? l.config.name : '') : '');
  // where the chain passed each fork: the state to return to at its Add
  type Fork = { layersAt: number; img: Chw | null; chwOrder: boolean; width: number };
  const forkState = new Map<string, Fork>();
  let openFork: Fork | null = null;
  let inputRank = 1;
  let folded = 0; // trained parameters of the folded BatchNormalizations (gamma, beta)
  let trained = 0; // the kernels' and biases' entries (the law's p: a convolution's dense matrix repeats them)
  (rawLayers as unknown[]).forEach((raw, i) => {
    const key = `${layersPath}[${i}]`;
    // the previous layer's output is a fork: remember where the chain is
    const prevName = i > 0 ? layerName((rawLayers as unknown[])[i - 1]) : '';
    if (i > 0 && forkNames.has(prevName)) {
      if (norm !== null || flatFrom !== null) fail(key, 'a residual block whose input is not waiting on a BatchNormalization or a Flatten', prevName);
      openFork = { layersAt: layers.length, img, chwOrder, width };
      forkState.set(prevName, openFork);
    }
    if (!isObj(raw) || !isObj(raw.config)) return fail(key, 'a layer {class_name, config}', raw);
    const cls = raw.class_name;
    const c = raw.config;
    const named = `${JSON.stringify(cls)}${typeof c.name === 'string' ? ` (layer "${c.name}")` : ''}`;
    if (!(TFJS_LAYERS as readonly unknown[]).includes(cls)) fail(`${key}.class_name`, `a layer the tool reads: ${TFJS_LAYERS.join(', ')} (residual branches and other layers are not read)`, cls, named);
    const shape = c.batch_input_shape ?? c.batch_shape;
    if (shape !== undefined && d < 0) {
      d = shapeSize(shape, `${key}.config.batch_input_shape`);
      inputRank = (shape as unknown[]).length - 1;
      width = d;
      const dims = shape as number[];
      if (inputRank === 3) img = { h: dims[1], w: dims[2], c: dims[3] };
    }
    if (cls === 'InputLayer' || cls === 'Dropout') return;
    if (cls === 'Add') return addResidual(forkState.get(forks.get(layerName(raw)) ?? ''), key, named);
    if (cls === 'Flatten' || cls === 'Reshape') {
      if (cls === 'Reshape' && !(Array.isArray(c.target_shape) && c.target_shape.length === 1)) fail(`${key}.config.target_shape`, 'a Reshape to a flat vector ([units])', c.target_shape, JSON.stringify(c.target_shape));
      if (img !== null && chwOrder) flatFrom = img;
      img = null;
      inputRank = 1;
      return;
    }
    const name = typeof c.name === 'string' ? c.name : `layer${i}`;
    if (IMAGE_LAYERS.includes(cls as string)) {
      afterTransform(key, named);
      const image = img ?? fail(key, `a ${String(cls)} of an image (an input of shape [null, H, W, C], not flattened)`, cls, `${named} of a flat tensor`);
      if (c.data_format !== undefined && c.data_format !== 'channels_last') fail(`${key}.config.data_format`, 'channels_last', c.data_format);
      const pair = (v: unknown, what: string, dflt?: [number, number]): [number, number] => {
        const p = v === undefined || v === null ? dflt : typeof v === 'number' ? [v, v] : v;
        if (!Array.isArray(p) || p.length !== 2 || !p.every((x) => Number.isInteger(x) && (x as number) >= 1)) return fail(`${key}.config.${what}`, 'one or two positive integers', v, JSON.stringify(v));
        return p as [number, number];
      };
      const padding = c.padding ?? 'valid';
      if (cls !== 'ZeroPadding2D' && cls !== 'GlobalAveragePooling2D' && padding !== 'valid' && padding !== 'same') fail(`${key}.config.padding`, "'valid' or 'same'", padding);
      if (cls === 'Conv2D') {
        const [kh, kw] = pair(c.kernel_size, 'kernel_size');
        const [sh, sw] = pair(c.strides, 'strides', [1, 1]);
        const [dh, dw] = pair(c.dilation_rate, 'dilation_rate', [1, 1]);
        const m = c.filters;
        if (!Number.isInteger(m) || (m as number) < 1) fail(`${key}.config.filters`, 'a positive integer', m);
        if ((c.groups ?? 1) !== 1) fail(`${key}.config.groups`, '1', c.groups);
        const kernel = weights.take(`${name}/kernel`, `${key} (Conv2D "${name}") kernel`);
        if (kernel.shape.join(',') !== [kh, kw, image.c, m].join(',')) fail(`weightsManifest (${name}/kernel)`, `shape [${kh}, ${kw}, ${image.c}, ${String(m)}]`, kernel.shape, JSON.stringify(kernel.shape));
        let bias: Float64Array | null = null;
        if (c.use_bias !== false) {
          bias = weights.take(`${name}/bias`, `${key} (Conv2D "${name}") bias`).values;
          if (bias.length !== m) fail(`weightsManifest (${name}/bias)`, `${String(m)} values`, bias.length);
        }
        trained += kernel.values.length + (bias?.length ?? 0);
        const map = convDense(kernelFromHwio(kernel.values, kh, kw, image.c, m as number), m as number, bias, image, tfAxis(image.h, kh, sh, dh, padding as 'valid'), tfAxis(image.w, kw, sw, dw, padding as 'valid'));
        pushSpatial(map);
        img = map.out;
        setActivation(c.activation, `${key}.config.activation`);
        return;
      }
      if (cls === 'ZeroPadding2D') {
        const pd = c.padding;
        const ok = Array.isArray(pd) && pd.length === 2 && pd.every((q) => Array.isArray(q) && q.length === 2 && q.every((x) => Number.isInteger(x) && (x as number) >= 0));
        if (!ok) fail(`${key}.config.padding`, '[[top, bottom], [left, right]] of non-negative integers', pd, JSON.stringify(pd));
        const [[top, bottom], [left, right]] = pd as number[][];
        const map = padDense(image, top, left, bottom, right);
        pushSpatial(map);
        img = map.out;
        return;
      }
      if (cls === 'GlobalAveragePooling2D') {
        if (c.keepdims === true) fail(`${key}.config.keepdims`, 'false (a flat output)', true);
        const map = avgPoolDense(image, { k: image.h, s: 1, t: 1, before: 0, after: 0 }, { k: image.w, s: 1, t: 1, before: 0, after: 0 }, true);
        pushSpatial(map);
        // a flat C vector: the channel order is the same in both layouts
        img = null;
        return;
      }
      const [ph, pw] = pair(c.pool_size, 'pool_size', [2, 2]);
      const [sh, sw] = pair(c.strides, 'strides', [ph, pw]);
      const ah = tfAxis(image.h, ph, sh, 1, padding as 'valid');
      const aw = tfAxis(image.w, pw, sw, 1, padding as 'valid');
      if (cls === 'AveragePooling2D') {
        // TensorFlow averages over the in-range cells of a 'same' window
        const map = avgPoolDense(image, ah, aw, false);
        pushSpatial(map);
        img = map.out;
        return;
      }
      const pool = maxPoolBlock(image, ah, aw) ?? fail(key, 'a MaxPooling2D whose every window meets the image', cls, named);
      const id = {};
      pool.layers.forEach((m, q) => {
        if (q > 0) pending = 'relu';
        pushSpatial(m, { id, index: q, length: pool.layers.length, lipschitz: pool.lipschitz });
      });
      img = pool.out;
      return;
    }
    if (cls === 'Activation') return setActivation(c.activation, `${key}.config.activation`);
    if (cls === 'ReLU' || cls === 'LeakyReLU' || cls === 'ELU') return setActivation(layerActivation(cls, c, key, named, fail), key, true);
    if (cls === 'BatchNormalization') {
      afterTransform(key, named);
      // over the features of a flat input (the last axis of [batch, units]), or the channels of an image (axis -1
      // or 3 of [batch, H, W, C]): one affine map per channel, repeated over its H x W positions
      const axis: unknown = c.axis === undefined ? -1 : Array.isArray(c.axis) && c.axis.length === 1 ? (c.axis as unknown[])[0] : c.axis;
      const image = img;
      if (image !== null ? !(axis === -1 || axis === 3) : !(axis === -1 || (axis === 1 && (layers.length > 0 || inputRank === 1)))) fail(`${key}.config.axis`, image !== null ? "an image's channel axis (-1)" : 'the feature axis of a flat input (-1)', c.axis, JSON.stringify(c.axis));
      if (image === null && layers.length === 0 && inputRank !== 1) fail(key, 'a BatchNormalization of a flat input (after Flatten), of an image or of a layer', cls, `${named} of an input of rank ${inputRank}`);
      const units = image !== null ? image.c : layers.length > 0 ? layers[layers.length - 1].outputs : width;
      const part = (w: string, use: unknown, fill: number) => {
        if (use === false) return new Float64Array(units).fill(fill);
        const t = weights.take(`${name}/${w}`, `${key} (BatchNormalization "${name}") ${w}`);
        if (t.values.length !== units) fail(`weightsManifest (${name}/${w})`, `${units} values (the ${image !== null ? 'channels' : 'features'} normalised)`, t.shape, JSON.stringify(t.shape));
        return t.values;
      };
      const gammas = part('gamma', c.scale, 1);
      const betas = part('beta', c.center, 0);
      folded += (c.scale === false ? 0 : units) + (c.center === false ? 0 : units);
      const mean = part('moving_mean', true, 0);
      const variance = part('moving_variance', true, 1);
      const eps = c.epsilon === undefined ? 0.001 : c.epsilon;
      if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps)) fail(`${key}.config.epsilon`, 'a finite number >= 0', eps);
      const perChannel = batchNormAffine(gammas, betas, mean, variance, eps as number) ?? fail(`${key}`, 'a BatchNormalization with moving_variance + epsilon > 0 and finite parameters', named);
      // of an image: each channel's map at each of its positions, in the order the running value has (C x H x W
      // once a spatial map ran, the file's H x W x C before)
      const bn = image === null ? perChannel : expandChannels(perChannel, image, chwOrder);
      if (norm !== null) fail(key, 'one BatchNormalization between two Dense layers', cls, `${named} after another`);
      // right after a Dense layer (no activation since): folded into it; else into the next Dense layer
      if (layers.length > 0 && pending === 'linear') layers[layers.length - 1] = foldAfter(layers[layers.length - 1], bn);
      else norm = bn;
      return;
    }
    // Dense
    afterTransform(key, named);
    if (img !== null) fail(key, 'a Dense of a flat tensor (Flatten the image first)', cls, `${named} of an image`);
    const units = c.units;
    if (!Number.isInteger(units) || (units as number) < 1) fail(`${key}.config.units`, 'a positive integer', units);
    const kernel = weights.take(`${name}/kernel`, `${key} (Dense "${name}") kernel`);
    const inputs = kernel.shape.length === 2 ? kernel.shape[0] : -1;
    if (kernel.shape.length !== 2 || kernel.shape[1] !== units) fail(`weightsManifest (${name}/kernel)`, `shape [inputs, ${String(units)}]`, kernel.shape, JSON.stringify(kernel.shape));
    if (width >= 0 && inputs !== width) fail(`weightsManifest (${name}/kernel)`, `shape [${width}, ${String(units)}] (the previous layer's output size)`, kernel.shape, JSON.stringify(kernel.shape));
    if (d < 0) d = inputs;
    const out = units as number;
    // Keras kernels are inputs x units; the network's weights are units x inputs
    let W: Float64Array = new Float64Array(out * inputs);
    for (let r = 0; r < inputs; r++) for (let u = 0; u < out; u++) W[u * inputs + r] = kernel.values[r * out + u];
    // after a Flatten of an image in C x H x W order: the kernel's rows are channels-last
    if (flatFrom !== null) {
      W = permuteColumns(W, out, flatFrom, 'chw');
      flatFrom = null;
    }
    trained += kernel.values.length;
    let B: Float64Array = new Float64Array(out);
    if (c.use_bias !== false) {
      const bias = weights.take(`${name}/bias`, `${key} (Dense "${name}") bias`);
      if (bias.values.length !== out) fail(`weightsManifest (${name}/bias)`, `${out} values`, bias.shape, JSON.stringify(bias.shape));
      B = bias.values;
      trained += out;
    }
    pushLayer({ weights: W, biases: B, inputs, outputs: out });
    setActivation(c.activation, `${key}.config.activation`);
  });
  if (layers.length === 0) fail(`${layersPath}`, 'at least one Dense layer', rawLayers, 'no Dense layer');
  if (norm !== null) fail(`${layersPath}`, 'a Dense layer after each BatchNormalization that follows an activation (it is folded into that layer)', 'BatchNormalization', 'a BatchNormalization at the end, after an activation');
  if (pending !== null && pending !== 'linear') {
    // an activation on the output: an identity layer after it keeps the last layer affine
    const m = layers[layers.length - 1].outputs;
    const I = new Float64Array(m * m);
    for (let i = 0; i < m; i++) I[i * m + i] = 1;
    acts.push(pending);
    layers.push({ weights: I, biases: new Float64Array(m), inputs: m, outputs: m });
  }
  weights.requireAllUsed();
  requireBoundedActivations(layers, acts, (l, rows, shown) => fail(`weightsManifest (layer ${l + 1})`, ACTIVATION_BOUND_RULE, rows, shown));
  return mlpNetwork(layers, acts, { outputTransform: (transform as { kind: OutputTransform } | null)?.kind, foldedParameters: folded, parameterCount: trained });
}

/**
 * The activation of a ReLU, LeakyReLU or ELU layer: its `alpha` (Keras' defaults: 0.3 for LeakyReLU, 1 for
 * ELU; a LeakyReLU of alpha 0 is relu). A ReLU with a cap (`max_value`) or a threshold is refused.
 */
function layerActivation(cls: string, c: Obj, key: string, named: string, fail: (field: string, rule: string, value: unknown, shown?: string) => never): NetworkActivation {
  if (cls === 'ReLU') {
    for (const k of ['max_value', 'maxValue', 'threshold', 'negative_slope']) {
      const v = c[k];
      if (v !== undefined && v !== null && v !== 0) fail(`${key}.config.${k}`, `a ReLU without ${k} (a plain relu; use LeakyReLU for a slope below 0)`, v, `${named} with ${k} ${JSON.stringify(v)}`);
    }
    return 'relu';
  }
  const alpha = c.alpha ?? (cls === 'ELU' ? 1 : 0.3);
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || (cls === 'ELU' && !(alpha > 0))) fail(`${key}.config.alpha`, cls === 'ELU' ? 'a finite number > 0' : 'a finite number', alpha);
  const a = Number(alpha);
  return cls === 'ELU' ? `elu(${a})` : a === 0 ? 'relu' : `leaky-relu(${a})`;
}

/**
 * The layers a functional model's layer takes its input from: Keras 2 / tfjs write
 * `inbound_nodes: [[[name, node, tensor, {}], ...]]`, Keras 3 `[{args: [{config: {keras_history: [name, ...]}}]}]`.
 */
function inboundNames(nodes: unknown): string[][] | null {
  if (!Array.isArray(nodes)) return null;
  return nodes.map((node) => {
    if (Array.isArray(node)) return node.map((t) => (Array.isArray(t) && typeof t[0] === 'string' ? t[0] : '?'));
    const names: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (isObj(v)) {
        if (Array.isArray(v.keras_history) && typeof v.keras_history[0] === 'string') names.push(v.keras_history[0]);
        else Object.values(v).forEach(walk);
      }
    };
    walk(node);
    return names;
  });
}

/**
 * A functional model is read when its layers form a chain, in their listed order, but for residual blocks:
 * each layer takes one input, the layer before it, except an Add, which takes the layer before it and one
 * earlier layer (the block's input); the model has one input and one output, the last layer. Other branches
 * (two heads, a concatenation) are refused naming the first layer off the chain. Returns, for each Add's name,
 * the layer it takes again.
 */
function requireChain(cfg: Obj, layers: unknown[], layersPath: string, fail: (field: string, rule: string, value: unknown, shown?: string) => never): Map<string, string> {
  const name = (l: unknown) => (isObj(l) ? (typeof l.name === 'string' ? l.name : isObj(l.config) && typeof l.config.name === 'string' ? l.config.name : '') : '');
  const rule = 'a chain of layers, each taking the one before it (no branches but residual blocks ending in an Add)';
  const adds = new Map<string, string>();
  layers.forEach((l, i) => {
    if (i === 0 || !isObj(l)) return;
    const ins = inboundNames(l.inbound_nodes);
    if (ins === null) return;
    const flat = ins.flat();
    const prev = name(layers[i - 1]);
    const earlier = layers.slice(0, i - 1).map(name);
    if (l.class_name === 'Add' && ins.length === 1 && flat.length === 2 && flat.includes(prev)) {
      const other = flat[0] === prev ? flat[1] : flat[0];
      if (earlier.includes(other)) {
        adds.set(name(l), other);
        return;
      }
    }
    if (ins.length !== 1 || flat.length !== 1 || flat[0] !== prev) fail(`${layersPath}[${i}].inbound_nodes`, rule, flat.join(', '), `layer "${name(l)}" takes ${flat.length === 0 ? 'nothing' : flat.map((n) => `"${n}"`).join(', ')}${i > 0 ? `, not "${prev}"` : ''}`);
  });
  const outs = Array.isArray(cfg.output_layers) ? cfg.output_layers : null;
  const last = name(layers[layers.length - 1]);
  if (outs !== null && (outs.length !== 1 || !Array.isArray(outs[0]) || outs[0][0] !== last)) fail(`${layersPath.replace(/\.layers$/, '')}.output_layers`, `one output, the last layer "${last}"`, outs, JSON.stringify(outs));
  // forks: the layers an Add takes again, keyed by the Add
  return adds;
}

/** A per-channel affine map of an image, repeated over its positions: C x H x W order (`chw`) or channels-last. */
function expandChannels(bn: BatchNormAffine, img: Chw, chw: boolean): BatchNormAffine {
  const n = img.c * img.h * img.w;
  const ch = (i: number) => (chw ? Math.floor(i / (img.h * img.w)) : i % img.c);
  const each = (v: Float64Array) => Float64Array.from({ length: n }, (_, i) => v[ch(i)]);
  return { a: each(bn.a), c: each(bn.c), aError: each(bn.aError), cError: each(bn.cError) };
}

/** The identity map of n values as a dense layer. */
function identityLayer(n: number): DenseLayer {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return { weights: I, biases: new Float64Array(n), inputs: n, outputs: n };
}

interface Tensor {
  readonly shape: number[];
  readonly values: Float64Array;
}

/** Decodes every weight of the manifest, in order, from the shards (each group's shards concatenated). */
function readWeights(manifest: unknown, readShard: (path: string) => Uint8Array, fail: (field: string, rule: string, value: unknown, shown?: string) => never) {
  if (!Array.isArray(manifest) || manifest.length === 0) fail('weightsManifest', 'a non-empty array of {paths, weights}', manifest);
  const byName = new Map<string, Tensor>();
  const order: string[] = [];
  (manifest as unknown[]).forEach((group, g) => {
    const key = `weightsManifest[${g + 1}]`;
    if (!isObj(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) return fail(key, 'an object with "paths" and "weights" arrays', group);
    const paths = group.paths as unknown[];
    const parts = paths.map((p, s) => (typeof p === 'string' && p.length > 0 ? readShard(p) : fail(`${key}.paths[${s + 1}]`, 'a file name', p)));
    const total = parts.reduce((t, b) => t + b.length, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const b of parts) {
      bytes.set(b, at);
      at += b.length;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let off = 0;
    (group.weights as unknown[]).forEach((w, k) => {
      const wkey = `${key}.weights[${k + 1}]`;
      if (!isObj(w) || typeof w.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((v) => Number.isInteger(v) && (v as number) >= 0)) return fail(wkey, 'an entry {name, shape, dtype}', w);
      const shape = w.shape as number[];
      const q = isObj(w.quantization) ? w.quantization : null;
      const dtype = q ? q.dtype : w.dtype;
      if (typeof dtype !== 'string' || DTYPE_BYTES[dtype] === undefined || (q === null && dtype !== 'float32')) fail(`${wkey}.dtype`, 'float32, or uint8/uint16 with affine quantization (scale, min)', dtype, `${JSON.stringify(dtype)} (weight ${w.name})`);
      if (q && !(typeof q.scale === 'number' && typeof q.min === 'number' && Number.isFinite(q.scale) && Number.isFinite(q.min))) fail(`${wkey}.quantization`, 'an affine quantization {dtype, scale, min}', q, JSON.stringify(q));
      const size = shape.reduce((a, b) => a * b, 1);
      const nb = DTYPE_BYTES[dtype];
      if (off + size * nb > total) fail(`${key}.paths`, `shards holding ${off + size * nb} bytes or more (weight ${w.name} ends there)`, paths, `${total} bytes in ${paths.join(', ')}`);
      const values = new Float64Array(size);
      for (let i = 0; i < size; i++) {
        const p = off + i * nb;
        const raw = nb === 4 ? view.getFloat32(p, true) : nb === 2 ? view.getUint16(p, true) : view.getUint8(p);
        values[i] = q ? raw * (q.scale as number) + (q.min as number) : raw;
        if (!Number.isFinite(values[i])) fail(`${wkey} (${w.name})`, 'finite values', values[i], `${values[i]} at entry ${i + 1}`);
      }
      off += size * nb;
      byName.set(w.name, { shape, values });
      order.push(w.name);
    });
    if (off !== total) fail(`${key}.paths`, `shards of exactly ${off} bytes (the weights listed)`, paths, `${total} bytes`);
  });
  const used = new Set<string>();
  return {
    /** The weight `name` (also as `.../name` or `name:0`, as converters write them). */
    take(name: string, what: string): Tensor {
      const hit = order.find((n) => !used.has(n) && (n === name || n === `${name}:0` || n.endsWith(`/${name}`) || n.endsWith(`/${name}:0`)));
      if (hit === undefined) return fail('weightsManifest', `an entry for the ${what}`, name, `no weight named ${JSON.stringify(name)}`);
      used.add(hit);
      return byName.get(hit)!;
    },
    requireAllUsed(): void {
      const left = order.find((n) => !used.has(n));
      if (left !== undefined) fail('weightsManifest', 'weights of the Dense and BatchNormalization layers only', left, `an unused weight ${JSON.stringify(left)}`);
    },
  };
}
