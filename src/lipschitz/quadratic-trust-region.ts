import { norm2 } from '../linalg/gram.js';
import { exponentOf, ldexp, lowerEnd, subnormalDown, subnormalUp, upperEnd } from '../linalg/pow2.js';
import { symmetricEigen } from '../linalg/symmetric-eigen.js';
import { gamma, UNIT_ROUNDOFF, upperEstimate } from './certificate.js';
import { domainName, type Domain } from './domain.js';
import { certainInterval, type LipEstimate, type TrustRegionCertificateData } from './estimate.js';
import { verifyDiagMinusGram } from './sdp/verified-psd.js';

/** The method name of the exact value of a quadratic on a ball. */
export const QUADRATIC_TRUST_REGION = 'quadratic-trust-region';

/**
 * The gradient field x -> A x + g of a quadratic f(x) = x^T A x / 2 + g^T x + const (A symmetric, d x d
 * row-major), as computed (A, g) with bounds on the rounding of the computation: the true A* and g* satisfy
 * ||A* - A||_F <= errA and ||g* - g|| <= errG (docs/science.md section 9.7).
 */
export interface AffineGradientField {
  readonly d: number;
  readonly A: Float64Array;
  readonly g: Float64Array;
  readonly errA: number;
  readonly errG: number;
}

/** What {@link trustRegionLipschitz} found, beside the estimate. */
export interface TrustRegionResult {
  /**
   * The exact Lipschitz constant of f on the ball with its certified interval [lo, hi] (kind `exact`, method
   * {@link QUADRATIC_TRUST_REGION}), or null where no certificate verified or a number left the double range.
   */
  readonly estimate: LipEstimate | null;
  /** The dual multiplier mu of the upper end's certificate (unscaled), its value bound V >= max ||A x + g||^2, and whether the hard case occurred. */
  readonly dual: { readonly mu: number; readonly V: number; readonly hardCase: boolean } | null;
  /** The primal point x (||x|| <= R, checked) whose gradient norm is the lower end. */
  readonly point: Float64Array | null;
}

/**
 * The Lipschitz constant of a quadratic on the closed ball ||x|| <= R, exactly, with a certified interval
 * (docs/science.md section 9.7). f is smooth and the ball convex, so Lip = max_{||x|| <= R} ||A x + g||: a
 * trust-region problem. With A = Q diag(lambda) Q^T and gamma = Q^T g, for every mu > lambda_max^2
 *   ||A x + g||^2 <= V(mu) = mu R^2 + sum_i lambda_i^2 gamma_i^2 / (mu - lambda_i^2) + ||g||^2   (S-lemma),
 * and the minimum over mu (the root of the secular equation sum_i lambda_i^2 gamma_i^2 / (mu - lambda_i^2)^2
 * = R^2, or mu -> lambda_max^2 in the hard case) equals the maximum, attained at
 * x = sum_i lambda_i gamma_i / (mu - lambda_i^2) q_i (plus a multiple of a top eigenvector in the hard case).
 * Certified:
 * - upper end: V is verified, not trusted: diag(mu I_d, V - mu R^2) - [A g]^T [A g] >= 0 (its (x, 1) quadratic
 *   form is mu (||x||^2 - R^2) + V - ||A x + g||^2) by a Cholesky factorisation whose shift covers every
 *   rounding and the stated errors of A and g (verified-psd.ts);
 * - lower end: the gradient norm at the primal point, a point of the ball checked in f64 with its rounding
 *   and the stated errors subtracted.
 * The field is first scaled by a power of two (largest entry in [1, 2)), so the result is exactly
 * equivariant. Null where R is not positive and finite or a value is not finite.
 */
export function trustRegionLipschitz(F: AffineGradientField, R: number, domain: string): TrustRegionResult {
  const none: TrustRegionResult = { estimate: null, dual: null, point: null };
  const { d } = F;
  if (!(R > 0 && R < Number.POSITIVE_INFINITY) || !F.A.every(Number.isFinite) || !F.g.every(Number.isFinite) || !(F.errA >= 0 && F.errG >= 0 && F.errA + F.errG < Number.POSITIVE_INFINITY)) return none;
  let mx = 0;
  for (const v of F.A) mx = Math.max(mx, Math.abs(v));
  for (const v of F.g) mx = Math.max(mx, Math.abs(v));
  const u = UNIT_ROUNDOFF;
  if (mx === 0) {
    // f is affine up to the stated errors: Lip in [0, errA R + errG]
    const hi = upperEnd(F.errA * R + F.errG, 4 * u);
    return { estimate: exact(0, 0, hi, domain, { radius: R, mu: 0, V: hi * hi, hardCase: 0 }), dual: null, point: new Float64Array(d) };
  }
  const e = exponentOf(mx);
  const A = F.A.map((v) => ldexp(v, -e));
  const g = F.g.map((v) => ldexp(v, -e));
  const errA = subnormalUp(ldexp(F.errA, -e));
  const errG = subnormalUp(ldexp(F.errG, -e));

  // the eigen-decomposition of the computed A (any rounding here only moves the candidate mu and x, both checked)
  const { values: lam, vectors: Q } = symmetricEigen(A, d);
  if (!lam.every(Number.isFinite)) return none;
  const gam = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let r = 0; r < d; r++) s += Q[r * d + i] * g[r];
    gam[i] = s;
  }
  const l2 = Float64Array.from(lam, (v) => v * v);
  const L2 = l2.reduce((m, v) => Math.max(m, v), 0);
  const w = Float64Array.from(gam, (v, i) => l2[i] * v * v); // lambda_i^2 gamma_i^2
  const g2 = gam.reduce((s, v) => s + v * v, 0);
  const R2 = R * R;
  // phi(t) = R^2 - sum_i w_i / (t + L2 - l2_i)^2, increasing in t > 0 (mu = L2 + t): its root minimises V
  const phi = (t: number) => {
    let s = 0;
    for (let i = 0; i < d; i++) if (w[i] > 0) s += w[i] / (t + L2 - l2[i]) ** 2;
    return R2 - s;
  };
  const floor = Math.max(L2, 1) * 2 ** -60;
  let hi = Math.max(L2, 1);
  for (let q = 0; q < 2100 && phi(hi) < 0; q++) hi *= 2;
  let lo = hi;
  for (let q = 0; q < 2100 && lo > floor && phi(lo) >= 0; q++) lo /= 2;
  let t: number;
  const hardCase = phi(lo) >= 0;
  if (hardCase) t = 0;
  else {
    // bisection, geometric while the bracket spans orders of magnitude
    for (let q = 0; q < 300; q++) {
      const mid = hi / lo > 4 ? Math.sqrt(lo * hi) : (lo + hi) / 2;
      if (!(mid > lo && mid < hi)) break;
      if (phi(mid) < 0) lo = mid;
      else hi = mid;
    }
    t = hi;
  }
  const mu = L2 + t;

  // the primal point: y_i = lambda_i gamma_i / (mu - lambda_i^2); in the hard case (or where rounding left
  // ||y|| < R) the rest of the radius along a top eigenvector
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const den = mu - l2[i];
    if (den > 0 && w[i] > 0) y[i] = (lam[i] * gam[i]) / den;
  }
  const ny = norm2(y);
  if (hardCase) {
    let top = 0;
    for (let i = 1; i < d; i++) if (l2[i] > l2[top]) top = i;
    y[top] = Math.sqrt(Math.max(0, R2 - ny * ny)) * (lam[top] * gam[top] >= 0 ? 1 : -1);
  } else if (ny > 0 && ny < R) for (let i = 0; i < d; i++) y[i] *= R / ny;
  const x = new Float64Array(d);
  for (let r = 0; r < d; r++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += Q[r * d + i] * y[i];
    x[r] = s;
  }
  // into the ball, certainly: shrink until the norm rounded up is at most R
  const nx0 = norm2(x);
  if (nx0 > 0) {
    let f = (R / nx0) * (1 - 4 * (d + 4) * u);
    if (f > 1) f = 1;
    for (let r = 0; r < d; r++) x[r] *= f;
  }
  for (let q = 0; q < 60 && !(upperEnd(norm2(x), (d + 4) * u) <= R); q++) for (let r = 0; r < d; r++) x[r] *= 1 - 2 ** -40;
  if (!(upperEnd(norm2(x), (d + 4) * u) <= R)) return none;
  const nx = upperEnd(norm2(x), (d + 4) * u);
  // lower end: ||A* x + g*|| >= ||fl(A x + g)|| - (rounding of the product) - errA ||x|| - errG
  const G = new Float64Array(d);
  let absA2 = 0;
  for (let r = 0; r < d; r++) {
    let s = g[r];
    for (let c = 0; c < d; c++) {
      s += A[r * d + c] * x[c];
      absA2 += A[r * d + c] ** 2;
    }
    G[r] = s;
  }
  const roundG = gamma(d + 2) * (Math.sqrt(absA2) * (1 + (d * d + 2) * u) * nx + norm2(g) * (1 + (d + 4) * u));
  const slack = upperEnd(roundG + errA * nx + errG, 6 * u);
  const lowerS = Math.max(0, lowerEnd(norm2(G), (d + 4) * u) - slack);

  // upper end: the dual (mu, V) raised a little, verified; raised further where the factorisation fails (from
  // the relative size of the stated errors on: the certificate must hold for every field within them)
  const rel = (errA * R + errG) / Math.max(Math.sqrt(muValue(mu)), 2 ** -1000) + errA / Math.max(Math.sqrt(L2), 2 ** -1000);
  for (const delta of [1e-13, 1e-11, 1e-9, 1e-7, 1e-5, 1e-3, 1e-2, 1e-1, 1]) {
    if (delta < rel) continue;
    const muC = mu * (1 + delta) + delta * (g2 / R2 + 2 ** -1000);
    const V = muValue(muC) * (1 + delta);
    const Vup = verifiedDual(A, g, d, errA, errG, R, muC, V);
    if (Vup === null) continue;
    const upperS = upperEnd(Math.sqrt(Vup), 2 * u);
    const upper = ldexp(upperS, e);
    const lower = subnormalDown(ldexp(lowerS, e));
    if (!(upper < Number.POSITIVE_INFINITY) || ldexp(upper, -e) !== upperS) return none;
    const value = Math.min(upper, Math.max(lower, ldexp(norm2(G), e)));
    const dual = { mu: ldexp(muC, 2 * e), V: ldexp(V, 2 * e), hardCase };
    return { estimate: exact(value, lower, upper, domain, { radius: R, mu: dual.mu, V: dual.V, hardCase: hardCase ? 1 : 0, delta }, x), dual, point: x };
  }
  return none;

  /** V(mu) = mu R^2 + sum_i lambda_i^2 gamma_i^2 / (mu - lambda_i^2) + ||g||^2 (scaled units). */
  function muValue(m: number): number {
    let acc = 0;
    for (let i = 0; i < d; i++) if (w[i] > 0) acc += w[i] / (m - l2[i]);
    return m * R2 + acc + g2;
  }
}

/**
 * Whether (mu, V) certifies ||A* x + g*||^2 <= V on ||x|| <= R for every field (A*, g*) within the stated errors
 * of (A, g) (docs/science.md section 9.7): diag(mu I_d, V - mu R^2) - [A g]^T [A g] >= 0, verified by a Cholesky
 * factorisation with a shift covering every rounding (verified-psd.ts). The matrix's last diagonal entry is
 * the computed c = fl(V - mu R^2), exact as given; the bound it certifies is c + mu R^2, returned rounded up
 * (null: not verified). Inputs as they are (the caller scales them).
 */
function verifiedDual(A: Float64Array, g: Float64Array, d: number, errA: number, errG: number, R: number, mu: number, V: number): number | null {
  const cLast = V - mu * R * R;
  if (!(mu > 0 && cLast > 0 && cLast < Number.POSITIVE_INFINITY)) return null;
  const c = new Float64Array(d + 1).fill(mu);
  c[d] = cLast;
  // Z = [A g] (d x (d + 1)), its error ||[A* g*] - [A g]||_F <= sqrt(errA^2 + errG^2)
  const Z = new Float64Array(d * (d + 1));
  for (let r = 0; r < d; r++) {
    Z.set(A.subarray(r * d, r * d + d), r * (d + 1));
    Z[r * (d + 1) + d] = g[r];
  }
  const zErr = upperEnd(Math.hypot(errA, errG), 2 * UNIT_ROUNDOFF);
  if (!verifyDiagMinusGram(c, Z, d, d + 1, zErr).psd) return null;
  // c + mu R^2 exactly: three roundings, raised by 4 u
  return upperEnd(cLast + mu * R * R, 4 * UNIT_ROUNDOFF);
}

/**
 * {@link verifiedDual} on an unscaled field: whether the dual pair (mu, V) that {@link trustRegionLipschitz}
 * reports (or any other) certifies Lip <= sqrt(V) on the ball of radius R; the bound it certifies, or null.
 * For the tests and for re-checking a reported certificate.
 */
export function verifyTrustRegionDual(F: AffineGradientField, R: number, mu: number, V: number): number | null {
  let mx = 0;
  for (const v of F.A) mx = Math.max(mx, Math.abs(v));
  for (const v of F.g) mx = Math.max(mx, Math.abs(v));
  if (!(mx > 0 && mx < Number.POSITIVE_INFINITY)) return null;
  const e = exponentOf(mx);
  const Vs = verifiedDual(F.A.map((v) => ldexp(v, -e)), F.g.map((v) => ldexp(v, -e)), F.d, subnormalUp(ldexp(F.errA, -e)), subnormalUp(ldexp(F.errG, -e)), R, ldexp(mu, -2 * e), ldexp(V, -2 * e));
  return Vs === null ? null : ldexp(Vs, 2 * e);
}

function exact(value: number, lo: number, hi: number, domain: string, terms: Record<string, number>, x?: Float64Array): LipEstimate {
  return {
    kind: 'exact',
    value,
    interval: { lo, hi },
    witness: {
      type: 'certificate',
      formula:
        'max over ||x|| <= R of ||A x + g|| (f quadratic): lower end the gradient norm at the trust-region maximiser, upper end sqrt(V) with diag(mu I, V - mu R^2) - [A g]^T [A g] >= 0 verified by Cholesky in f64 (docs/science.md section 9.7)',
      terms: { ...terms, lower: lo, upper: hi },
      ...(x === undefined ? {} : { data: { kind: 'trust-region', x: Array.from(x) } satisfies TrustRegionCertificateData }),
    },
    domain,
    evaluations: 0,
    method: QUADRATIC_TRUST_REGION,
  };
}

/** A quadratic model's exact value on balls and its honest bound on spheres, the field built once and each radius solved once. */
export interface QuadraticLipschitz {
  /** On a centred ball: the exact value with its certified interval (null elsewhere or where no certificate verified). */
  exact(D: Domain): LipEstimate | null;
  /**
   * On a sphere of radius R: an upper bound only, the top of the ball's interval (the sphere lies in the ball,
   * and the ball is convex: every secant between points of the sphere is one of the ball's); the tangential
   * problem is not solved here (docs/science.md section 9.7). Null elsewhere.
   */
  upperOnSphere(D: Domain): LipEstimate | null;
}

/**
 * The largest work, k d^2 multiply-adds for forming A from k features in dimension d, for which the fitted
 * quadratic classes compute their exact value (about 10 s on the f64 kernel at the limit, beside a d^3
 * eigen-decomposition; Bombari et al.'s k = 50,000, d = 1,000 is inside). Beyond it the classes' own bounds
 * stand, as without the square activation's structure.
 */
export const QUADRATIC_MAX_WORK = 6e10;

/**
 * {@link QuadraticLipschitz} of the field that `build` computes (called at most once, on the first use), or
 * null where forming it would cost more than {@link QUADRATIC_MAX_WORK} (`work`: k d^2).
 */
export function quadraticLipschitz(build: () => AffineGradientField, work: number): QuadraticLipschitz | null {
  if (!(work <= QUADRATIC_MAX_WORK)) return null;
  let F: AffineGradientField | null = null;
  const byRadius = new Map<number, LipEstimate | null>();
  const onBall = (R: number): LipEstimate | null => {
    if (!byRadius.has(R)) {
      F ??= build();
      byRadius.set(R, trustRegionLipschitz(F, R, domainName({ kind: 'ball', radius: R })).estimate);
    }
    return byRadius.get(R) ?? null;
  };
  return {
    exact: (D) => (D.kind === 'ball' ? onBall(D.radius) : null),
    upperOnSphere: (D) => {
      if (D.kind !== 'sphere') return null;
      const e = onBall(D.radius);
      return e === null ? null : upperEstimate(certainInterval(e).hi, domainName(D), `${QUADRATIC_TRUST_REGION}-ball`, 'the top of the exact interval on the ball of the same radius, which contains the sphere (docs/science.md section 9.7)', { ...(e.witness.type === 'certificate' ? e.witness.terms : {}) });
    },
  };
}
