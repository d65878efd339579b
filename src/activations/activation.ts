import { createRequire } from 'node:module';
/** The activations of the function classes. */
export const ACTIVATIONS = ['relu', 'tanh', 'softplus', 'square', 'cos'] as const;
/** An activation name. */
export type ActivationName = (typeof ACTIVATIONS)[number];

/**
 * Every fixed activation the library knows: the classes' ({@link ACTIVATIONS}) and those of networks read
 * from files (sigmoid, gelu, linear; the families with a parameter, leaky relu and elu, are built by
 * src/activations/family.ts). One table ({@link ACTIVATION}) holds each one's value, derivatives, sup bounds and
 * slope bounds; the classes, the network formats, the evaluation-error bounds and the SDP certificates all
 * read it.
 */
export const ALL_ACTIVATIONS = [...ACTIVATIONS, 'sigmoid', 'gelu', 'linear'] as const;
/** Any activation name of {@link ALL_ACTIVATIONS}. */
export type AnyActivation = (typeof ALL_ACTIVATIONS)[number];

/** An activation s with its first two derivatives and the bounds the Lipschitz estimators need. */
export interface Activation<N extends string = AnyActivation> {
  /** Its name: a key of {@link ACTIVATION}, or a family's name with its parameter (`leaky-relu(0.01)`). */
  readonly name: N;
  /** s(t) */
  f(this: void, t: number): number;
  /** s'(t) (right derivative at kinks; relu'(0) = 0) */
  df(this: void, t: number): number;
  /** s''(t) (0 almost everywhere for relu) */
  d2f(this: void, t: number): number;
  /** Global Lipschitz constant of s (Infinity for square). */
  readonly lip: number;
  /**
   * [alpha, beta] with alpha <= (s(a) - s(b)) / (a - b) <= beta for all a != b (docs/science.md section 3,
   * vector outputs): relu, tanh, softplus [0, 1]; sigmoid [0, 1/4] (its derivative s (1 - s) peaks at 0);
   * linear [1, 1]; cos [-1, 1]; square unbounded.
   */
  readonly slopeRange: readonly [number, number];
  /** |s(0)| (relu, tanh, linear, square 0; sigmoid 1/2; softplus ln 2; cos 1). */
  readonly atZero: number;
  /** sup |s| on [-T, T]. */
  supAbs(T: number): number;
  /** sup |s'| on [-T, T]. */
  supAbsDf(T: number): number;
  /** sup |s''| on [-T, T] (Infinity for relu, whose s' jumps). */
  supAbsD2f(T: number): number;
  /**
   * An interval containing every slope (s(u) - s(v)) / (u - v) for u, v in [zlo, zhi] (docs/science.md
   * section 9.1): by the mean value theorem, the range of s' there (relu: its one-sided derivatives), computed
   * values widened by 1e-15 and clamped to {@link Activation.slopeRange}, so the interval is outward; null
   * where the slope is not bounded (square on an unbounded interval).
   */
  slopeOn(this: void, zlo: number, zhi: number): [number, number] | null;
  /** Whether s is even (s(-t) = s(t)): the NTK features of an even s meet the law (docs/science.md section 4). */
  readonly even: boolean;
  /** Whether s is piecewise linear with kinks (gradients may jump). */
  readonly kinks: boolean;
  /**
   * An absolute error allowed for a computed value s^(z) beyond the relative allowance every activation gets
   * (src/models/evaluation-error.ts, ELEMENTARY): gelu's 2^-53, for the rounding of its argument z / sqrt 2
   * (docs/science.md, "Activations of networks"); 0 or absent for the others.
   */
  readonly absoluteError?: number;
}

/** The logistic function, without overflow for either sign (sigmoid(+-Infinity) = 1, 0). */
const sigmoid = (t: number) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));
/** ln(1 + e^t), accurate to a few ulps for every t (t + ln(1 + e^-t) for t > 0: no overflow, and no cut-off
 * such as t for t > 30, which is 28 ulps off there, beyond the 4 u the certificates allow for it). */
const softplus = (t: number) => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
/** erfc, from stdlib (a port of FreeBSD's s_erf.c, within 1 ulp), loaded on gelu's first use. */
let erfcFn: ((x: number) => number) | null = null;
const erfc = (x: number): number => (erfcFn ??= createRequire(import.meta.url)('@stdlib/math-base-special-erfc') as (x: number) => number)(x);
/** Phi(t), the standard normal distribution function: erfc(-t / sqrt 2) / 2. */
const normalCdf = (t: number) => 0.5 * erfc(-t * Math.SQRT1_2);
/** phi(t), the standard normal density. */
const normalPdf = (t: number) => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
/** gelu'(t) = Phi(t) + t phi(t). */
const geluSlope = (t: number) => (Number.isFinite(t) ? normalCdf(t) + t * normalPdf(t) : t > 0 ? 1 : 0);
/**
 * The extremes of gelu' = Phi + t phi, at t = -+sqrt 2 (gelu'' = phi (2 - t^2)): -0.128904145185154... and
 * 1.128904145185155..., rounded outward by 1e-15.
 */
const GELU_SLOPES: readonly [number, number] = [-0.128904145185156, 1.128904145185156];

/** Absolute widening of a computed slope (the library's tanh, exp and sin are accurate to a few ulps of values <= 1). */
const WIDEN = 1e-15;
const widen = (lo: number, hi: number, [min, max]: readonly [number, number]): [number, number] => [Math.max(min, lo - WIDEN), Math.min(max, hi + WIDEN)];
/** The points of [zlo, zhi] nearest to and farthest from 0 in absolute value. */
const nearFar = (zlo: number, zhi: number) => ({ near: zlo <= 0 && zhi >= 0 ? 0 : Math.min(Math.abs(zlo), Math.abs(zhi)), far: Math.max(Math.abs(zlo), Math.abs(zhi)) });
/** For s' even and decreasing in |z| (tanh, sigmoid): [s'(far), s'(near)]. */
const evenDecreasing = (ds: (z: number) => number, range: readonly [number, number]) => (zlo: number, zhi: number) => {
  const { near, far } = nearFar(zlo, zhi);
  const at = (z: number) => (Number.isFinite(z) ? ds(z) : 0);
  return widen(at(far), at(near), range);
};

/** The activation table (formulas in each entry). */
export const ACTIVATION: { readonly [K in AnyActivation]: Activation<K> } = {
  relu: {
    name: 'relu',
    f: (t) => (t > 0 ? t : 0),
    df: (t) => (t > 0 ? 1 : 0),
    d2f: () => 0,
    lip: 1,
    slopeRange: [0, 1],
    atZero: 0,
    supAbs: (T) => T,
    supAbsDf: () => 1,
    supAbsD2f: () => Number.POSITIVE_INFINITY,
    slopeOn: (zlo, zhi) => (zlo >= 0 ? [1, 1] : zhi <= 0 ? [0, 0] : [0, 1]),
    even: false,
    kinks: true,
  },
  tanh: {
    name: 'tanh',
    f: Math.tanh,
    df: (t) => 1 - Math.tanh(t) ** 2,
    d2f: (t) => {
      const h = Math.tanh(t);
      return -2 * h * (1 - h * h);
    },
    lip: 1,
    slopeRange: [0, 1],
    atZero: 0,
    supAbs: (T) => Math.tanh(T),
    supAbsDf: () => 1,
    supAbsD2f: () => 4 / (3 * Math.sqrt(3)),
    slopeOn: evenDecreasing((z) => 1 - Math.tanh(z) ** 2, [0, 1]),
    even: false,
    kinks: false,
  },
  softplus: {
    name: 'softplus',
    f: softplus,
    df: sigmoid,
    d2f: (t) => sigmoid(t) * (1 - sigmoid(t)),
    lip: 1,
    slopeRange: [0, 1],
    atZero: Math.LN2,
    supAbs: (T) => softplus(T),
    supAbsDf: (T) => sigmoid(T),
    supAbsD2f: () => 0.25,
    // s' = sigmoid, increasing
    slopeOn: (zlo, zhi) => widen(sigmoid(zlo), sigmoid(zhi), [0, 1]),
    even: false,
    kinks: false,
  },
  square: {
    name: 'square',
    f: (t) => (t * t) / 2,
    df: (t) => t,
    d2f: () => 1,
    lip: Number.POSITIVE_INFINITY,
    slopeRange: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
    atZero: 0,
    supAbs: (T) => (T * T) / 2,
    supAbsDf: (T) => T,
    supAbsD2f: () => 1,
    // s(z) = z^2 / 2: the slope (u + v) / 2 ranges over [zlo, zhi]
    slopeOn: (zlo, zhi) => (Number.isFinite(zlo) && Number.isFinite(zhi) ? [zlo, zhi] : null),
    even: true,
    kinks: false,
  },
  cos: {
    name: 'cos',
    f: Math.cos,
    df: (t) => -Math.sin(t),
    d2f: (t) => -Math.cos(t),
    lip: 1,
    slopeRange: [-1, 1],
    atZero: 1,
    supAbs: () => 1,
    supAbsDf: (T) => (T >= Math.PI / 2 ? 1 : Math.sin(T)),
    supAbsD2f: () => 1,
    // s' = -sin: its range over the interval ([-1, 1] when it is 2 pi wide or more)
    slopeOn: (zlo, zhi) => {
      if (!(zhi - zlo < 2 * Math.PI)) return [-1, 1];
      let lo = Math.min(-Math.sin(zlo), -Math.sin(zhi));
      let hi = Math.max(-Math.sin(zlo), -Math.sin(zhi));
      // critical points of -sin: z = pi/2 + n pi (-sin = -1 for even n, +1 for odd n)
      for (let n = Math.ceil((zlo - Math.PI / 2) / Math.PI) - 1; Math.PI / 2 + n * Math.PI <= zhi + 1e-9; n++) {
        const z = Math.PI / 2 + n * Math.PI;
        if (z < zlo - 1e-9) continue;
        if (n % 2 === 0) lo = -1;
        else hi = 1;
      }
      return widen(lo, hi, [-1, 1]);
    },
    even: true,
    kinks: false,
  },
  sigmoid: {
    name: 'sigmoid',
    f: sigmoid,
    df: (t) => sigmoid(t) * (1 - sigmoid(t)),
    d2f: (t) => {
      const g = sigmoid(t);
      return g * (1 - g) * (1 - 2 * g);
    },
    lip: 0.25,
    slopeRange: [0, 0.25],
    atZero: 0.5,
    supAbs: (T) => sigmoid(T),
    supAbsDf: () => 0.25,
    // max |s''| = sqrt(3) / 18 = 0.09622..., at t = ln(2 +- sqrt 3); rounded up
    supAbsD2f: () => 0.0963,
    slopeOn: evenDecreasing((z) => sigmoid(z) * (1 - sigmoid(z)), [0, 0.25]),
    even: false,
    kinks: false,
  },
  gelu: {
    // gelu(t) = t Phi(t), as PyTorch's nn.GELU() and Keras' 'gelu' (not the tanh approximation)
    name: 'gelu',
    f: (t) => t * normalCdf(t),
    df: geluSlope,
    d2f: (t) => normalPdf(t) * (2 - t * t),
    lip: GELU_SLOPES[1],
    slopeRange: GELU_SLOPES,
    atZero: 0,
    // |t Phi(t)| <= |t|, and t Phi(t) >= |s(-t)| for t >= 0
    supAbs: (T) => Math.min(T, T * normalCdf(T) * (1 + 4 * 2 ** -53)),
    supAbsDf: () => GELU_SLOPES[1],
    // max |phi(t) (2 - t^2)| = 2 phi(0) = 0.79788..., rounded up
    supAbsD2f: () => 0.7979,
    // gelu' falls on (-inf, -sqrt 2], rises on [-sqrt 2, sqrt 2], falls on [sqrt 2, inf): its range on an
    // interval is among the ends and the critical points inside
    slopeOn: (zlo, zhi) => {
      const vals = [geluSlope(zlo), geluSlope(zhi)];
      if (zlo <= -Math.SQRT2 && -Math.SQRT2 <= zhi) vals.push(GELU_SLOPES[0]);
      if (zlo <= Math.SQRT2 && Math.SQRT2 <= zhi) vals.push(GELU_SLOPES[1]);
      return widen(Math.min(...vals), Math.max(...vals), GELU_SLOPES);
    },
    even: false,
    kinks: false,
    // z / sqrt 2 rounds (relative 2 u): |erfc'| |dx| t / 2 <= (2 sqrt 2 / sqrt pi) x^2 e^(-x^2) 1.0001 u <= 0.59 u
    absoluteError: 2 ** -53,
  },
  linear: {
    name: 'linear',
    f: (t) => t,
    df: () => 1,
    d2f: () => 0,
    lip: 1,
    slopeRange: [1, 1],
    atZero: 0,
    supAbs: (T) => T,
    supAbsDf: () => 1,
    supAbsD2f: () => 0,
    slopeOn: () => [1, 1],
    even: false,
    kinks: false,
  },
};

/** Whether `name` is an activation of the table. */
export function isActivation(name: string): name is AnyActivation {
  return Object.hasOwn(ACTIVATION, name);
}
