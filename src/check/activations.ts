/**
 * The activations of network files, for the checker: an enclosure of s(z) and of s'(z) for z in an interval,
 * from the definitions (docs/science.md, "Activations of networks"), written here apart from the library's
 * activation table. Elementary functions (exp, expm1, tanh, log1p) are trusted to 2 ulps (V8's are fdlibm
 * ports, within 1 ulp); the rest is interval arithmetic. Null where the checker has no enclosure (gelu) or s'
 * jumps inside z (a kink).
 * @module
 */
import { add, div, down, mul, neg, point, sq, sqrt, sub, up, type Interval } from './interval.js';

/** fn(x) widened by 2 ulps each way: the elementary function's value at a point. */
const elem = (fn: (t: number) => number, x: number): Interval => ({ lo: down(down(fn(x))), hi: up(up(fn(x))) });
/** sigmoid(t) = 1 / (1 + e^-t), enclosed. */
const sigmoidAt = (t: number): Interval => div(point(1), add(point(1), elem(Math.exp, -t)));
/** softplus(t) = max(t, 0) + log1p(e^-|t|), enclosed (log1p is increasing: its enclosure at the ends of e^-|t|'s). */
function softplusAt(t: number): Interval {
  const e = elem(Math.exp, -Math.abs(t));
  const l = { lo: elem(Math.log1p, e.lo).lo, hi: elem(Math.log1p, e.hi).hi };
  return add(point(Math.max(t, 0)), l);
}

/** An activation as the checker sees it. */
interface CheckedActivation {
  value(z: Interval): Interval | null;
  /** s' at the points of z: null where s' jumps inside z. */
  slope(z: Interval): Interval | null;
  /** Every secant slope (s(u) - s(v)) / (u - v) for u, v in z (z may be unbounded): the range of s' there, kinks included. */
  slopes(z: Interval): Interval;
  /** The range of s'' on z, where the checker has it (smooth activations that NTK features use). */
  curvatures?(z: Interval): Interval;
  /** s(t) computed plainly, within 2 ulps of the true value (exact operations, or one elementary function). */
  plain?: (t: number) => number;
}

/**
 * For s' even and decreasing in |z|, with s' in [0, top] everywhere (tanh: 1, sigmoid: 1/4, facts of the
 * functions), given s'(t) = k e / (1 + e)^2 with e = exp(-c |t|) (tanh: k = 4, c = 2; sigmoid: k = 1, c = 1):
 * [s'(far), s'(near)], each end enclosed in intervals from e (no cancellation: relative accuracy), kept in
 * [0, top].
 */
function evenDecreasing(k: number, c: number, top: number): (z: Interval) => Interval {
  const at = (t: number): Interval => {
    const e = elem(Math.exp, -c * t);
    return div(mul(point(k), e), sq(add(point(1), e)));
  };
  return (z) => {
    const near = z.lo <= 0 && z.hi >= 0 ? 0 : Math.min(Math.abs(z.lo), Math.abs(z.hi));
    const far = Math.max(Math.abs(z.lo), Math.abs(z.hi));
    // c |t| is exact for c = 1, 2 (a power of two) unless it overflows, where e = 0 is the limit
    return { lo: Math.max(0, Number.isFinite(far) ? at(far).lo : 0), hi: Math.min(top, at(near).hi) };
  };
}

/**
 * The range of a sinusoid fn (cos, or sin with phase pi/2) on z: its values at the ends (2 ulps) and +-1 at
 * each extremum phase + j pi that may lie in z (tested with a margin, so an extremum near an end is included:
 * wider, never narrower); [-1, 1] for z of width 2 pi or more.
 */
function trig(fn: (t: number) => number, phase: number, z: Interval): Interval {
  if (!(z.hi - z.lo < 2 * Math.PI)) return { lo: -1, hi: 1 };
  const ends = [elem(fn, z.lo), elem(fn, z.hi)];
  let lo = Math.max(-1, Math.min(ends[0].lo, ends[1].lo));
  let hi = Math.min(1, Math.max(ends[0].hi, ends[1].hi));
  const margin = 1e-9 * (1 + Math.abs(z.lo) + Math.abs(z.hi));
  for (let j = Math.floor((z.lo - phase) / Math.PI) - 1; j <= Math.ceil((z.hi - phase) / Math.PI) + 1; j++) {
    const at = phase + j * Math.PI;
    if (at < z.lo - margin || at > z.hi + margin) continue;
    if (j % 2 === 0) hi = 1;
    else lo = -1;
  }
  return { lo, hi };
}

/**
 * The range of a function on z from its enclosures at z's ends and its values at its critical points (t, value)
 * that may lie in z (with a margin: an extremum near an end is included, wider, never narrower).
 */
function extremes(at: (t: number) => Interval, z: Interval, critical: readonly (readonly [number, Interval])[]): Interval {
  if (!Number.isFinite(z.lo) || !Number.isFinite(z.hi)) return { lo: Number.NaN, hi: Number.NaN };
  const parts = [at(z.lo), at(z.hi), ...critical.filter(([t]) => t >= z.lo - 1e-9 && t <= z.hi + 1e-9).map(([, v]) => v)];
  return { lo: Math.min(...parts.map((p) => p.lo)), hi: Math.max(...parts.map((p) => p.hi)) };
}

/** Increasing s given by an enclosure at a point: [low end at z.lo, high end at z.hi]. */
const increasing = (at: (t: number) => Interval) => (z: Interval): Interval => ({ lo: at(z.lo).lo, hi: at(z.hi).hi });

/** A piecewise-linear activation: slope `neg` for t < 0, 1 for t > 0. */
function piecewise(neg: number): CheckedActivation {
  const f = (t: number) => (t > 0 ? t : neg * t);
  return {
    plain: f,
    value: (z) => {
      const vals = [f(z.lo), f(z.hi), ...(z.lo <= 0 && z.hi >= 0 ? [0] : [])];
      // neg * t rounds: one ulp outward
      return { lo: down(Math.min(...vals)), hi: up(Math.max(...vals)) };
    },
    slope: (z) => (z.lo > 0 ? { lo: 1, hi: 1 } : z.hi < 0 ? { lo: neg, hi: neg } : neg === 1 ? { lo: 1, hi: 1 } : null),
    // on [0, hi] and [lo, 0] the function is linear: the kink's side needs the interval to cross 0
    slopes: (z) => (z.lo >= 0 ? { lo: 1, hi: 1 } : z.hi <= 0 ? { lo: neg, hi: neg } : { lo: Math.min(neg, 1), hi: Math.max(neg, 1) }),
  };
}

/** The checker's activation named `name` (the network readers' names), or null where it has none. */
export function checkedActivation(name: string): CheckedActivation | null {
  if (name === 'relu') return piecewise(0);
  if (name === 'linear') return piecewise(1);
  const fam = /^(leaky-relu|elu)\((.+)\)$/.exec(name);
  if (fam !== null) {
    const alpha = Number(fam[2]);
    if (!Number.isFinite(alpha)) return null;
    if (fam[1] === 'leaky-relu') return piecewise(alpha);
    if (!(alpha > 0)) return null;
    const at = (t: number): Interval => (t > 0 ? point(t) : mul(point(alpha), elem(Math.expm1, t)));
    const left = (t: number) => mul(point(alpha), elem(Math.exp, t));
    return {
      value: increasing(at),
      // alpha e^t on the left (rising), 1 on the right; a jump at 0 unless alpha = 1
      slope: (z) => {
        if (z.lo > 0) return { lo: 1, hi: 1 };
        if (z.hi < 0) return { lo: left(z.lo).lo, hi: left(z.hi).hi };
        return alpha === 1 ? { lo: left(z.lo).lo, hi: 1 } : null;
      },
      // the left branch alpha e^t rises to alpha at 0; the right one is 1
      slopes: (z) => {
        if (z.lo >= 0) return { lo: 1, hi: 1 };
        const lo = z.lo === Number.NEGATIVE_INFINITY ? 0 : left(z.lo).lo;
        const hiLeft = left(Math.min(z.hi, 0)).hi;
        return z.hi > 0 ? { lo: Math.min(lo, 1), hi: Math.max(hiLeft, 1) } : { lo, hi: hiLeft };
      },
    };
  }
  if (name === 'square') {
    // s(t) = t^2 / 2 (halving is exact), s'(t) = t, s'' = 1
    return { value: (z) => mul(sq(z), point(0.5)), slope: (z) => z, slopes: (z) => z, curvatures: () => point(1), plain: (t) => (t * t) / 2 };
  }
  if (name === 'cos') {
    // s = cos, s' = -sin, s'' = -cos: continuous, so every secant slope on z lies in the range of s' there
    const ds = (z: Interval): Interval => neg(trig(Math.sin, Math.PI / 2, z));
    return { value: (z) => trig(Math.cos, 0, z), slope: ds, slopes: ds, curvatures: (z) => neg(trig(Math.cos, 0, z)), plain: Math.cos };
  }
  if (name === 'tanh') {
    const ds = evenDecreasing(4, 2, 1);
    // s'' = -2 tanh (1 - tanh^2): odd, extremes -+4 / (3 sqrt 3) at t = +-atanh(1 / sqrt 3)
    const at = (t: number) => {
      const th = elem(Math.tanh, t);
      return mul(point(-2), mul(th, sub(point(1), mul(th, th))));
    };
    const peak = div(point(4), mul(point(3), sqrt(point(3))));
    const curvatures = (z: Interval) => extremes(at, z, [[-0.6584789484624084, peak], [0.6584789484624084, neg(peak)]]);
    return { value: increasing((t) => elem(Math.tanh, t)), slope: ds, slopes: ds, curvatures, plain: Math.tanh };
  }
  if (name === 'sigmoid') {
    const ds = evenDecreasing(1, 1, 0.25);
    return { value: increasing(sigmoidAt), slope: ds, slopes: ds };
  }
  if (name === 'softplus') {
    // s' = sigmoid, in [0, 1]
    const ds = (z: Interval): Interval => {
      const e = increasing(sigmoidAt)(z);
      return { lo: Math.max(0, e.lo), hi: Math.min(1, e.hi) };
    };
    // s'' = sigmoid (1 - sigmoid): even, largest (1/4) at 0
    const at = (t: number) => {
      const e = sigmoidAt(t);
      return mul(e, sub(point(1), e));
    };
    return { value: increasing(softplusAt), slope: ds, slopes: ds, curvatures: (z) => extremes(at, z, [[0, point(0.25)]]) };
  }
  return null;
}
