import { requireNonNegative, requirePositive } from '../core/validate.js';

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

/** Whether a domain is contained in the centred ball of radius R (so a bound on that ball covers it). */
export function withinBall(D: Domain, R: number): boolean {
  if (D.kind === 'Rd') return false;
  if (D.kind === 'ball' || D.kind === 'sphere') return D.radius <= R * (1 + 1e-12);
  let maxNorm = 0;
  const d = D.centres.length / D.n;
  for (let i = 0; i < D.n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += D.centres[i * d + t] ** 2;
    maxNorm = Math.max(maxNorm, Math.sqrt(s));
  }
  return maxNorm + D.radius <= R * (1 + 1e-12);
}

/** Projects x (length d) onto the domain in place (nearest point; for a data-ball, onto the nearest ball). */
export function project(D: Domain, x: Float64Array): Float64Array {
  const d = x.length;
  if (D.kind === 'Rd') return x;
  if (D.kind === 'ball' || D.kind === 'sphere') {
    let s = 0;
    for (let t = 0; t < d; t++) s += x[t] * x[t];
    const nx = Math.sqrt(s);
    if (D.kind === 'sphere' || nx > D.radius) {
      if (nx === 0) {
        x[0] = D.radius;
        return x;
      }
      const f = D.radius / nx;
      for (let t = 0; t < d; t++) x[t] *= f;
    }
    return x;
  }
  requireNonNegative('project', 'radius', D.radius);
  let best = -1;
  let bestDist = Number.POSITIVE_INFINITY;
  for (let i = 0; i < D.n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (x[t] - D.centres[i * d + t]) ** 2;
    if (s < bestDist) {
      bestDist = s;
      best = i;
    }
  }
  const dist = Math.sqrt(bestDist);
  if (dist > D.radius) {
    const f = D.radius / dist;
    for (let t = 0; t < d; t++) x[t] = D.centres[best * d + t] + f * (x[t] - D.centres[best * d + t]);
  }
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
