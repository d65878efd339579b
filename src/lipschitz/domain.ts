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
