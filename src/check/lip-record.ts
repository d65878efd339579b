/**
 * Re-checks the bounds of a `lip --model --json` result from its files alone (docs/science.md, "The independent
 * checker"): each lower bound from its witness (a pair's secant, a point's gradient norm, a Jacobian's
 * singular value), recomputed in outward-rounded interval arithmetic from the network file, must not exceed
 * the interval's low end, and each witness must lie in the domain; each upper bound is checked from its
 * certificate where the result carries one.
 * @module
 */
import { dotIntervals, mul, norm, point, sum, type Interval } from './interval.js';
import { forward, forwardLoose, headGradient, type CheckedLayer } from './network.js';
import type { CheckedDomain } from './domain.js';
import { nums, witnessLow, type Evaluator } from './witness.js';
import { lipSdpBound, type LipSdpData } from './lipsdp.js';
import { spectralProductBound } from './spectral-product.js';
import { deepLipSdpBound } from './lipsdp-deep.js';

/** The network as the checker needs it. */
export interface CheckedNetwork {
  readonly layers: readonly CheckedLayer[];
  readonly activations: readonly string[];
  readonly outputs: number;
}

/** One bound's verdict: checked, rejected (with what failed) or not checkable (with why). */
export interface BoundCheck {
  /** Which record and bound: `f` (the result itself) or `output 2`, and `lower` or `upper`. */
  readonly record: string;
  readonly bound: 'lower' | 'upper' | 'verdict';
  readonly value: number | null;
  readonly status: 'checked' | 'rejected' | 'not checkable';
  /** What was recomputed, what failed, or why it cannot be checked. */
  readonly detail: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The network as an {@link Evaluator}. */
export function networkEvaluator(net: CheckedNetwork): Evaluator {
  return {
    inputs: net.layers[0].inputs,
    outputs: net.outputs,
    values: (x, c) => {
      const pre = forward(net.layers, net.activations, x);
      if (typeof pre === 'string') return pre;
      const out = pre[pre.length - 1];
      return c === null ? out : [sum(out.map((v, i) => mul(point(c[i]), v)))];
    },
    valuesLoose: (x) => forwardLoose(net.layers, net.activations, x),
    gradient: (x, c, pattern) => headGradient(net.layers, net.activations, x, c, pattern),
  };
}

/**
 * Lip(c^T f) exactly, enclosed, for a relu (or linear) network whose hidden layers' weights and biases and whose
 * head c^T W_D are all nonnegative: every activation pattern's gradient lies entrywise between 0 and the
 * all-active one, which the open positive orthant attains, so Lip = ||c^T W_D ... W_1|| on R^d or a centred ball
 * (docs/science.md section 10). A reason where the network is not such.
 */
function allActive(net: CheckedNetwork, c: readonly number[] | null, D: CheckedDomain): Interval | string {
  if (c === null) return 'the l2 -> l2 value of nonnegative networks is not checked';
  if (D.kind !== 'ball' && D.kind !== 'Rd') return `nonnegative networks on a ${D.kind} are not checked`;
  const { layers } = net;
  const hidden = layers.slice(0, -1);
  if (!net.activations.every((a) => a === 'relu' || a === 'linear') || layers.some((L) => L.weightError || L.biasError)) return 'not a relu network with exact weights';
  if (!hidden.every((L) => L.weights.every((x) => x >= 0) && L.biases.every((x) => x >= 0))) return 'a hidden layer with a negative weight or bias';
  const last = layers[layers.length - 1];
  let v: Interval[] = Array.from({ length: last.inputs }, (_, i) => dotIntervals(c.length, (r) => point(c[r]), (r) => last.weights[r * last.inputs + i]));
  if (!v.every((x) => x.lo >= 0)) return 'a head c^T W_D with an entry not certainly nonnegative';
  for (let l = hidden.length - 1; l >= 0; l--) {
    const L = hidden[l];
    const u = v;
    v = Array.from({ length: L.inputs }, (_, i) => dotIntervals(L.outputs, (r) => u[r], (r) => L.weights[r * L.inputs + i]));
  }
  return norm(v);
}

/** Checks one lower bound: the witness's value must be at least the reported bound. */
function checkLower(net: CheckedNetwork, record: string, value: unknown, w: unknown, method: unknown, c: readonly number[] | null, D: CheckedDomain): BoundCheck {
  const v = typeof value === 'number' ? value : null;
  if (v === null) return { record, bound: 'lower', value: null, status: 'rejected', detail: 'the lower bound is not a number' };
  if (v === 0) return { record, bound: 'lower', value: v, status: 'checked', detail: 'a lower bound of 0 holds for every function' };
  if (!isObj(w)) return { record, bound: 'lower', value: v, status: 'not checkable', detail: 'no witness' };
  const exact = w.type === 'certificate' && method === 'exact (nonnegative-all-active)' ? allActive(net, c, D) : null;
  const low = exact === null ? witnessLow(networkEvaluator(net), w, c, D) : typeof exact === 'string' ? exact : exact.lo;
  if (typeof low === 'string') return { record, bound: 'lower', value: v, status: 'not checkable', detail: low };
  if (typeof low === 'object') return { record, bound: 'lower', value: v, status: 'rejected', detail: low.refuted };
  return low >= v
    ? { record, bound: 'lower', value: v, status: 'checked', detail: `the ${String(w.type)} witness gives at least ${low}` }
    : { record, bound: 'lower', value: v, status: 'rejected', detail: `the ${String(w.type)} witness gives only ${low}, below the reported ${v}` };
}

/**
 * The upper bound: checked from its certificate where the result carries one (a one-hidden-layer LipSDP-Neuron
 * certificate of f, or of one output c = e_i), else not checkable, naming the method.
 */
function checkUpper(net: CheckedNetwork, record: string, value: unknown, method: unknown, estimates: unknown, c: readonly number[] | null, D: CheckedDomain): BoundCheck {
  const v = typeof value === 'number' ? value : null;
  if (v === null) return { record, bound: 'upper', value: null, status: 'checked', detail: 'no upper bound reported' };
  const est: unknown = Array.isArray(estimates) ? (estimates as unknown[]).find((e) => isObj(e) && e.kind === 'upper' && e.method === method && e.value === v) : undefined;
  const open = (why: string): BoundCheck => ({ record, bound: 'upper', value: v, status: 'not checkable', detail: `${String(method)}: ${why}` });
  if (method === 'nonnegative-all-active') {
    const e = allActive(net, c, D);
    if (typeof e === 'string') return open(e);
    return e.hi <= v ? { record, bound: 'upper', value: v, status: 'checked', detail: `||c^T W_D ... W_1|| is at most ${e.hi}` } : { record, bound: 'upper', value: v, status: 'rejected', detail: `||c^T W_D ... W_1|| is up to ${e.hi}, above the reported ${v}` };
  }
  const raw = isObj(est) && isObj(est.witness) && isObj(est.witness.data) ? est.witness.data : null;
  if (raw === null) return open('the result carries no certificate data for the checker yet');
  // the output layer of the function bounded: all outputs, or one (c = e_i; a margin's certificate is of a rewritten head)
  const i = c === null ? -1 : c.findIndex((x) => x === 1);
  if (c !== null && !(c.filter((x) => x !== 0).length === 1 && i >= 0)) return open('a certificate of a margin head is not checked');
  const last = net.layers[net.layers.length - 1];
  const row = (a: Float64Array | undefined, n: number) => a?.subarray(i * n, (i + 1) * n);
  const head = i < 0 ? last : { weights: row(last.weights, last.inputs)!, biases: last.biases.subarray(i, i + 1), inputs: last.inputs, outputs: 1, weightError: row(last.weightError, last.inputs), biasError: row(last.biasError, 1) };
  const layers = [...net.layers.slice(0, -1), head];
  let r: { bound: number } | { reason: string; rejected: boolean };
  let what: string;
  if (raw.kind === 'spectral-product') {
    r = spectralProductBound(layers, net.activations, raw);
    what = 'spectral product';
  } else if (raw.kind === 'lipsdp-neuron' && layers.length === 2) {
    const R = D.kind === 'Rd' ? Number.POSITIVE_INFINITY : D.kind === 'ball' && D.radius !== undefined ? D.radius : Number.NaN;
    if (Number.isNaN(R)) return open(`a certificate on a ${D.kind} is not checked`);
    r = lipSdpBound(layers[0], layers[1], net.activations[0], raw as unknown as LipSdpData, R);
    what = 'LipSDP-Neuron certificate';
  } else if (raw.kind === 'lipsdp-deep') {
    const R = D.kind === 'Rd' ? Number.POSITIVE_INFINITY : D.kind === 'ball' && D.radius !== undefined ? D.radius : Number.NaN;
    if (Number.isNaN(R)) return open(`a certificate on a ${D.kind} is not checked`);
    r = deepLipSdpBound(layers, net.activations, raw, R);
    what = 'LipSDP-Neuron certificate (several hidden layers)';
  } else return open(`certificate data of kind ${String(raw.kind)} is not checked`);
  if ('reason' in r) return r.rejected ? { record, bound: 'upper', value: v, status: 'rejected', detail: `${String(method)}: ${r.reason}` } : open(r.reason);
  return r.bound <= v
    ? { record, bound: 'upper', value: v, status: 'checked', detail: `the ${what} proves at most ${r.bound}` }
    : { record, bound: 'upper', value: v, status: 'rejected', detail: `the ${what} proves only ${r.bound}, above the reported ${v}` };
}

/** Whether parsed JSON is a `lip --model --json` result. */
export function isLipResult(json: unknown): json is Obj {
  return isObj(json) && typeof json.model === 'string' && 'lower' in json && 'witness' in json && isObj(json.domainSpec);
}

/**
 * Every bound of a `lip --model --json` result (the scalar or l2 -> l2 result and, for several outputs, each
 * output's), checked against the network read from its file.
 */
export function checkLipResult(json: Obj, net: CheckedNetwork): BoundCheck[] {
  const D = json.domainSpec as CheckedDomain;
  const out: BoundCheck[] = [];
  const head = nums(json.head);
  const vector = json.norm === 'l2 -> l2';
  const name = vector ? 'f (l2 -> l2)' : typeof json.of === 'string' ? json.of : 'f';
  const c = vector ? null : (head ?? [1]);
  out.push(checkLower(net, name, json.lower, json.witness, json.lowerMethod, c, D), checkUpper(net, name, json.upper, json.upperMethod, json.estimates, c, D));
  if (Array.isArray(json.perOutput))
    for (const r of json.perOutput as unknown[]) {
      if (!isObj(r) || typeof r.output !== 'number') continue;
      const c = Array.from({ length: net.outputs }, (_, i) => (i === r.output ? 1 : 0));
      out.push(checkLower(net, `f_${r.output}`, r.lower, r.witness, r.lowerMethod, c, D), checkUpper(net, `f_${r.output}`, r.upper, r.upperMethod, r.estimates, c, D));
    }
  return out;
}
