import { ACTIVATION } from '../activations/activation.js';

/**
 * Activations a network's hidden layers may use (robustlaw-mlp/1 files use relu or tanh; TensorFlow.js and
 * ONNX files any of these: src/models/formats/). Each is monotone with slopes in [alpha, beta]
 * ({@link ACTIVATION_SLOPE}).
 */
export const NETWORK_ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'softplus', 'linear'] as const;
/** A hidden layer's activation. */
export type NetworkActivation = (typeof NETWORK_ACTIVATIONS)[number];

/**
 * Slope bounds of each network activation, alpha <= (s(a) - s(b)) / (a - b) <= beta, and |s(0)|: the
 * activation table's (src/activations/activation.ts; docs/science.md section 3, vector outputs).
 */
export const ACTIVATION_SLOPE: Readonly<Record<NetworkActivation, { readonly alpha: number; readonly beta: number; readonly atZero: number }>> = Object.fromEntries(
  NETWORK_ACTIVATIONS.map((a) => [a, { alpha: ACTIVATION[a].slopeRange[0], beta: ACTIVATION[a].slopeRange[1], atZero: ACTIVATION[a].atZero }]),
) as Record<NetworkActivation, { alpha: number; beta: number; atZero: number }>;
