/**
 * A network of a record's certificate (random features, two-layer fits): f(x) = a . s(W x + b) + c and deeper,
 * evaluated by the checker's network code, with one-hidden-layer LipSDP-Neuron certificates.
 * @module
 */
import { count, f64s, ballRadius, type CheckedModel, type ModelJson, type UpperCheck, exactAsUpper } from '../checked-model.js';
import { networkEvaluator } from '../lip-record.js';
import { lipSdpBound, type LipSdpData } from '../lipsdp.js';
import type { CheckedLayer } from '../network.js';
import { add, mul, norm, outerSum, point, sub, sum, type Interval } from '../interval.js';
import { checkedActivation } from '../activations.js';
import { spectralCheck } from '../spectral.js';
import { quadraticExact } from '../quadratic.js';
import { spectralProductBound } from '../spectral-product.js';
import { deepLipSdpBound } from '../lipsdp-deep.js';

/** The network of a certificate, or why not. */
export function networkModel(m: ModelJson): CheckedModel | string {
  if (typeof m.activation !== 'string' || !Array.isArray(m.layers) || m.layers.length === 0) return 'a network without its activation and layers';
  const layers: CheckedLayer[] = [];
  for (const L of m.layers as Record<string, unknown>[]) {
    const weights = f64s(L.weights);
    const biases = f64s(L.biases);
    const inputs = count(L.inputs);
    const outputs = count(L.outputs);
    if (weights === null || biases === null || inputs === null || outputs === null || weights.length !== inputs * outputs || biases.length !== outputs) return 'a layer without weights and biases of its sizes';
    if (layers.length > 0 && layers[layers.length - 1].outputs !== inputs) return 'layers of mismatched sizes';
    layers.push({ weights, biases, inputs, outputs });
  }
  const activation = m.activation;
  // one activation for every hidden layer, or one each (`activations`)
  const acts = Array.isArray(m.activations) && m.activations.length === layers.length - 1 ? (m.activations as unknown[]).map(String) : layers.slice(1).map(() => activation);
  const net = { layers, activations: acts, outputs: layers[layers.length - 1].outputs };
  const evaluator = networkEvaluator(net);
  const exact: CheckedModel['exact'] = (method, terms, data, D) => {
    if (method !== 'quadratic-trust-region' || activation !== 'square' || layers.length !== 2 || net.outputs !== 1) return `a network's ${method} is not checked`;
    // f = sum_j a_j s(w_j . x + b_j) with s(t) = t^2 / 2: grad f = A x + g, A = sum_j a_j w_j w_j^T, g = sum_j a_j b_j w_j
    const [{ weights: W, biases: b, inputs: d, outputs: k }, { weights: a }] = layers;
    const aW = Array.from(W, (w, e) => mul(point(a[Math.floor(e / d)]), point(w)));
    const g = Array.from({ length: d }, (_, i) => sum(Array.from({ length: k }, (_, j) => mul(aW[j * d + i], point(b[j])))));
    return quadraticExact(outerSum(aW, W, k, d, true), g, (x) => evaluator.gradient(x, [1]), terms, data, D);
  };
  return {
    ...evaluator,
    exact,
    upper: (method, terms, data, D) => {
      if (method === 'quadratic-trust-region') return exactAsUpper(exact(method, terms, data, D));
      const R = ballRadius(D);
      if ((method === 'two-layer-spectral' || method === 'two-layer-sum') && layers.length === 2 && net.outputs === 1 && R !== null && Number.isFinite(R)) return twoLayer(layers[0], layers[1].weights, activation, terms, R);
      if (typeof data !== 'object' || data === null) return { reason: `${method}: no certificate data for the checker yet`, rejected: false };
      const kind = (data as { kind?: unknown }).kind;
      if (kind === 'spectral-product' && net.outputs === 1) return spectralProductBound(layers, acts, data);
      if (kind === 'lipsdp-deep' && R !== null && net.outputs === 1) return deepLipSdpBound(layers, acts, data as Readonly<Record<string, unknown>>, R);
      if (method !== 'lipsdp-neuron') return { reason: `${method}: no certificate data for the checker yet`, rejected: false };
      if (layers.length !== 2 || R === null || net.outputs !== 1) return { reason: 'a certificate of a one-hidden-layer scalar network on a ball only is checked', rejected: false };
      return lipSdpBound(layers[0], layers[1], acts[0], data as LipSdpData, R);
    },
  };
}

/**
 * The two-layer bound (docs/science.md section 3) of f = sum_j a_j s(w_j . x + b_j) on ||x|| <= R: with S'_j the
 * sup of |s'| on b_j +- ||w_j|| R, min(||W|| sqrt(sum_j (a_j S'_j)^2), sum_j |a_j| S'_j ||w_j||), ||W|| as the
 * certificate states it, proven.
 */
function twoLayer(L1: CheckedLayer, a: Float64Array, activation: string, terms: Readonly<Record<string, unknown>>, R: number): UpperCheck {
  const s = checkedActivation(activation);
  if (s === null) return { reason: `no slope enclosure of ${activation} in the checker`, rejected: false };
  const { inputs: d, outputs: k, weights: W, biases: b } = L1;
  const aS: Interval[] = [];
  const sums: Interval[] = [];
  for (let j = 0; j < k; j++) {
    const wn = norm(Array.from(W.subarray(j * d, j * d + d), point));
    const r = mul(wn, point(R));
    const sl = s.slopes({ lo: sub(point(b[j]), r).lo, hi: add(point(b[j]), r).hi });
    const S = mul(point(Math.abs(a[j])), point(Math.max(Math.abs(sl.lo), Math.abs(sl.hi))));
    aS.push(S);
    sums.push(mul(S, wn));
  }
  let best = sum(sums).hi;
  const op = terms.opNormW;
  if (typeof op === 'number' && spectralCheck(W, k, d, op) === true) best = Math.min(best, mul(point(op), norm(aS)).hi);
  return { bound: best };
}
