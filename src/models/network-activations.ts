import { type Activation } from '../activations/activation.js';
import { activationNamed, type EluName, type LeakyReluName } from '../activations/family.js';

/**
 * The fixed activations a network's hidden layers may use (robustlaw-mlp/1 files use relu or tanh;
 * TensorFlow.js and ONNX files any of these, and the families leaky relu and elu with their parameter:
 * {@link NetworkActivation}). Each has slopes in [alpha, beta] ({@link activationSlope}).
 */
export const NETWORK_ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'softplus', 'gelu', 'linear'] as const;
/** A hidden layer's activation: a fixed one, or a family member named with its parameter (`leaky-relu(0.01)`, `elu(1)`). */
export type NetworkActivation = (typeof NETWORK_ACTIVATIONS)[number] | LeakyReluName | EluName;

/** Whether `name` is a network activation (fixed, or a family member: src/activations/family.ts). */
export function isNetworkActivation(name: unknown): name is NetworkActivation {
  return typeof name === 'string' && ((NETWORK_ACTIVATIONS as readonly string[]).includes(name) || (/^(leaky-relu|elu)\(/.test(name) && activationNamed(name) !== null));
}

/** The activation table's entry of a network activation (src/activations/activation.ts, family.ts). */
export function networkActivation(name: NetworkActivation): Activation<string> {
  const act = activationNamed(name);
  if (act === null) throw new Error(`bug: ${JSON.stringify(name)} is not a network activation`);
  return act;
}

/**
 * Slope bounds of a network activation, alpha <= (s(a) - s(b)) / (a - b) <= beta, its Lipschitz constant
 * max(|alpha|, |beta|) and |s(0)|: the activation table's (docs/science.md section 3, vector outputs).
 */
export function activationSlope(name: NetworkActivation): { readonly alpha: number; readonly beta: number; readonly lip: number; readonly atZero: number } {
  const act = networkActivation(name);
  const [alpha, beta] = act.slopeRange;
  return { alpha, beta, lip: Math.max(Math.abs(alpha), Math.abs(beta)), atZero: act.atZero };
}
