import { norm2 } from '../linalg/gram.js';
import { subnormalDown, subnormalUp } from '../linalg/pow2.js';
import { requireOrderedBounds } from '../lipschitz/bound-order.js';
import type { Rng } from '../core/rng.js';
import { requireInt, requirePositive } from '../core/validate.js';
import { drawSpherePoint } from '../data/sphere.js';
import type { MlpNetwork } from '../models/mlp.js';
import { UNIT_ROUNDOFF } from '../lipschitz/certificate.js';
import { ball, certifyingGradients, domainName, project, type Domain } from '../lipschitz/domain.js';
import { certainInterval, type LipEstimate } from '../lipschitz/estimate.js';
import { gradientAscent } from './gradient-ascent.js';

/** Options of {@link vectorLipschitz}. */
export interface VectorLipschitzOptions {
  /** Domain (default: the unit ball). */
  readonly domain?: Domain;
  readonly rng: Rng;
  /** Random starting points of the Jacobian search (default 16; doubled each round). */
  readonly starts?: number;
  /** Ascent steps per start in each round (default 100). */
  readonly steps?: number;
  /** Rounds of the alternating search (default 3). */
  readonly rounds?: number;
  /** Stop once upper / lower <= this (default 1.01). */
  readonly targetRatio?: number;
  /** Optional wall-time budget in seconds (default none). */
  readonly timeLimit?: number;
  /** Data points (n x d) that seed the search. */
  readonly X?: Float64Array;
  readonly n?: number;
}

/** What {@link vectorLipschitz} reports for f: R^d -> R^m in l2 -> l2. */
export interface VectorLipschitzReport {
  /** Certified lower bound: a secant ||f(a) - f(b)|| / ||a - b|| lowered by the outputs' evaluation-error bounds. */
  readonly lower: LipEstimate;
  /** Certified upper bound (an exact value's top counts), or null. */
  readonly upper: LipEstimate | null;
  readonly exact: LipEstimate | null;
  readonly ratio: number;
  readonly domain: string;
  readonly seconds: number;
  readonly rounds: number;
}

/** The top singular value of the m x d matrix J with its singular vectors (power iteration on J^T J). */
export function topSingular(J: Float64Array, m: number, d: number): { sigma: number; u: Float64Array; v: Float64Array } {
  // start from the row of largest norm: never orthogonal to the top right singular vector unless J = 0 there
  let best = 0;
  let bestNorm = -1;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += J[i * d + t] ** 2;
    if (s > bestNorm) [best, bestNorm] = [i, s];
  }
  let v = J.slice(best * d, best * d + d);
  const Jv = (w: Float64Array) => {
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += J[i * d + t] * w[t];
      out[i] = s;
    }
    return out;
  };
  const norm = (w: Float64Array) => Math.sqrt(w.reduce((s, x) => s + x * x, 0));
  let nv = norm(v);
  if (!(nv > 0)) return { sigma: 0, u: new Float64Array(m), v: new Float64Array(d) };
  v = v.map((x) => x / nv);
  let sigma = 0;
  for (let it = 0; it < 300; it++) {
    const u = Jv(v);
    const s = norm(u);
    const w = new Float64Array(d);
    for (let i = 0; i < m; i++) for (let t = 0; t < d; t++) w[t] += J[i * d + t] * u[i];
    nv = norm(w);
    if (!(nv > 0)) break;
    v = w.map((x) => x / nv);
    if (Math.abs(s - sigma) <= 1e-15 * s) {
      sigma = s;
      break;
    }
    sigma = s;
  }
  const u = Jv(v);
  sigma = norm(u);
  return { sigma, u: sigma > 0 ? u.map((x) => x / sigma) : u, v };
}

/**
 * Certified bounds on the l2 -> l2 Lipschitz constant of a network f: R^d -> R^m over D, that is
 * sup ||J(x)||_2 (docs/science.md section 3, vector outputs). Upper: the network's exact value where known,
 * else its certified upper bound ({@link MlpNetwork.upperLipschitzL2}). Lower: an alternating search. For
 * a unit u, u^T f is a scalar network with Lip(u^T f) <= Lip(f); starting from the point with the largest
 * ||J(x)||_2 among random starts and the data, each round runs the scalar gradient ascent on u^T f with u
 * the top left singular vector of J at the best point so far, then updates u. The reported value is
 * certified on f itself, for every network: the secant ||f(a) - f(b)|| / ||a - b|| along the top right
 * singular vector at the best x, lowered by the outputs' evaluation-error bounds (a, b, f(a), f(b) as the
 * witness; a computed Jacobian's norm is not used, its rounding is not bounded).
 */
export function vectorLipschitz(net: MlpNetwork, options: VectorLipschitzOptions): VectorLipschitzReport {
  const t0 = performance.now();
  const D = options.domain ?? ball(1);
  const name = domainName(D);
  const rounds = requireInt('vectorLipschitz', 'rounds', options.rounds ?? 3, 0);
  const starts = requireInt('vectorLipschitz', 'starts', options.starts ?? 16, 1);
  const steps = requireInt('vectorLipschitz', 'steps', options.steps ?? 100, 0);
  const target = requirePositive('vectorLipschitz', 'targetRatio', options.targetRatio ?? 1.01);
  const limit = options.timeLimit === undefined ? Number.POSITIVE_INFINITY : requirePositive('vectorLipschitz', 'timeLimit', options.timeLimit);
  const { d, outputs: m } = net;
  const rng = options.rng;
  const exact = net.exactLipschitzL2(D, rng);
  const ub = net.upperLipschitzL2(D, rng);
  const exactHi = exact ? certainInterval(exact).hi : Number.POSITIVE_INFINITY;
  const upper = exact && (!ub || exactHi <= ub.value) ? { ...exact, value: exactHi } : ub;
  const scale = D.kind === 'Rd' ? 1 : D.radius;

  /** Jacobian at x, with only the part that certifies over D (tangential rows on a sphere). */
  const jac = (x: Float64Array) => {
    const J = net.jacobian(x);
    if (D.kind !== 'sphere') return J;
    const Xs = new Float64Array(m * d);
    for (let i = 0; i < m; i++) Xs.set(x, i * d);
    return certifyingGradients(D, Xs, J, m, d);
  };
  // candidates: random points of the domain and the data
  const cands: Float64Array[] = [];
  for (let s = 0; s < starts; s++) {
    const x = new Float64Array(d);
    if (D.kind === 'data-ball') {
      const i = rng.int(0, D.n - 1);
      drawSpherePoint(rng, x, 0, d, D.radius * rng.uniform() ** (1 / d));
      for (let t = 0; t < d; t++) x[t] += D.centres[i * d + t];
    } else drawSpherePoint(rng, x, 0, d, D.kind === 'sphere' ? scale : scale * rng.uniform() ** (1 / d));
    cands.push(project(D, x));
  }
  if (options.X && options.n) for (let i = 0; i < options.n; i++) cands.push(project(D, options.X.slice(i * d, i * d + d)));
  let bestX = cands[0];
  let best = topSingular(jac(bestX), m, d);
  let evaluations = m * cands.length;
  for (const x of cands.slice(1)) {
    const t = topSingular(jac(x), m, d);
    if (t.sigma > best.sigma) [bestX, best] = [x, t];
  }
  // every network's value is a certified secant along the top right singular vector: a computed Jacobian's
  // norm carries backward-pass rounding that nothing bounds, a secant's is bounded by the outputs'
  // evaluation errors (docs/science.md section 3, "Rounding"; as for scalar models)
  const certify = (): LipEstimate => vectorSecant(net, D, bestX, best.v, best.sigma, scale, name, evaluations);
  let lower = certify();
  const ratio = () => (upper === null || !(lower.value > 0) ? Number.POSITIVE_INFINITY : upper.value / lower.value);
  let r = 0;
  for (; r < rounds && ratio() > target && best.sigma > 0; r++) {
    const left = limit - (performance.now() - t0) / 1000;
    if (left <= 0) break;
    const head = net.head(best.u, 'u^T f');
    const asc = gradientAscent(head, D, rng, { starts: starts * 2 ** r, steps, seeds: bestX, timeLimit: left });
    evaluations += asc.evaluations;
    const w = asc.best.witness;
    const x = w.type === 'point' ? Float64Array.from(w.x) : w.type === 'pair' ? Float64Array.from(w.a, (a, t) => (a + w.b[t]) / 2) : null;
    if (x === null) break;
    project(D, x);
    const t = topSingular(jac(x), m, d);
    evaluations += m;
    if (!(t.sigma > best.sigma * (1 + 1e-12))) break;
    [bestX, best] = [x, t];
    const next = certify();
    if (next.value > lower.value) lower = next;
  }
  // lower <= exact <= upper, or one of the certificates is false: a bug, never a result
  requireOrderedBounds(`network (${m} outputs, l2 -> l2), ${name}`, lower, exact, upper);
  requireOrderedBounds(`network (${m} outputs, l2 -> l2), ${name}`, lower, exact, ub);
  return { lower, upper, exact, ratio: ratio(), domain: name, seconds: (performance.now() - t0) / 1000, rounds: r };
}

/**
 * The best secant ||f(a) - f(b)|| / ||a - b|| along v at x (a, b = x -+ t v, and the one-sided pairs with x,
 * t = 1e-3 ... 1e-7 times the domain's scale; endpoints projected onto D when outside), certified against
 * rounding and cancellation: with |f^_i(p) - f_i(p)| <= E_i(p) (each output's evaluation-error bound,
 * `Model.evaluationError` of its head, docs/science.md section 3 "Rounding"),
 * ||f(a) - f(b)|| >= ||f^(a) - f^(b)|| - ||(E_i(a) + E_i(b))_i||, and the distance is raised by its own
 * rounding: a certified lower bound on the l2 -> l2 constant over D.
 * Stops at the first t whose secant reaches sigma (the Jacobian's norm at x) to 1e-9 relative.
 */
export function vectorSecant(net: MlpNetwork, D: Domain, x: Float64Array, v: Float64Array, sigma: number, scale: number, domain: string, evaluations = 0): LipEstimate {
  const { d, outputs: m } = net;
  let best: LipEstimate = { kind: 'lower', value: 0, witness: { type: 'certificate', formula: 'no secant found', terms: {} }, domain, evaluations, method: 'jacobian-ascent+secant' };
  // output i's head computes exactly the network's output i (its last layer is row i, copied): its error bound is output i's
  const heads = Array.from({ length: m }, (_, i) => net.head(Float64Array.from({ length: m }, (_, k) => (k === i ? 1 : 0)), `output ${i}`));
  for (const rel of [1e-3, 1e-4, 1e-5, 1e-6, 1e-7]) {
    const t = rel * scale;
    const a = project(D, Float64Array.from(x, (xi, q) => xi - t * v[q]));
    const b = project(D, Float64Array.from(x, (xi, q) => xi + t * v[q]));
    for (const [p, q] of [[a, b], [a, x], [x, b]] as const) {
      const P = new Float64Array(2 * d);
      P.set(p, 0);
      P.set(q, d);
      const F = net.forward(P, 2);
      evaluations += 2;
      const diff = new Float64Array(m);
      for (let i = 0; i < m; i++) diff[i] = F[i] - F[m + i];
      // norms scale-safe (norm2), each end rounded outward with two subnormal steps where it lands there
      // (docs/science.md section 3, "Scale safety"): the differences and the norms round by at most (m + 4) u
      // and (d + 8) u relatively
      const dist = norm2(Float64Array.from(p, (pi, k) => pi - q[k]));
      if (!(dist > 0)) continue;
      const errs = heads.map((h) => {
        const E = h.evaluationError(P, 2);
        return E[0] + E[1];
      });
      const allowance = subnormalUp(norm2(errs) * (1 + 8 * UNIT_ROUNDOFF));
      const num = subnormalDown(norm2(diff) * (1 - (m + 4) * UNIT_ROUNDOFF)) - allowance;
      const value = num > 0 ? subnormalDown((num / subnormalUp(dist * (1 + (d + 8) * UNIT_ROUNDOFF))) * (1 - 2 * UNIT_ROUNDOFF)) : 0;
      if (value > best.value) best = { kind: 'lower', value, witness: { type: 'vector-pair', a: Array.from(p), b: Array.from(q), fa: Array.from(F.subarray(0, m)), fb: Array.from(F.subarray(m)), secant: value, allowance }, domain, evaluations, method: 'jacobian-ascent+secant' };
    }
    // the longest segment that matches the Jacobian's norm (no kink crossed, least rounding) is kept
    if (best.value >= sigma * (1 - 1e-9)) break;
  }
  return { ...best, evaluations };
}
