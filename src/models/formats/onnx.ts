/**
 * ONNX models of dense networks (as PyTorch's `torch.onnx.export` writes an MLP) read as an
 * {@link MlpNetwork}, through the ONNX protobuf schema (the `onnx-proto` package, protobufjs).
 * @module
 */
import { createRequire } from 'node:module';
import type onnxProto from 'onnx-proto';
import { InputError } from '../../core/input-error.js';
import { ACTIVATION_BOUND_RULE, mlpNetwork, requireBoundedActivations, type DenseLayer, type LayerBlock, type MlpNetwork, type OutputTransform } from '../mlp.js';
import { batchNormAffine, foldAfter, foldBefore, type BatchNormAffine } from './batch-norm.js';
import { avgPoolDense, convDense, maxPoolBlock, padDense, type Axis, type Chw, type DenseMap } from './spatial-ops.js';
import { residualLayers } from './residual.js';
import { type NetworkActivation } from '../network-activations.js';

/** The ONNX protobuf schema, loaded on first use: a command that reads no ONNX file does not load protobufjs
 * and the schema (docs/performance.md, "Start-up"). */
let loaded: typeof onnxProto.onnx | null = null;
function schema(): typeof onnxProto.onnx {
  loaded ??= (createRequire(import.meta.url)('onnx-proto') as typeof onnxProto).onnx;
  return loaded;
}
type Long = { toNumber(): number };
type IModelProto = ReturnType<typeof onnxProto.onnx.ModelProto.decode>;
type ITensorProto = NonNullable<NonNullable<IModelProto['graph']>['initializer']>[number];
type INodeProto = NonNullable<NonNullable<IModelProto['graph']>['node']>[number];

/**
 * The ONNX operators the tool reads: affine layers (Gemm, MatMul + Add), activations, BatchNormalization
 * (folded into the neighbouring affine layer, batch-norm.ts), Dropout and Identity (the identity at
 * inference), Flatten and Reshape to a flat tensor, 2-D Conv (groups 1), AveragePool, GlobalAveragePool and
 * zero Pad of a C x H x W tensor (their dense matrices, spatial-ops.ts), MaxPool (exact relu layers with its
 * Lipschitz bound, spatial-ops.ts), and Softmax or LogSoftmax as the last
 * node (dropped: f is the logits, MlpNetwork.outputTransform).
 */
export const ONNX_OPS = ['Gemm', 'MatMul', 'Add', 'Conv', 'AveragePool', 'MaxPool', 'GlobalAveragePool', 'Pad', 'Relu', 'LeakyRelu', 'Elu', 'Gelu', 'Tanh', 'Sigmoid', 'Softplus', 'BatchNormalization', 'Dropout', 'Flatten', 'Reshape', 'Identity', 'Softmax', 'LogSoftmax', 'Constant'] as const;
const TRANSFORM_OPS: Readonly<Record<string, OutputTransform>> = { Softmax: 'softmax', LogSoftmax: 'log-softmax' };
const ACT_OPS: Readonly<Record<string, NetworkActivation>> = { Relu: 'relu', Tanh: 'tanh', Sigmoid: 'sigmoid', Softplus: 'softplus', Gelu: 'gelu' };
/** How PyTorch (opset < 20) writes nn.GELU(): x / sqrt 2, Erf, + 1, times x, times 0.5 (read as one gelu). */
const GELU_PATTERN = 'a gelu as PyTorch exports it (Div by sqrt 2, Erf, Add 1, Mul by the Div\'s input, Mul by 0.5)';

/** An int64 field as protobufjs decodes it (a number, or a Long where the `long` package is present). */
const num = (x: unknown): number => (typeof x === 'number' ? x : typeof x === 'object' && x !== null && typeof (x as Long).toNumber === 'function' ? (x as Long).toNumber() : 0);
/** TensorProto.DataType FLOAT and DOUBLE, DataLocation EXTERNAL (onnx.proto). */
const FLOAT = 1;
const DOUBLE = 11;
const EXTERNAL = 1;

/**
 * Decodes `bytes` as an ONNX ModelProto with a graph of at least one node, or returns null (the bytes are
 * not an ONNX model: the caller then tries the other formats).
 */
export function decodeOnnx(bytes: Uint8Array): IModelProto | null {
  try {
    const model = schema().ModelProto.decode(bytes);
    return num(model.irVersion) > 0 && model.graph && (model.graph.node?.length ?? 0) > 0 ? model : null;
  } catch {
    return null;
  }
}

/** A tensor's values (FLOAT or DOUBLE, raw or typed fields) and dims. */
function tensorValues(t: ITensorProto, fail: (field: string, rule: string, value: unknown, shown?: string) => never): { dims: number[]; values: Float64Array } {
  const dims = (t.dims ?? []).map(num);
  const size = dims.reduce((a, b) => a * b, 1);
  const name = t.name ?? '';
  if (Number(t.dataLocation ?? 0) === EXTERNAL) fail(`initializer ${name}`, 'stored inside the .onnx file (external data is not read)', name);
  const type = Number(t.dataType ?? 0);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : null;
  let values: Float64Array;
  if (type === FLOAT) {
    if (raw) {
      if (raw.length !== 4 * size) fail(`initializer ${name}`, `${4 * size} bytes of float32 (dims ${dims.join(' x ')})`, raw.length, `${raw.length} bytes`);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      values = Float64Array.from({ length: size }, (_, i) => view.getFloat32(4 * i, true));
    } else values = Float64Array.from(t.floatData ?? []);
  } else if (type === DOUBLE) {
    if (raw) {
      if (raw.length !== 8 * size) fail(`initializer ${name}`, `${8 * size} bytes of float64 (dims ${dims.join(' x ')})`, raw.length, `${raw.length} bytes`);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      values = Float64Array.from({ length: size }, (_, i) => view.getFloat64(8 * i, true));
    } else values = Float64Array.from(t.doubleData ?? []);
  } else {
    return fail(`initializer ${name}`, 'a FLOAT or DOUBLE tensor', type, `data type ${schema().TensorProto.DataType[type] ?? type}`);
  }
  if (values.length !== size) fail(`initializer ${name}`, `${size} values (dims ${dims.join(' x ')})`, values.length, `${values.length} values`);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(`initializer ${name}`, 'finite values', values[bad], `${values[bad]} at entry ${bad + 1}`);
  return { dims, values };
}

/**
 * Reads an ONNX model (`bytes`, a serialized ModelProto) of a dense network: one graph input, a chain of
 * {@link ONNX_OPS} from it to the one graph output, weights as initializers (or Constant nodes) of FLOAT or
 * DOUBLE type. Gemm (alpha, beta, transB; transA = 0) and MatMul then Add are affine layers; Relu, Tanh,
 * Sigmoid, Softplus activations; Flatten (before the first affine layer) and Identity pass through. Two
 * affine layers in a row have a linear activation between them; an activation on the output gets an
 * identity layer after it. The first unsupported operator is refused naming it and what is supported; every
 * error is one {@link InputError} with parameter `onnx.<what>` and `source` as context.
 */
export function parseOnnx(bytes: Uint8Array, source = 'model.onnx'): MlpNetwork {
  const fail = (field: string, rule: string, value: unknown, shown?: string): never => {
    throw new InputError(field ? `onnx.${field}` : 'onnx', rule, value, { context: source, shown });
  };
  const model = decodeOnnx(bytes);
  if (model === null) return fail('', 'an ONNX model (a ModelProto with a graph)', `${bytes.length} bytes`);
  const graph = model.graph!;
  const init = new Map<string, ITensorProto>();
  for (const t of graph.initializer ?? []) init.set(t.name ?? '', t);
  const inputs = (graph.input ?? []).filter((v) => !init.has(v.name ?? ''));
  if (inputs.length !== 1) fail('graph.input', 'one input (the network input x)', inputs.length, `${inputs.length} inputs (${inputs.map((v) => v.name).join(', ')})`);
  const outputs = graph.output ?? [];
  if (outputs.length !== 1) fail('graph.output', 'one output', outputs.length, `${outputs.length} outputs`);
  const declared = (inputs[0].type?.tensorType?.shape?.dim ?? []).slice(1).map((x) => num(x.dimValue));
  const declaredD = declared.length > 0 && declared.every((v) => v > 0) ? declared.reduce((a, b) => a * b, 1) : -1;

  type Step =
    | { kind: 'affine'; W: Float64Array; b: Float64Array | null; inputs: number; outputs: number; node: string; weightError?: Float64Array; biasError?: Float64Array; block?: LayerBlock }
    | { kind: 'act'; act: NetworkActivation; node: string; scale?: number }
    | { kind: 'norm'; bn: BatchNormAffine; units: number; node: string }
    | { kind: 'fork'; tensor: string; chw: Chw | null; width: number; node: string }
    | { kind: 'residual'; layers: DenseLayer[]; acts: NetworkActivation[]; node: string };
  let transform: { kind: OutputTransform; node: string } | null = null;
  let folded = 0;
  // the file's trained parameters (weights and biases of Gemm, MatMul + Add and Conv): the law's p
  let trained = 0;
  const steps: Step[] = [];
  let current = inputs[0].name ?? '';
  const weight = (name: string, node: string): { dims: number[]; values: Float64Array } => {
    const t = init.get(name);
    if (t === undefined) return fail(`node ${node}`, 'an operand that is an initializer (a weight) besides the running value', name, `${JSON.stringify(name)}, not a weight`);
    return tensorValues(t, fail);
  };
  const attr = (n: INodeProto, name: string, dflt: number, kind: 'f' | 'i'): number => {
    const a = (n.attribute ?? []).find((x) => x.name === name);
    return a === undefined ? dflt : kind === 'f' ? (a.f ?? dflt) : num(a.i);
  };
  const ints = (n: INodeProto, name: string): number[] | null => {
    const a = (n.attribute ?? []).find((x) => x.name === name);
    return a === undefined ? null : (a.ints ?? []).map(num);
  };
  // the running value's shape: C x H x W (an image, NCHW without the batch) or flat
  let chw: Chw | null = declared.length === 3 && declared.every((v) => v > 0) ? { c: declared[0], h: declared[1], w: declared[2] } : null;
  const spatial = (m: DenseMap, node: string) => {
    steps.push({ kind: 'affine', W: m.weights, b: m.biases, inputs: m.inputs, outputs: m.outputs, node, ...(m.weightError ? { weightError: m.weightError } : {}) });
    chw = m.out;
  };
  /** The window geometry of a Conv or pooling node: kernel, strides, dilations, pads (auto_pad NOTSET only). */
  const windows = (n: INodeProto, label: string, kernel: number[]): [Axis, Axis] => {
    const auto = (n.attribute ?? []).find((x) => x.name === 'auto_pad');
    const autoPad = auto?.s ? new TextDecoder().decode(auto.s) : 'NOTSET';
    if (autoPad !== 'NOTSET' && autoPad !== 'VALID') fail(`node ${label}`, 'explicit pads (auto_pad NOTSET or VALID)', autoPad);
    if (attr(n, 'ceil_mode', 0, 'i') !== 0) fail(`node ${label}`, 'ceil_mode 0 (floor)', 1);
    const st = ints(n, 'strides') ?? [1, 1];
    const dl = ints(n, 'dilations') ?? [1, 1];
    const pd = ints(n, 'pads') ?? [0, 0, 0, 0];
    if (kernel.length !== 2 || st.length !== 2 || dl.length !== 2 || pd.length !== 4) fail(`node ${label}`, 'a 2-D window (kernel, strides, dilations of 2 values, pads of 4)', kernel.join(' x '));
    if (![...kernel, ...st, ...dl].every((v) => Number.isInteger(v) && v >= 1) || !pd.every((v) => Number.isInteger(v) && v >= 0)) fail(`node ${label}`, 'positive kernel, strides and dilations and non-negative pads', [...kernel, ...st, ...dl, ...pd].join(', '));
    return [
      { k: kernel[0], s: st[0], t: dl[0], before: pd[0], after: pd[2] },
      { k: kernel[1], s: st[1], t: dl[1], before: pd[1], after: pd[3] },
    ];
  };
  const needImage = (label: string, op: string): Chw => chw ?? fail(`node ${label}`, `a ${op} of an image (the graph input declared N x C x H x W)`, op, `${op} of a flat tensor`);
  const intValues = (name: string, label: string): number[] => {
    const t = init.get(name) ?? fail(`node ${label}`, 'an operand that is an initializer', name);
    const raw = t.rawData && t.rawData.length > 0 ? t.rawData : null;
    if (Number(t.dataType ?? 0) !== 7) fail(`node ${label}`, 'an INT64 tensor', name);
    if (raw) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      return Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true)));
    }
    return (t.int64Data ?? []).map(num);
  };
  /**
   * The dense layers of a list of steps whose input has `inputWidth` values (-1: unknown): a BatchNormalization
   * right after an affine layer (no activation since) is folded into it, one after an activation (or before the
   * first layer) into the next affine layer; a gelu's kappa moves into the layers around it. `assemble.last`
   * holds what is left open at the end: the activation after the last layer and a pending 1 / kappa.
   */
  const assemble = Object.assign(
    (list: readonly Step[], inputWidth: number) => {
      const layers: DenseLayer[] = [];
      const acts: NetworkActivation[] = [];
      let pending: NetworkActivation | null = null;
      let norm: { bn: BatchNormAffine; node: string } | null = null;
      // an activation s(kappa z) / kappa read as s: kappa moves into the layers around it (gelu with the file's sqrt 2)
      let unscale: BatchNormAffine | null = null;
      const prevOut = (fallback: number) => (layers.length > 0 ? layers[layers.length - 1].outputs : inputWidth >= 0 ? inputWidth : fallback);
      for (const s of list) {
        if (s.kind === 'fork') continue;
        if (s.kind === 'act') {
          pending = s.act;
          if (s.scale !== undefined) {
            const prev = layers.length - 1;
            layers[prev] = foldAfter(layers[prev], scaleMap(s.scale, layers[prev].outputs));
            unscale = scaleMap(1 / s.scale, layers[prev].outputs, 2);
          }
          continue;
        }
        if (s.kind === 'norm') {
          const width = prevOut(-1);
          if (s.units !== width) fail(`node ${s.node}`, `a BatchNormalization of ${width} features (the running value's)`, s.units);
          if (norm !== null) fail(`node ${s.node}`, 'one BatchNormalization between two affine layers', s.node);
          if (layers.length > 0 && pending === null) layers[layers.length - 1] = foldAfter(layers[layers.length - 1], s.bn);
          else norm = { bn: s.bn, node: s.node };
          continue;
        }
        const add: DenseLayer[] = s.kind === 'residual' ? s.layers : [{ weights: s.W, biases: s.b ?? new Float64Array(s.outputs), inputs: s.inputs, outputs: s.outputs, ...(s.weightError ? { weightError: s.weightError } : {}), ...(s.biasError ? { biasError: s.biasError } : {}), ...(s.block ? { block: s.block } : {}) }];
        const into = prevOut(add[0].inputs);
        if (add[0].inputs !== into) fail(`node ${s.node}`, `a weight of ${into} inputs (the ${layers.length > 0 ? "previous layer's outputs" : "graph input's size"})`, add[0].inputs);
        if (layers.length > 0) acts.push(pending ?? 'linear');
        pending = null;
        let layer = add[0];
        // the input passes the 1 / kappa first, then a BatchNormalization: W (bn (x / kappa))
        if (norm !== null) {
          layer = foldBefore(layer, norm.bn);
          norm = null;
        }
        if (unscale !== null) {
          layer = foldBefore(layer, unscale);
          unscale = null;
        }
        layers.push(layer);
        if (s.kind === 'residual')
          s.layers.slice(1).forEach((L, q) => {
            acts.push(s.acts[q]);
            layers.push(L);
          });
      }
      assemble.last = { pending, unscale };
      return { layers, acts, norm };
    },
    { last: { pending: null as NetworkActivation | null, unscale: null as BatchNormAffine | null } },
  );
  const nodes = graph.node ?? [];
  // Constant nodes first, so that a pattern's constants are known when it is matched
  for (const n of nodes) {
    const v = n.opType === 'Constant' ? (n.attribute ?? []).find((a) => a.name === 'value')?.t : undefined;
    if (v) init.set((n.output ?? [])[0] ?? '', { ...v, name: (n.output ?? [])[0] ?? '' });
  }
  /** The one value of a constant operand, or NaN. */
  const scalar = (name: string | undefined): number => {
    const t = name === undefined ? undefined : init.get(name);
    if (t === undefined) return Number.NaN;
    try {
      const { values } = tensorValues(t, fail);
      return values.length === 1 ? values[0] : Number.NaN;
    } catch {
      return Number.NaN;
    }
  };
  /**
   * Nodes k.. as PyTorch's gelu (GELU_PATTERN) on the running value x: 0.5 x (1 + erf(x / c)) = x Phi(kappa x)
   * with kappa = sqrt 2 / c (c, the file's sqrt 2, within float32 rounding of it). Returns kappa, the pattern's
   * output and the nodes it takes, or null.
   */
  const geluAt = (k: number, x: string): { kappa: number; out: string; taken: number[] } | null => {
    const taken: number[] = [];
    let j = k;
    const next = (): INodeProto | null => {
      while (j < nodes.length && nodes[j].opType === 'Constant') j++;
      if (j >= nodes.length) return null;
      taken.push(j);
      return nodes[j++];
    };
    const one = (n: INodeProto | null, op: string, from: string): { other: string | undefined; out: string } | null => {
      if (n === null || n.opType !== op) return null;
      const ins = (n.input ?? []).filter((q) => q !== '');
      if (ins.length !== (op === 'Erf' ? 1 : 2) || !ins.includes(from) || (op === 'Div' && ins[0] !== from)) return null;
      return { other: ins.find((q) => q !== from) ?? (ins[0] === ins[1] ? ins[0] : undefined), out: (n.output ?? [])[0] ?? '' };
    };
    const div = one(next(), 'Div', x);
    const c = scalar(div?.other);
    if (div === null || !(Math.abs(c - Math.SQRT2) <= 2 ** -23 * Math.SQRT2)) return null;
    const erf = one(next(), 'Erf', div.out);
    const add = erf && one(next(), 'Add', erf.out);
    const mul = add && scalar(add.other) === 1 ? one(next(), 'Mul', add.out) : null;
    const half = mul && mul.other === x ? one(next(), 'Mul', mul.out) : null;
    if (half === null || scalar(half.other) !== 0.5) return null;
    return { kappa: Math.SQRT2 / c, out: half.out, taken };
  };
  const skip = new Set<number>();
  // residual Adds: an Add of two running values (neither a weight); each value an Add takes may be the input of
  // a residual block, so a 'fork' step marks where the chain passes it
  const forks = new Set(nodes.filter((n) => n.opType === 'Add' && (n.input ?? []).filter((q) => q !== '' && !init.has(q)).length === 2).flatMap((n) => n.input ?? []));
  /** The running value's size: the image's, the last affine layer's outputs, or the declared input's (-1: unknown). */
  const runningWidth = (): number => {
    if (chw !== null) return chw.c * chw.h * chw.w;
    for (let i = steps.length - 1; i >= 0; i--) {
      const st = steps[i];
      if (st.kind === 'affine') return st.outputs;
      if (st.kind === 'residual') return st.layers[st.layers.length - 1].outputs;
    }
    return declaredD;
  };
  const advance = (to: string, label: string) => {
    current = to;
    if (forks.has(to)) steps.push({ kind: 'fork', tensor: to, chw, width: runningWidth(), node: label });
  };
  advance(current, 'graph.input');
  nodes.forEach((n, k) => {
    if (skip.has(k)) return;
    const op = n.opType ?? '';
    // named as the file holds it: graph.node[k] (from 0), its operator and its name
    const label = `graph.node[${k}] (${op}${n.name ? ` "${n.name}"` : ''})`;
    if (n.domain && n.domain !== 'ai.onnx') fail(`node ${label}`, 'an operator of the default ONNX domain', n.domain);
    if (op === 'Div') {
      const g = geluAt(k, current);
      if (g !== null) {
        const prev = steps[steps.length - 1];
        if (prev === undefined || (prev.kind !== 'affine' && prev.kind !== 'residual')) fail(`node ${label}`, 'a gelu after an affine layer', op);
        if (transform !== null) fail(`node ${label}`, `nothing after the output's ${transform.kind}`, op);
        g.taken.forEach((q) => skip.add(q));
        steps.push({ kind: 'act', act: 'gelu', node: label, ...(g.kappa !== 1 ? { scale: g.kappa } : {}) });
        advance(g.out, label);
        return;
      }
    }
    if (!(ONNX_OPS as readonly string[]).includes(op)) fail(`node ${label}`, `an operator the tool reads: ${ONNX_OPS.join(', ')}, or ${GELU_PATTERN}`, op, `${JSON.stringify(op)}`);
    if (transform !== null && op !== 'Constant') fail(`node ${label}`, `nothing after the output's ${transform.kind} (node ${transform.node}): a softmax is read only as the last node, where it is dropped and the logits are bounded`, op, JSON.stringify(op));
    const ins = (n.input ?? []).filter((s) => s !== '');
    const out = (n.output ?? [])[0] ?? '';
    if (op === 'Constant') {
      // registered before the loop
      if (!(n.attribute ?? []).some((a) => a.name === 'value' && a.t)) fail(`node ${label}`, 'a Constant with a tensor "value"', op);
      return;
    }
    const other = ins.filter((s) => s !== current);
    if (ins.length === other.length) fail(`node ${label}`, `a node on the chain from the input (taking ${JSON.stringify(current)})`, ins.join(', '), `inputs ${ins.join(', ')}`);
    if (op === 'Identity' || op === 'Dropout') {
      // Dropout at inference (training_mode absent or false, as an eval-mode export writes it): the identity
      const mode = op === 'Dropout' && ins[2] !== undefined ? init.get(ins[2]) : undefined;
      if (mode !== undefined && ((mode.rawData ?? []).some((v) => v !== 0) || (mode.int32Data ?? []).some((v) => v !== 0))) fail(`node ${label}`, 'a Dropout in inference mode (export with model.eval())', 'training_mode = true');
    } else if (op === 'Flatten' || op === 'Reshape') {
      // to a flat tensor (batch x everything): the values keep their order, so nothing to compute
      if (op === 'Flatten' && attr(n, 'axis', 1, 'i') !== 1) fail(`node ${label}`, 'a Flatten with axis 1 (batch x features)', attr(n, 'axis', 1, 'i'));
      if (op === 'Reshape') {
        const to = intValues(ins[1], label);
        if (!(to.length === 2 && (to[0] === -1 || to[0] === 0 || to[0] === 1))) fail(`node ${label}`, 'a Reshape to batch x features', to.join(', '));
      }
      chw = null;
    } else if (op === 'Conv') {
      const img = needImage(label, op);
      if (attr(n, 'group', 1, 'i') !== 1) fail(`node ${label}`, 'a Conv with group 1', attr(n, 'group', 1, 'i'));
      const K = weight(ins[1], label);
      if (K.dims.length !== 4 || K.dims[1] !== img.c) fail(`node ${label}`, `a kernel M x ${img.c} x kH x kW`, K.dims.join(' x '));
      const [kh, kw] = windows(n, label, ints(n, 'kernel_shape') ?? K.dims.slice(2));
      if (kh.k !== K.dims[2] || kw.k !== K.dims[3]) fail(`node ${label}`, `kernel_shape ${K.dims[2]} x ${K.dims[3]} (the kernel's)`, `${kh.k} x ${kw.k}`);
      const bias = ins[2] !== undefined ? weight(ins[2], label).values : null;
      if (bias !== null && bias.length !== K.dims[0]) fail(`node ${label}`, `a bias of ${K.dims[0]} values`, bias.length);
      trained += K.values.length + (bias?.length ?? 0);
      spatial(convDense(K.values, K.dims[0], bias, img, kh, kw), label);
    } else if (op === 'AveragePool') {
      const img = needImage(label, op);
      const [kh, kw] = windows(n, label, ints(n, 'kernel_shape') ?? fail(`node ${label}`, 'a kernel_shape', 'none'));
      spatial(avgPoolDense(img, kh, kw, attr(n, 'count_include_pad', 0, 'i') !== 0), label);
    } else if (op === 'MaxPool') {
      const img = needImage(label, op);
      if (attr(n, 'storage_order', 0, 'i') !== 0 || (n.output ?? []).filter((o) => o !== '').length > 1) fail(`node ${label}`, 'a MaxPool with one output (no indices)', op);
      const [kh, kw] = windows(n, label, ints(n, 'kernel_shape') ?? fail(`node ${label}`, 'a kernel_shape', 'none'));
      const pool = maxPoolBlock(img, kh, kw) ?? fail(`node ${label}`, 'pads below the kernel (no window entirely in the padding)', op);
      const id = {};
      pool.layers.forEach((m, q) => {
        if (q > 0) steps.push({ kind: 'act', act: 'relu', node: label });
        steps.push({ kind: 'affine', W: m.weights, b: m.biases, inputs: m.inputs, outputs: m.outputs, node: label, block: { id, index: q, length: pool.layers.length, lipschitz: pool.lipschitz } });
      });
      chw = pool.out;
    } else if (op === 'GlobalAveragePool') {
      const img = needImage(label, op);
      spatial(avgPoolDense(img, { k: img.h, s: 1, t: 1, before: 0, after: 0 }, { k: img.w, s: 1, t: 1, before: 0, after: 0 }, true), label);
    } else if (op === 'Pad') {
      const img = needImage(label, op);
      const mode = (n.attribute ?? []).find((x) => x.name === 'mode')?.s;
      if (mode && new TextDecoder().decode(mode) !== 'constant') fail(`node ${label}`, 'constant (zero) padding', new TextDecoder().decode(mode));
      if (ins[2] !== undefined && weight(ins[2], label).values.some((v) => v !== 0)) fail(`node ${label}`, 'zero padding (constant_value 0)', 'a nonzero value');
      const pads = ins[1] !== undefined ? intValues(ins[1], label) : (ints(n, 'pads') ?? []);
      // [N, C, H, W] begins, then ends: only H and W may be padded
      if (pads.length !== 8 || pads[0] !== 0 || pads[1] !== 0 || pads[4] !== 0 || pads[5] !== 0 || pads.some((v) => v < 0)) fail(`node ${label}`, 'non-negative pads of H and W only (8 values)', pads.join(', '));
      spatial(padDense(img, pads[2], pads[3], pads[6], pads[7]), label);
    } else if (TRANSFORM_OPS[op] !== undefined) {
      const axis = attr(n, 'axis', num(model.opsetImport?.find((o) => !o.domain)?.version ?? 13) >= 13 ? -1 : 1, 'i');
      if (axis !== -1 && axis !== 1) fail(`node ${label}`, `a ${op} over the classes (axis -1 or 1)`, axis);
      if (!steps.some((s) => s.kind === 'affine' || s.kind === 'residual')) fail(`node ${label}`, `a ${op} after an affine layer`, op);
      transform = { kind: TRANSFORM_OPS[op], node: label };
    } else if (op === 'BatchNormalization') {
      if (attr(n, 'training_mode', 0, 'i') !== 0) fail(`node ${label}`, 'a BatchNormalization in inference mode (export with model.eval())', 'training_mode = 1');
      if (ins[0] !== current || ins.length < 5) fail(`node ${label}`, 'a BatchNormalization of the running value with scale, B, mean and var', ins.join(', '));
      let [sc, B, mean, variance] = ins.slice(1, 5).map((name) => weight(name, label).values);
      const channels = sc.length;
      if (![B, mean, variance].every((v) => v.length === channels)) fail(`node ${label}`, `scale, B, mean and var of ${channels} values each`, [B, mean, variance].map((v) => v.length).join(', '));
      folded += 2 * channels;
      // of an image (BatchNorm2d): one affine map per channel, repeated over its H x W positions
      const img = chw;
      if (img !== null) {
        if (channels !== img.c) fail(`node ${label}`, `a BatchNormalization of the image's ${img.c} channels`, channels);
        const each = (v: Float64Array) => Float64Array.from({ length: img.c * img.h * img.w }, (_, i) => v[Math.floor(i / (img.h * img.w))]);
        [sc, B, mean, variance] = [sc, B, mean, variance].map(each);
      }
      const bn = batchNormAffine(sc, B, mean, variance, attr(n, 'epsilon', 1e-5, 'f')) ?? fail(`node ${label}`, 'a BatchNormalization with var + epsilon > 0 and finite parameters', op);
      steps.push({ kind: 'norm', bn, units: sc.length, node: label });
    } else if (ACT_OPS[op] !== undefined || op === 'LeakyRelu' || op === 'Elu') {
      const prev = steps[steps.length - 1];
      if (prev === undefined) fail(`node ${label}`, 'an activation after an affine layer (Gemm, or MatMul + Add)', op);
      if (prev.kind === 'act') fail(`node ${label}`, 'one activation per affine layer', op, `${op} after ${prev.node}`);
      if (op === 'Gelu') {
        const approx = (n.attribute ?? []).find((x) => x.name === 'approximate')?.s;
        if (approx && new TextDecoder().decode(approx) !== 'none') fail(`node ${label}`, 'a Gelu with approximate "none" (the tanh approximation is not read)', new TextDecoder().decode(approx));
      }
      // LeakyRelu's alpha defaults to 0.01, Elu's to 1 (float attributes: the file's float32 value)
      const alpha = op === 'LeakyRelu' ? attr(n, 'alpha', 0.01, 'f') : op === 'Elu' ? attr(n, 'alpha', 1, 'f') : Number.NaN;
      if (op === 'Elu' && !(alpha > 0)) fail(`node ${label}`, 'an Elu with alpha > 0', alpha);
      if (op === 'LeakyRelu' && !Number.isFinite(alpha)) fail(`node ${label}`, 'a LeakyRelu with a finite alpha', alpha);
      const act: NetworkActivation = op === 'LeakyRelu' ? (alpha === 0 ? 'relu' : `leaky-relu(${alpha})`) : op === 'Elu' ? `elu(${alpha})` : ACT_OPS[op];
      steps.push({ kind: 'act', act, node: label });
    } else if (op === 'Gemm') {
      if (chw !== null) fail(`node ${label}`, 'a Gemm of a flat tensor (Flatten the image first)', op);
      if (attr(n, 'transA', 0, 'i') !== 0) fail(`node ${label}`, 'a Gemm with transA = 0', 1);
      if (ins[0] !== current) fail(`node ${label}`, 'a Gemm whose first operand A is the running value', ins[0]);
      const alpha = attr(n, 'alpha', 1, 'f');
      const beta = attr(n, 'beta', 1, 'f');
      const B = weight(ins[1], label);
      if (B.dims.length !== 2) fail(`node ${label}`, 'a 2-D weight B', B.dims.join(' x '));
      // Y = alpha A B' + beta C, B' = B^T when transB (PyTorch's nn.Linear: B is out x in)
      const transB = attr(n, 'transB', 0, 'i') !== 0;
      const [o, i] = transB ? B.dims : [B.dims[1], B.dims[0]];
      const W = new Float64Array(o * i);
      for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) W[r * i + c] = alpha * (transB ? B.values[r * i + c] : B.values[c * o + r]);
      let b: Float64Array | null = null;
      if (ins[2] !== undefined) {
        const C = weight(ins[2], label);
        if (C.values.length !== o && C.values.length !== 1) fail(`node ${label}`, `a bias C of ${o} values (or 1, broadcast)`, C.values.length);
        b = Float64Array.from({ length: o }, (_, r) => beta * C.values[C.values.length === 1 ? 0 : r]);
      }
      // alpha W and beta C round unless alpha and beta are powers of two: then their errors travel with the layer
      const exact = (v: number) => v === 0 || Math.abs(v) === 2 ** Math.round(Math.log2(Math.abs(v)));
      const rounded = (v: Float64Array) => v.map((w) => 2 ** -53 * Math.abs(w) + 4 * Number.MIN_VALUE);
      trained += B.values.length + (ins[2] !== undefined ? weight(ins[2], label).values.length : 0);
      steps.push({ kind: 'affine', W, b, inputs: i, outputs: o, node: label, ...(exact(alpha) ? {} : { weightError: rounded(W) }), ...(exact(beta) || b === null ? {} : { biasError: rounded(b) }) });
    } else if (op === 'MatMul') {
      if (chw !== null) fail(`node ${label}`, 'a MatMul of a flat tensor (Flatten the image first)', op);
      if (ins[0] !== current) fail(`node ${label}`, 'a MatMul whose first operand is the running value (x W)', ins[0]);
      const B = weight(ins[1], label);
      if (B.dims.length !== 2) fail(`node ${label}`, 'a 2-D weight', B.dims.join(' x '));
      const [i, o] = B.dims;
      const W = new Float64Array(o * i);
      for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) W[r * i + c] = B.values[c * o + r];
      trained += B.values.length;
      steps.push({ kind: 'affine', W, b: null, inputs: i, outputs: o, node: label });
    } else if (other.length === 1 && !init.has(other[0])) {
      // a residual Add: the running value (the branch's end) plus an earlier value of the chain (the block's input)
      const at = steps.findLastIndex((st) => st.kind === 'fork' && st.tensor === other[0]);
      if (at < 0) fail(`node ${label}`, 'an Add of the running value and an earlier value of the chain (a residual block)', other[0]);
      const fork = steps[at] as Extract<Step, { kind: 'fork' }>;
      if (JSON.stringify(fork.chw) !== JSON.stringify(chw)) fail(`node ${label}`, 'an Add of two tensors of one shape', op, `${JSON.stringify(chw)} and ${JSON.stringify(fork.chw)}`);
      const branchSteps = steps.splice(at);
      // a branch that starts with an activation (pre-activation blocks: s + W2 relu(W1 relu(s))) starts with I
      const first = branchSteps.find((st) => st.kind !== 'fork');
      if (first?.kind === 'act' && fork.width > 0) {
        const I = new Float64Array(fork.width * fork.width);
        for (let i = 0; i < fork.width; i++) I[i * fork.width + i] = 1;
        branchSteps.splice(1, 0, { kind: 'affine', W: I, b: null, inputs: fork.width, outputs: fork.width, node: label });
      }
      const { layers: bl, acts: ba, norm: bn } = assemble(branchSteps, fork.width);
      const { pending: final, unscale } = assemble.last;
      if (bn !== null || unscale !== null) fail(`node ${label}`, 'a residual branch ending with an affine layer or an activation (not a BatchNormalization or a gelu)', op);
      if (fork.width < 0) fail(`node ${label}`, 'a residual block whose input size is known (declare the graph input\'s shape)', op);
      const block = residualLayers({ layers: bl, acts: ba, final }, fork.width);
      if (typeof block === 'string') fail(`node ${label}`, block, op);
      const rb = block as Exclude<typeof block, string>;
      steps.push({ kind: 'residual', layers: rb.layers, acts: rb.acts, node: label });
      chw = fork.chw;
    } else {
      // Add: the bias of the affine layer just before it
      const prev = steps[steps.length - 1];
      if (prev === undefined || prev.kind !== 'affine' || prev.b !== null || other.length !== 1) fail(`node ${label}`, 'an Add of a bias right after a MatMul', op);
      const aff = prev as Extract<Step, { kind: 'affine' }>;
      const C = weight(other[0], label);
      if (C.values.length !== aff.outputs) fail(`node ${label}`, `a bias of ${aff.outputs} values`, C.values.length);
      trained += C.values.length;
      aff.b = C.values;
    }
    advance(out, label);
  });
  if (current !== outputs[0].name) fail('graph.output', `the end of the chain (${JSON.stringify(current)})`, outputs[0].name);
  const { layers, acts, norm } = assemble(steps, declaredD);
  const { unscale } = assemble.last;
  let { pending } = assemble.last;
  if (layers.length === 0) fail('graph', 'at least one affine layer (Gemm, or MatMul + Add)', 0, 'none');
  if (unscale !== null) {
    // a gelu on the output: the identity layer below takes the 1 / kappa
    const m = layers[layers.length - 1].outputs;
    const I = new Float64Array(m * m);
    for (let i = 0; i < m; i++) I[i * m + i] = 1;
    acts.push(pending!);
    pending = null;
    layers.push(foldBefore({ weights: I, biases: new Float64Array(m), inputs: m, outputs: m }, unscale));
  }
  if (norm !== null) fail(`node ${norm.node}`, 'an affine layer after a BatchNormalization that follows an activation (it is folded into that layer)', 'BatchNormalization');
  if (pending !== null) {
    const m = layers[layers.length - 1].outputs;
    const I = new Float64Array(m * m);
    for (let i = 0; i < m; i++) I[i * m + i] = 1;
    acts.push(pending);
    layers.push({ weights: I, biases: new Float64Array(m), inputs: m, outputs: m });
  }
  requireBoundedActivations(layers, acts, (l, rows, shown) => fail(`layer ${l + 1}`, ACTIVATION_BOUND_RULE, rows, shown));
  return mlpNetwork(layers, acts, { outputTransform: (transform as { kind: OutputTransform } | null)?.kind, foldedParameters: folded, parameterCount: trained });
}

/**
 * The per-unit map z -> kappa z as a {@link BatchNormAffine} (c = 0) for a kappa computed as sqrt 2 / c
 * (two roundings: within 3 u of the exact value, taken relative) or its reciprocal (one more: `extraUlps` 2).
 */
function scaleMap(kappa: number, units: number, extraUlps = 0): BatchNormAffine {
  const aErr = (3 + extraUlps) * 2 ** -53 * Math.abs(kappa);
  return { a: new Float64Array(units).fill(kappa), c: new Float64Array(units), aError: new Float64Array(units).fill(aErr), cError: new Float64Array(units) };
}

/**
 * Writes dense layers as an ONNX model the way PyTorch exports an nn.Sequential of Linear and activation
 * modules (Gemm with transB = 1, float32 initializers, opset 13; gelu as PyTorch decomposes it, leaky relu
 * and elu with their alpha as a float32 attribute): used by the example script and the tests.
 * Weights are rounded to float32 (the values the file holds).
 */
export function encodeOnnx(layers: readonly DenseLayer[], activations: readonly NetworkActivation[], producer = 'robustlaw'): Uint8Array {
  const onnx = schema();
  const initializer: ITensorProto[] = [];
  const node: INodeProto[] = [];
  let current = 'input';
  const f32 = (name: string, dims: number[], v: Float64Array) => onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(Float32Array.from(v).buffer) });
  layers.forEach((L, l) => {
    initializer.push(f32(`fc${l}.weight`, [L.outputs, L.inputs], L.weights), f32(`fc${l}.bias`, [L.outputs], L.biases));
    const out = l === layers.length - 1 ? 'output' : `/fc${l}/Gemm_output_0`;
    node.push(onnx.NodeProto.create({ name: `/fc${l}/Gemm`, opType: 'Gemm', input: [current, `fc${l}.weight`, `fc${l}.bias`], output: [out], attribute: [onnx.AttributeProto.create({ name: 'transB', i: 1, type: onnx.AttributeProto.AttributeType.INT })] }));
    current = out;
    const act = l < activations.length ? activations[l] : 'linear';
    if (act === 'gelu') {
      // as torch.onnx.export (opset 13) writes nn.GELU(): Constant nodes of float32 sqrt 2, 1 and 0.5
      const konst = (name: string, v: number) => {
        node.push(onnx.NodeProto.create({ name, opType: 'Constant', output: [`${name}_output_0`], attribute: [onnx.AttributeProto.create({ name: 'value', t: f32('', [], Float64Array.of(v)), type: onnx.AttributeProto.AttributeType.TENSOR })] }));
        return `${name}_output_0`;
      };
      const op2 = (op: string, a: string, b: string | null, name: string) => {
        node.push(onnx.NodeProto.create({ name, opType: op, input: b === null ? [a] : [a, b], output: [`${name}_output_0`] }));
        return `${name}_output_0`;
      };
      const x = current;
      const q = op2('Div', x, konst(`/act${l}/Constant`, Math.SQRT2), `/act${l}/Div`);
      const e = op2('Erf', q, null, `/act${l}/Erf`);
      const a = op2('Add', e, konst(`/act${l}/Constant_1`, 1), `/act${l}/Add`);
      const m = op2('Mul', x, a, `/act${l}/Mul`);
      current = op2('Mul', m, konst(`/act${l}/Constant_2`, 0.5), `/act${l}/Mul_1`);
    } else if (act !== 'linear') {
      const family = /^(leaky-relu|elu)\((.*)\)$/.exec(act);
      const op = family ? (family[1] === 'elu' ? 'Elu' : 'LeakyRelu') : Object.keys(ACT_OPS).find((k) => ACT_OPS[k] === act)!;
      const aout = `/act${l}/${op}_output_0`;
      const attribute = family ? [onnx.AttributeProto.create({ name: 'alpha', f: Number(family[2]), type: onnx.AttributeProto.AttributeType.FLOAT })] : [];
      node.push(onnx.NodeProto.create({ name: `/act${l}/${op}`, opType: op, input: [current], output: [aout], attribute }));
      current = aout;
    }
  });
  const valueInfo = (name: string, size: number) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: size }] } } } });
  const graph = onnx.GraphProto.create({ name: 'main_graph', node, initializer, input: [valueInfo('input', layers[0].inputs)], output: [valueInfo('output', layers[layers.length - 1].outputs)] });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, producerName: producer, opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}
