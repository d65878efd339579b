/**
 * Activation families with a parameter, as networks read from files use them: leaky relu (PyTorch's
 * nn.LeakyReLU, Keras' LeakyReLU) and elu (nn.ELU, Keras' ELU). Each member is an {@link Activation} named
 * with its parameter (`leaky-relu(0.01)`, `elu(1)`), so that a network's activations stay a list of names;
 * {@link activationNamed} resolves any name, fixed or parametric (docs/science.md, "Activations of networks").
 * @module
 */
import { ACTIVATION, isActivation, type Activation } from './activation.js';

/** A leaky relu's name: `leaky-relu(alpha)`, alpha the slope for t < 0. */
export type LeakyReluName = `leaky-relu(${number})`;
/** An elu's name: `elu(alpha)`, s(t) = alpha (e^t - 1) for t < 0. */
export type EluName = `elu(${number})`;

/** Absolute widening of a computed slope (exp is within 1 ulp; the product rounds once). */
const WIDEN = 1e-15;

/**
 * Leaky relu, s(t) = t for t > 0, alpha t otherwise (alpha finite; any sign): s' in {alpha, 1}, so its slopes
 * lie in [min(alpha, 1), max(alpha, 1)]; on an interval, those of the sides it meets. Exact slopes: no widening.
 */
export function leakyRelu(alpha: number): Activation<LeakyReluName> {
  if (!Number.isFinite(alpha)) throw new Error(`bug: leaky relu slope ${alpha}`);
  const lo = Math.min(alpha, 1);
  const hi = Math.max(alpha, 1);
  return {
    name: `leaky-relu(${alpha})`,
    f: (t) => (t > 0 ? t : alpha * t),
    df: (t) => (t > 0 ? 1 : alpha),
    d2f: () => 0,
    lip: Math.max(Math.abs(alpha), 1),
    slopeRange: [lo, hi],
    atZero: 0,
    supAbs: (T) => T * Math.max(Math.abs(alpha), 1),
    supAbsDf: () => Math.max(Math.abs(alpha), 1),
    supAbsD2f: () => (alpha === 1 ? 0 : Number.POSITIVE_INFINITY),
    slopeOn: (zlo, zhi) => (zlo >= 0 ? [1, 1] : zhi <= 0 ? [alpha, alpha] : [lo, hi]),
    even: false,
    kinks: alpha !== 1,
  };
}

/**
 * Elu, s(t) = t for t > 0, alpha (e^t - 1) otherwise (alpha > 0): s' = 1 on the right, alpha e^t (rising to
 * alpha) on the left, so its slopes lie in [0, max(1, alpha)]; on [zlo, zhi] in the range of s' there
 * (alpha e^zlo up to alpha e^min(zhi, 0), and 1 if zhi > 0), widened by 1e-15 relative.
 */
export function elu(alpha: number): Activation<EluName> {
  if (!(Number.isFinite(alpha) && alpha > 0)) throw new Error(`bug: elu alpha ${alpha}`);
  const top = Math.max(1, alpha);
  return {
    name: `elu(${alpha})`,
    f: (t) => (t > 0 ? t : alpha * Math.expm1(t)),
    df: (t) => (t > 0 ? 1 : alpha * Math.exp(t)),
    d2f: (t) => (t > 0 ? 0 : alpha * Math.exp(t)),
    lip: top,
    slopeRange: [0, top],
    atZero: 0,
    supAbs: (T) => Math.max(T, alpha),
    supAbsDf: () => top,
    supAbsD2f: () => (alpha === 1 ? 1 : Number.POSITIVE_INFINITY),
    slopeOn: (zlo, zhi) => {
      const vals: number[] = [];
      if (zlo <= 0) vals.push(alpha * Math.exp(zlo), alpha * Math.exp(Math.min(zhi, 0)));
      if (zhi > 0) vals.push(1);
      const lo = Math.min(...vals);
      const hi = Math.max(...vals);
      return [Math.max(0, lo - WIDEN * top), Math.min(top, hi + WIDEN * top)];
    },
    even: false,
    kinks: alpha !== 1,
  };
}

const FAMILY = /^(leaky-relu|elu)\((-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\)$/;
const built = new Map<string, Activation<string>>();

/**
 * The activation named `name`: a key of the table ({@link ACTIVATION}) or a family member
 * (`leaky-relu(alpha)`, `elu(alpha)` with alpha > 0, written as `String(alpha)` writes it); null for any
 * other name.
 */
export function activationNamed(name: string): Activation<string> | null {
  if (isActivation(name)) return ACTIVATION[name];
  const hit = built.get(name);
  if (hit !== undefined) return hit;
  const m = FAMILY.exec(name);
  if (m === null) return null;
  const alpha = Number(m[2]);
  if (String(alpha) !== m[2] || (m[1] === 'elu' && !(alpha > 0))) return null;
  const act = m[1] === 'elu' ? elu(alpha) : leakyRelu(alpha);
  built.set(name, act);
  return act;
}
