import { requireNonNegative, requirePositive } from '../core/validate.js';
import { norm2 } from '../linalg/gram.js';
import { exactScaled } from '../linalg/pow2.js';

/** The set over which a Lipschitz constant is taken. */
export type Domain =
  | { readonly kind: 'Rd' }
  | { readonly kind: 'ball'; readonly radius: number }
  | { readonly kind: 'sphere'; readonly radius: number }
  /** Union of the balls of radius `radius` around the rows of `centres` (n x d). */
  | { readonly kind: 'data-ball'; readonly radius: number; readonly centres: Float64Array; readonly n: number };

/** The domain names the CLI accepts. */
export const DOMAIN_KINDS = ['Rd', 'ball', 'sphere', 'data-ball'] as const;

/** Human-readable domain name. */
export function domainName(D: Domain): string {
  switch (D.kind) {
    case 'Rd':
      return 'R^d';
    case 'ball':
      return `ball(0, ${fmt(D.radius)})`;
    case 'sphere':
      return `sphere(0, ${fmt(D.radius)})`;
    case 'data-ball':
      return `union of ball(x_i, ${fmt(D.radius)}) over ${D.n} data points`;
  }
}

function fmt(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

/** Ball of radius r around the origin. */
export function ball(radius: number): Domain {
  return { kind: 'ball', radius: requirePositive('ball', 'radius', radius) };
}

/**
 * Relative rounding bound of a Euclidean norm or distance computed in f64 in dimension d: (d + 4) u
 * (d rounded differences and squares, d - 1 additions, a square root; docs/science.md section 3,
 * "Witnesses inside the domain").
 */
export function normRoundoff(d: number): number {
  return (d + 4) * 2 ** -53;
}

/** Whether a domain is certainly contained in the centred ball of radius R (so a bound on that ball covers it). */
export function withinBall(D: Domain, R: number): boolean {
  if (D.kind === 'Rd') return false;
  if (D.kind === 'ball' || D.kind === 'sphere') return D.radius <= R;
  let maxNorm = 0;
  const d = D.centres.length / D.n;
  // each centre's norm scale-safe (norm2: a sum of squares of coordinates near 1e-170 is not 0)
  for (let i = 0; i < D.n; i++) maxNorm = Math.max(maxNorm, norm2(D.centres.subarray(i * d, i * d + d)));
  // a true centre norm is at most the computed one times 1 + gamma; the sum is rounded up by 2 u
  return (maxNorm * (1 + normRoundoff(d)) + D.radius) * (1 + 2 ** -52) <= R;
}

/**
 * Whether x certainly lies in D: its computed norm (or distance to a centre) is at most the radius times
 * 1 - gamma_d, gamma_d = {@link normRoundoff}, so the true one is at most the radius. On a sphere,
 * whether x is where {@link project} puts points (its computed norm equals the radius: within
 * gamma_d r of the sphere, docs/science.md section 3). R^d contains every point.
 */
export function contains(D: Domain, x: Float64Array): boolean {
  const d = x.length;
  if (D.kind === 'Rd') return true;
  if (D.kind === 'ball' || D.kind === 'sphere') {
    const nx = norm2(x);
    if (D.kind === 'sphere') return nx === D.radius;
    return withinRadius(nx, D.radius, d) ?? exactlyWithin(x, null, D.radius);
  }
  const [best, dist] = nearestCentre(D, x);
  return withinRadius(dist, D.radius, d) ?? exactlyWithin(x, D.centres.subarray(best * d, best * d + d), D.radius);
}

/**
 * Whether a computed norm nx (relative error at most gamma_d) certainly is at most r: true when
 * nx <= r (1 - gamma_d), false when it is above r, null in the subnormal range of r (2^-1000 and below),
 * where the products' spacing is absolute and the caller decides exactly.
 */
function withinRadius(nx: number, r: number, d: number): boolean | null {
  if (!(nx <= r)) return false;
  if (r >= 2 ** -1000) return nx <= r * (1 - normRoundoff(d));
  return null;
}

/** ||x - c|| <= r decided exactly in integers (every double is an integer multiple of 2^-1074); c = null: 0. */
function exactlyWithin(x: Float64Array, c: Float64Array | null, r: number): boolean {
  // x - c is computed exactly as integers: exactScaled(x_t) - exactScaled(c_t)
  let s = 0n;
  for (let t = 0; t < x.length; t++) {
    const v = exactScaled(x[t]) - (c === null ? 0n : exactScaled(c[t]));
    s += v * v;
  }
  const R = exactScaled(r);
  return s <= R * R;
}

function nearestCentre(D: Extract<Domain, { kind: 'data-ball' }>, x: Float64Array): [number, number] {
  const d = x.length;
  let best = -1;
  let bestDist = Number.POSITIVE_INFINITY;
  const diff = new Float64Array(d);
  for (let i = 0; i < D.n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (x[t] - D.centres[i * d + t]) ** 2;
    // where the sum of squares may have underflowed or overflowed, the distance scale-safe
    let dist: number;
    if (s >= 2 ** -900 && s <= 2 ** 900) dist = Math.sqrt(s);
    else {
      for (let t = 0; t < d; t++) diff[t] = x[t] - D.centres[i * d + t];
      dist = norm2(diff);
    }
    if (dist < bestDist) {
      bestDist = dist;
      best = i;
    }
  }
  return [best, bestDist];
}

/**
 * Moves x (length d) into the domain in place, so that {@link contains} holds afterwards; points already
 * inside are left exactly as they are. A ball: x scaled towards 0 to the computed norm r (1 - 2 gamma_d),
 * strictly inside once rounding is accounted for (docs/science.md section 3, "Witnesses inside the
 * domain"). A union of balls: towards the nearest centre likewise (shrinking further, down to the centre
 * itself, if rounding of the coordinates leaves it outside). A sphere: scaled to computed norm r.
 */
export function project(D: Domain, x: Float64Array): Float64Array {
  const d = x.length;
  if (D.kind === 'Rd' || contains(D, x)) return x;
  const gamma = normRoundoff(d);
  if (D.kind === 'ball' || D.kind === 'sphere') {
    const nx = norm2(x);
    if (nx === 0) {
      x.fill(0);
      if (D.kind === 'sphere') x[0] = D.radius;
      return x;
    }
    const target = D.kind === 'sphere' ? D.radius : D.radius * (1 - 2 * gamma);
    const y = Float64Array.from(x, (v) => v * (target / nx));
    // a ball: shrink further in the (rare) case the scaled point's rounding left it outside
    for (let k = 0; k < 60 && D.kind === 'ball' && !contains(D, y); k++) for (let t = 0; t < d; t++) y[t] *= 1 - 2 * gamma;
    // in the subnormal range a relative shrink may round to nothing: halve (exact down to the last bit), and at
    // worst the centre, which every ball contains
    for (let k = 0; k < 1100 && D.kind === 'ball' && !contains(D, y); k++) for (let t = 0; t < d; t++) y[t] /= 2;
    if (D.kind === 'ball' && !contains(D, y)) y.fill(0);
    x.set(y);
    return x;
  }
  requireNonNegative('project', 'radius', D.radius);
  const [best, dist] = nearestCentre(D, x);
  const c = D.centres.subarray(best * d, best * d + d);
  let f = (D.radius * (1 - 2 * gamma)) / dist;
  const y = new Float64Array(d);
  for (let k = 0; k < 60; k++, f /= 2) {
    for (let t = 0; t < d; t++) y[t] = c[t] + f * (x[t] - c[t]);
    if (contains(D, y)) {
      x.set(y);
      return x;
    }
  }
  x.set(c);
  return x;
}

/**
 * The part of each gradient that certifies something over D, in place: on a sphere only the tangential
 * component does (f restricted to the sphere changes along tangent directions only: relu(x1) + relu(x2)
 * has ||grad f|| = sqrt 2 on the positive arc of the unit circle but Lip 1 there), so each row g_i of G
 * becomes g_i - (g_i . x_i / ||x_i||^2) x_i. On every other domain (R^d, balls, unions of balls: open
 * sets up to their boundary) the full gradient is kept. docs/science.md section 3.
 */
export function certifyingGradients(D: Domain, X: Float64Array, G: Float64Array, m: number, d: number): Float64Array {
  if (D.kind !== 'sphere') return G;
  for (let i = 0; i < m; i++) {
    let gx = 0;
    let xx = 0;
    for (let t = 0; t < d; t++) {
      gx += G[i * d + t] * X[i * d + t];
      xx += X[i * d + t] ** 2;
    }
    if (!(xx > 0)) continue;
    const c = gx / xx;
    for (let t = 0; t < d; t++) G[i * d + t] -= c * X[i * d + t];
  }
  return G;
}
