/**
 * A network of a record's certificate (random features, two-layer fits): f(x) = a . s(W x + b) + c and deeper,
 * evaluated by the checker's network code, with one-hidden-layer LipSDP-Neuron certificates.
 * @module
 */
import { count, f64s, ballRadius, type CheckedModel, type ModelJson } from '../fitted-model.js';
import { networkEvaluator } from '../lip-record.js';
import { lipSdpBound, type LipSdpData } from '../lipsdp.js';
import type { CheckedLayer } from '../network.js';

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
  const net = { layers, activations: layers.slice(1).map(() => activation), outputs: layers[layers.length - 1].outputs };
  return {
    ...networkEvaluator(net),
    exact: (method) => `a network's ${method} is not checked`,
    upper: (method, _terms, data, D) => {
      const R = ballRadius(D);
      if (method !== 'lipsdp-neuron' || typeof data !== 'object' || data === null) return { reason: `${method}: no certificate data for the checker yet`, rejected: false };
      if (layers.length !== 2 || R === null || net.outputs !== 1) return { reason: 'a certificate of a one-hidden-layer scalar network on a ball only is checked', rejected: false };
      return lipSdpBound(layers[0], layers[1], activation, data as LipSdpData, R);
    },
  };
}
