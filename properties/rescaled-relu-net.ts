/**
 * Arbitraries of small relu networks whose layers are rescaled by powers of two (docs/properties.md,
 * "Scale"): weights and biases are dyadic (m / 64 with |m| <= 64, at most 7 significant bits), so the
 * rescaled network is represented exactly down to the subnormal range and its Lipschitz constant is exactly
 * 2^E times the unscaled one (E the sum of the layers' exponents: relu is positively homogeneous and layer l's
 * bias is scaled by the exponents of layers 1..l). One concept: the drawn network and its exponents.
 */
import fc from 'fast-check';
import { ldexp } from '../src/linalg/pow2.js';
import type { ReluLayer } from '../src/lipschitz/relu-patterns.js';

/** A drawn relu net (one output), the per-layer exponents, and the same net rescaled. */
export interface RescaledReluNet {
  /** The net as drawn: weights and biases in [-1, 1], dyadic. */
  readonly base: readonly ReluLayer[];
  /** e_l per layer (the output layer included): layer l's weights times 2^e_l, its biases times 2^(e_1 + ... + e_l). */
  readonly exponents: readonly number[];
  /** The rescaled net: f_scaled = 2^E f_base, E = sum of the exponents. */
  readonly scaled: readonly ReluLayer[];
  /** E. */
  readonly E: number;
}

const dyadic = fc.integer({ min: -64, max: 64 }).map((m) => m / 64);

/** Widths d-h1-[h2-]1: d in 2..3, one or two hidden layers of 2..4 units. */
const widthsArb = fc.tuple(fc.integer({ min: 2, max: 3 }), fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 2 })).map(([d, hidden]) => [d, ...hidden, 1]);

const layersArb = (widths: readonly number[]) =>
  fc.tuple(
    ...widths.slice(1).map((o, l) =>
      fc.record({ w: fc.array(dyadic, { minLength: o * widths[l], maxLength: o * widths[l] }), b: fc.array(dyadic, { minLength: o, maxLength: o }) }).map(({ w, b }): ReluLayer => ({ inputs: widths[l], outputs: o, weights: Float64Array.from(w), biases: Float64Array.from(b) })),
    ),
  );

/** Applies the exponents: exact for dyadic entries as long as every scaled entry stays at or above 2^-1074 in its last bit. */
export function rescale(base: readonly ReluLayer[], exponents: readonly number[]): ReluLayer[] {
  let cum = 0;
  return base.map((L, l) => {
    cum += exponents[l];
    const c = cum;
    return { ...L, weights: L.weights.map((v) => ldexp(v, exponents[l])), biases: L.biases.map((v) => ldexp(v, c)) };
  });
}

/**
 * Exponent sequences from the whole double range: each e_l in [-1000, 1000], with the cumulative exponent of
 * every layer kept in [-1066, 1016] (every scaled weight and bias is then a double, represented exactly) and
 * the total E in [-900, 900] (the rescaled constant stays a normal number, so the comparison is exact).
 */
function exponentsArb(layers: number): fc.Arbitrary<number[]> {
  const step = (prefix: number[]): fc.Arbitrary<number[]> => {
    if (prefix.length === layers) return fc.constant(prefix);
    const cum = prefix.reduce((a, b) => a + b, 0);
    const last = prefix.length === layers - 1;
    const lo = Math.max(-1000, -1066 - cum, last ? -900 - cum : -Infinity);
    const hi = Math.min(1000, 1016 - cum, last ? 900 - cum : Infinity);
    return fc.integer({ min: lo, max: hi }).chain((e) => step([...prefix, e]));
  };
  return step([]);
}

/**
 * Extreme scales on purpose: one layer's weights subnormal (2^-1066 .. 2^-1040 times the drawn ones) or huge
 * (2^990 .. 2^1016), the other layers compensating, so that f itself is of ordinary size.
 */
function extremeExponentsArb(layers: number): fc.Arbitrary<number[]> {
  return fc.record({ at: fc.integer({ min: 0, max: layers - 1 }), tiny: fc.boolean(), e: fc.integer({ min: 0, max: 26 }) }).map(({ at, tiny, e }) => {
    const x = tiny ? -1066 + e : 990 + e;
    // the other layers compensate as far as they can while every weight, bias and cumulative exponent stays a
    // finite double (|share| (layers - 1) <= 1016): f stays of ordinary size, E = x + share (layers - 1)
    const others = layers - 1;
    const share = -Math.sign(x) * Math.min(1000, Math.floor(1016 / others));
    return Array.from({ length: layers }, (_, l) => (l === at ? x : share));
  });
}

const netArb = (exps: (layers: number) => fc.Arbitrary<number[]>) =>
  widthsArb.chain((widths) =>
    fc.tuple(layersArb(widths), exps(widths.length - 1)).map(([base, exponents]): RescaledReluNet => ({ base, exponents, scaled: rescale(base, exponents), E: exponents.reduce((a, b) => a + b, 0) })),
  );

/** Small relu nets with per-layer power-of-two rescalings drawn from the whole double range. */
export const rescaledReluNet: fc.Arbitrary<RescaledReluNet> = netArb(exponentsArb);

/** Small relu nets with one layer's weights subnormal or huge and the others compensating. */
export const extremeReluNet: fc.Arbitrary<RescaledReluNet> = netArb(extremeExponentsArb);
