/** The activations of the function classes. */
export const ACTIVATIONS = ['relu', 'tanh', 'softplus', 'square', 'cos'] as const;
/** An activation name. */
export type ActivationName = (typeof ACTIVATIONS)[number];

/** An activation s with its first two derivatives and the bounds the Lipschitz estimators need. */
export interface Activation {
  readonly name: ActivationName;
  /** s(t) */
  f(this: void, t: number): number;
  /** s'(t) (right derivative at kinks) */
  df(this: void, t: number): number;
  /** s''(t) (0 almost everywhere for relu) */
  d2f(this: void, t: number): number;
  /** Global Lipschitz constant of s (Infinity for square). */
  readonly lip: number;
  /** sup |s| on [-T, T]. */
  supAbs(T: number): number;
  /** sup |s'| on [-T, T]. */
  supAbsDf(T: number): number;
  /** sup |s''| on [-T, T] (Infinity for relu, whose s' jumps). */
  supAbsD2f(T: number): number;
  /** Whether s is even (s(-t) = s(t)): the NTK features of an even s meet the law (docs/science.md section 4). */
  readonly even: boolean;
  /** Whether s is piecewise linear with kinks (gradients may jump). */
  readonly kinks: boolean;
}

const sigmoid = (t: number) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));
const softplus = (t: number) => (t > 30 ? t : t < -30 ? Math.exp(t) : Math.log1p(Math.exp(t)));

/** The activation table (formulas in each entry). */
export const ACTIVATION: Readonly<Record<ActivationName, Activation>> = {
  relu: { name: 'relu', f: (t) => (t > 0 ? t : 0), df: (t) => (t > 0 ? 1 : 0), d2f: () => 0, lip: 1, supAbs: (T) => T, supAbsDf: () => 1, supAbsD2f: () => Number.POSITIVE_INFINITY, even: false, kinks: true },
  tanh: {
    name: 'tanh',
    f: Math.tanh,
    df: (t) => 1 - Math.tanh(t) ** 2,
    d2f: (t) => {
      const h = Math.tanh(t);
      return -2 * h * (1 - h * h);
    },
    lip: 1,
    supAbs: (T) => Math.tanh(T),
    supAbsDf: () => 1,
    supAbsD2f: () => 4 / (3 * Math.sqrt(3)),
    even: false,
    kinks: false,
  },
  softplus: {
    name: 'softplus',
    f: softplus,
    df: sigmoid,
    d2f: (t) => sigmoid(t) * (1 - sigmoid(t)),
    lip: 1,
    supAbs: (T) => softplus(T),
    supAbsDf: (T) => sigmoid(T),
    supAbsD2f: () => 0.25,
    even: false,
    kinks: false,
  },
  square: { name: 'square', f: (t) => (t * t) / 2, df: (t) => t, d2f: () => 1, lip: Number.POSITIVE_INFINITY, supAbs: (T) => (T * T) / 2, supAbsDf: (T) => T, supAbsD2f: () => 1, even: true, kinks: false },
  cos: { name: 'cos', f: Math.cos, df: (t) => -Math.sin(t), d2f: (t) => -Math.cos(t), lip: 1, supAbs: () => 1, supAbsDf: (T) => (T >= Math.PI / 2 ? 1 : Math.sin(T)), supAbsD2f: () => 1, even: true, kinks: false },
};
