import type { Domain } from '../domain.js';
import type { LipEstimate } from '../estimate.js';
import { lipSdpDeepUpper, lipSdpUpper, type LipSdpOptions } from './lipsdp-neuron.js';
import { reluExactLipschitz } from '../relu-exact.js';
import { reluBranchAndBound } from './relu-branch-and-bound.js';

/** A dense layer as the network models hold it: weights out x in (row-major) and biases. */
interface Layer {
  readonly weights: Float64Array;
  readonly biases: Float64Array;
  readonly inputs: number;
  readonly outputs: number;
}

/**
 * Iteration cap of the certificate inside the models' upper bounds (the sweep computes one per instance):
 * 5e6 / ((k + m) min(d, k + m)^2), the work of one evaluation (section 9.4), 2e7 / ... for several outputs,
 * clamped to [10, 300]: small nets converge fully, a 784-50-10 net gets about 93 iterations (l2 -> l2; 23 for
 * each output alone) and the default sweep's random features
 * (k up to 2,500, d = 25) 10 to 40 (docs/evidence.md). A capped solve gives a looser certificate, never a
 * wrong one.
 */
export function modelSdpIterations(k: number, d: number, m = 1): number {
  const side = Math.min(d, k + m);
  // several outputs come only from network files, bounded one at a time (never in a sweep): 4x the budget
  const budget = m > 1 ? 2e7 : 5e6;
  return Math.round(Math.min(300, Math.max(10, budget / Math.max(1, (k + m) * side * side))));
}

/**
 * The LipSDP-Neuron certificate (docs/science.md section 9) of a network given as dense layers, where it
 * applies: activations whose slopes are bounded on D (one hidden layer: section 9.2; several: section
 * 9.5, slopes by interval arithmetic through the layers). l2 -> l2 for several outputs. Null otherwise.
 */
export function lipSdpForLayers(layers: readonly Layer[], activations: readonly string[], D: Domain, radius: number, options: LipSdpOptions = {}): LipEstimate | null {
  if (layers.length > 2) {
    // several hidden layers (section 9.5): the work of one evaluation is about R min(d, R)^2 + R^3, R = units + m
    const R = layers.slice(0, -1).reduce((s, L) => s + L.outputs, 0) + layers[layers.length - 1].outputs;
    const side = Math.min(layers[0].inputs, R);
    const iterations = Math.round(Math.min(1000, Math.max(10, 2e7 / (R * side * side + R ** 3))));
    return lipSdpDeepUpper(layers, activations, D, radius, { maxIterations: iterations, ...options }).estimate;
  }
  if (layers.length !== 2 || activations.length !== 1) return null;
  const [L1, L2] = layers;
  return lipSdpUpper(
    { W: L1.weights, b: L1.biases, V: L2.weights, k: L1.outputs, d: L1.inputs, m: L2.outputs, activation: activations[0] },
    D,
    radius,
    { maxIterations: modelSdpIterations(L1.outputs, L1.inputs, L2.outputs), ...options },
  ).estimate;
}

/** The most hidden units for which {@link networkCertificate} runs the branch and bound (docs/science.md section 9.6). */
export const BNB_MAX_UNITS = 64;

/** The most inputs for which {@link networkCertificate} runs the branch and bound. */
export const BNB_MAX_INPUTS = 64;

/**
 * Multiply-adds the branch and bound of {@link networkCertificate} may spend on its nodes' solvers: the solver
 * iterations of all nodes together are at most 1.5e8 / (the work of one evaluation: the products as
 * {@link lipSdpForLayers} estimates them plus 20 min(d, units + 1)^3 for the eigen-decomposition), counted as
 * the solver reports them (deterministic), with at most 2,000 nodes, the root at the plain certificate's
 * iteration cap and the other nodes at most 50 (their bounds need not be tight: complete patterns are exact).
 * Only where one evaluation costs at most {@link BNB_MAX_EVALUATION}. Measured (2 cores, loaded): the small
 * nets of docs/evidence.md all converge (2-10-10-1: 333 nodes, 0.5 s); a 10-64-1 net stops after about 5,600
 * iterations (0.8 s); 64-64-1, 8-32-32-1 and 20-20-20-20-1 nets keep the plain certificate. The bound is valid
 * at any stop; the budget only costs tightness.
 */
export const BNB_WORK = 1.5e8;

/** The largest work of one evaluation (as in {@link BNB_WORK}) for which the branch and bound runs. */
export const BNB_MAX_EVALUATION = 5e4;

/** What {@link networkBounds} gives: the certified upper bound and, from the same branch and bound, a certified lower bound. */
export interface NetworkBounds {
  readonly upper: LipEstimate | null;
  /** The branch and bound's `relu-region` lower bound (docs/science.md section 9.6, "Lower bound"), or null where it did not run or found none in D. */
  readonly lower: LipEstimate | null;
}

/**
 * The certificate of a network file's model (`lip --model`, check-model): for a relu network with one output,
 * at most {@link BNB_MAX_UNITS} hidden units and {@link BNB_MAX_INPUTS} inputs, the branch and bound over
 * activation patterns (`lipsdp-bnb`, docs/science.md section 9.6; its root is the plain certificate, and its
 * bound is at most the root's) with tolerance 0.5% and a work budget from {@link BNB_WORK}; elsewhere the
 * plain LipSDP-Neuron certificate of {@link lipSdpForLayers}. The fitted classes (random features, two-layer
 * nets) use {@link lipSdpForTwoLayer}, not this. The upper bound of {@link networkBounds}.
 */
export function networkCertificate(layers: readonly Layer[], activations: readonly string[], D: Domain, radius: number): LipEstimate | null {
  return networkBounds(layers, activations, D, radius).upper;
}

/**
 * {@link networkCertificate}'s upper bound together with the lower bound of the same search: where the branch
 * and bound runs, the largest gradient norm ||g_s|| (1 - (17 d + 8) u) of a region shown non-empty, in exact
 * arithmetic, by a point x of D (method `relu-region`; Lip_D(f) >= ||g_s|| because f is affine with gradient
 * g_s on an open neighbourhood of x, docs/science.md section 9.6, "Lower bound"); null elsewhere. One search
 * gives both.
 */
export function networkBounds(layers: readonly Layer[], activations: readonly string[], D: Domain, radius: number): NetworkBounds {
  const H = layers.length - 1;
  const units = layers.slice(0, H).reduce((s, L) => s + L.outputs, 0);
  const d = layers[0]?.inputs ?? 0;
  const plain = (): NetworkBounds => ({ upper: lipSdpForLayers(layers, activations, D, radius), lower: null });
  if (H < 1 || units > BNB_MAX_UNITS || d > BNB_MAX_INPUTS || layers[H].outputs !== 1 || !activations.every((a) => a === 'relu')) return plain();
  // the plain certificate's iteration caps (lipSdpForLayers) for every node, and the work of one evaluation
  const R = units + 1;
  const side = Math.min(d, R);
  const iterations = H === 1 ? modelSdpIterations(units, d, 1) : Math.round(Math.min(1000, Math.max(10, 2e7 / (R * side * side + R ** 3))));
  // one evaluation: the products of lipSdpForLayers' estimates plus 20 side^3 for the eigen-decomposition (as FITTED_SDP_MAX_WORK)
  const evaluation = (H === 1 ? R * side * side : R * side * side + R ** 3) + 20 * side ** 3;
  if (evaluation > BNB_MAX_EVALUATION) return plain();
  const maxSolverIterations = Math.floor(BNB_WORK / evaluation);
  const bnb = reluBranchAndBound(layers, activations, D, radius, { maxIterations: iterations, nodeIterations: Math.min(iterations, 50), maxNodes: 2000, maxSolverIterations });
  return { upper: bnb.upper ?? lipSdpForLayers(layers, activations, D, radius), lower: bnb.lower };
}

/**
 * The certificate of f(x) = sum_j a_j s(w_j . x + b_j) + c (random features, two-layer nets) over D, or null
 * (docs/science.md section 9).
 */
export function lipSdpForTwoLayer(net: { readonly W: Float64Array; readonly b: Float64Array; readonly a: Float64Array; readonly k: number; readonly d: number; readonly act: { readonly name: string } }, D: Domain, radius: number, options: LipSdpOptions = {}): LipEstimate | null {
  // a fitted model's certificate is computed for every instance of a sweep: only where one evaluation is
  // cheap (docs/performance.md, "The certificate's budget"); beyond, the class's spectral and sum bounds stand
  const side = Math.min(net.d, net.k + 1);
  if ((net.k + 1) * side * side + 20 * side ** 3 > FITTED_SDP_MAX_WORK) return null;
  return lipSdpUpper({ W: net.W, b: net.b, V: net.a, k: net.k, d: net.d, m: 1, activation: net.act.name }, D, radius, { maxIterations: modelSdpIterations(net.k, net.d), ...options }).estimate;
}

/**
 * Largest estimated work of one solver evaluation for which the fitted random-feature and two-layer
 * models compute the certificate: (k + 1) min(d, k + 1)^2 multiply-adds for the Gram product plus
 * 20 min(d, k + 1)^3 for the eigen-decomposition, at most 1e7 (measured here, 2026-11-27: about 0.02 s per
 * evaluation, 0.1-0.4 s per instance). A sweep computes one certificate per instance, so beyond this budget
 * the classes' spectral and sum bounds stand (docs/performance.md, "The certificate's budget"). The default
 * sweep (d = 25, k <= 2,500: at most 2e6) is inside; the peer grid (d = 100: 0.8 s at k = 800, 4.5 s at
 * k = 12,800) and Bombari's scale (d = 1,000) are not. A network file's certificate (`lip --model`) is not
 * budgeted this way.
 */
export const FITTED_SDP_MAX_WORK = 1e7;

/** Largest input dimension for which the models' exact values enumerate activation patterns (cost grows like k^d). */
export const MODEL_ENUMERATION_MAX_INPUTS = 8;

/**
 * The exact Lipschitz constant over R^d of a relu network with one output, at most 20 hidden units and at
 * most {@link MODEL_ENUMERATION_MAX_INPUTS} inputs, by pattern enumeration with a budget of 20,000 search nodes
 * (docs/science.md section 10); null elsewhere, on other domains, or when the budget runs out.
 */
export function reluExactForLayers(layers: readonly Layer[], activations: readonly string[], D: Domain): LipEstimate | null {
  if (D.kind !== 'Rd' || layers.length < 2 || layers[0].inputs > MODEL_ENUMERATION_MAX_INPUTS) return null;
  return reluExactLipschitz(layers, activations, { maxNodes: 20000 }).estimate;
}

/** The smaller of two certified upper bounds (either may be missing); the first on a tie. */
export function tighterUpper(a: LipEstimate | null, b: LipEstimate | null): LipEstimate | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.value < a.value ? b : a;
}
