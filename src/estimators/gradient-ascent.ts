import type { Rng } from '../core/rng.js';
import { drawSpherePoint } from '../data/sphere.js';
import type { Model } from '../models/model.js';
import { certifyingGradients, contains, domainName, project, type Domain } from '../lipschitz/domain.js';
import type { LipEstimate } from '../lipschitz/estimate.js';
import { certifyTop, referenceSearch, type GradientSearch } from './gradient-search.js';
import { refineWithSecant } from './secant.js';

/** Budget and seed of {@link gradientAscent}. */
export interface AscentOptions {
  /** Number of starting points (default 16). */
  readonly starts?: number;
  /** Maximum ascent steps per start (default 100). */
  readonly steps?: number;
  /** Optional wall-time budget in seconds (default: none; with one, results depend on the machine's speed). */
  readonly timeLimit?: number;
  /** Extra starting points (m x d), e.g. the data points; projected onto the domain. */
  readonly seeds?: Float64Array;
  /** Length scale of the domain for step sizes (default: its radius, or 1 on R^d). */
  readonly scale?: number;
  /** Where the ascent's gradients are evaluated (default: the model's f64 gradient); the result is certified in f64. */
  readonly search?: GradientSearch;
}

/** Result of {@link gradientAscent}. */
export interface AscentResult {
  /** Best certified lower bound: a secant along the best point's gradient (docs/science.md section 3). */
  readonly best: LipEstimate;
  /** The best gradient norm seen, before any secant refinement. */
  readonly bestGradNorm: number;
  readonly evaluations: number;
  readonly seconds: number;
}

/** Uniform draw from the domain (for R^d: from the ball of radius `scale`). */
function drawStart(D: Domain, d: number, rng: Rng, scale: number, out: Float64Array, off: number): void {
  if (D.kind === 'data-ball') {
    const i = rng.int(0, D.n - 1);
    drawSpherePoint(rng, out, off, d, D.radius * rng.uniform() ** (1 / d));
    for (let t = 0; t < d; t++) out[off + t] += D.centres[i * d + t];
    return;
  }
  const R = D.kind === 'Rd' ? scale : D.radius;
  const rad = D.kind === 'sphere' ? R : R * rng.uniform() ** (1 / d);
  drawSpherePoint(rng, out, off, d, rad);
}

/**
 * Multi-start projected gradient ascent on ||grad f(x)||^2 over a domain (docs/science.md section 3: any
 * gradient norm is a lower bound; ascent from many starts improves it). The ascent direction is
 * H(x) grad f(x), obtained by a central finite difference of the gradient along u = grad f / ||grad f||
 * at the current step length (which smooths over ReLU kinks, where H = 0 almost everywhere); steps are
 * accepted only if ||grad f|| increases by more than 1e-12 relative (1.5x longer next time) and halved otherwise. All starts move
 * together in batched gradient calls. For d = 1 the random starts are stratified over the interval.
 * The best point is refined into a certified secant (for every model: kinks, and rounding).
 */
export function gradientAscent(model: Model, D: Domain, rng: Rng, options: AscentOptions = {}): AscentResult {
  const t0 = performance.now();
  const d = model.d;
  const nRandom = options.starts ?? 16;
  const steps = options.steps ?? 100;
  const limitMs = options.timeLimit === undefined ? Number.POSITIVE_INFINITY : options.timeLimit * 1000;
  const scale = options.scale ?? (D.kind === 'Rd' ? 1 : D.radius);
  const seedCount = options.seeds ? options.seeds.length / d : 0;
  const S = nRandom + seedCount;
  const X = new Float64Array(S * d);
  for (let s = 0; s < nRandom; s++) {
    if (d === 1 && D.kind === 'ball') X[s] = D.radius * (-1 + (2 * (s + rng.uniform())) / nRandom);
    else drawStart(D, d, rng, scale, X, s * d);
  }
  if (options.seeds) X.set(options.seeds, nRandom * d);
  for (let s = 0; s < S; s++) project(D, X.subarray(s * d, s * d + d));
  const search = options.search ?? referenceSearch(model);
  // f32 values carry relative noise of about 1e-7: a step counts only for a gain above it
  const gain = search.certifies ? 1e-12 : 1e-6;
  // on a sphere the ascent climbs the tangential gradient norm, the one that bounds Lip there
  const G = certifyingGradients(D, X, search.gradient(X, S), S, d);
  let evals = S;
  const norms = new Float64Array(S);
  for (let s = 0; s < S; s++) norms[s] = rowNorm(G, s, d);
  const step = new Float64Array(S).fill(0.1 * scale);
  const active = new Uint8Array(S).fill(1);
  const minStep = 1e-9 * scale;
  for (let it = 0; it < steps && performance.now() - t0 < limitMs; it++) {
    const idx: number[] = [];
    for (let s = 0; s < S; s++) if (active[s]) idx.push(s);
    if (idx.length === 0) break;
    const m = idx.length;
    const probes = new Float64Array(2 * m * d);
    const U = new Float64Array(m * d);
    idx.forEach((s, q) => {
      const gn = norms[s];
      for (let t = 0; t < d; t++) U[q * d + t] = gn > 0 ? G[s * d + t] / gn : 0;
      if (!(gn > 0)) drawSpherePoint(rng, U, q * d, d);
      const h = Math.max(step[s], 1e-6 * scale);
      for (let t = 0; t < d; t++) {
        probes[2 * q * d + t] = X[s * d + t] + h * U[q * d + t];
        probes[(2 * q + 1) * d + t] = X[s * d + t] - h * U[q * d + t];
      }
    });
    const PG = search.gradient(probes, 2 * m);
    evals += 2 * m;
    const cand = new Float64Array(m * d);
    idx.forEach((s, q) => {
      const dir = new Float64Array(d);
      let dn = 0;
      if (norms[s] > 0) {
        for (let t = 0; t < d; t++) {
          dir[t] = PG[2 * q * d + t] - PG[(2 * q + 1) * d + t];
          dn += dir[t] * dir[t];
        }
        dn = Math.sqrt(dn);
      } else {
        // No gradient to follow (a flat region): the random probe direction is not tied to the sign of
        // f, so step towards whichever probe has the larger gradient norm (invariant under f -> s f).
        const side = rowNorm(PG, 2 * q, d) >= rowNorm(PG, 2 * q + 1, d) ? 1 : -1;
        for (let t = 0; t < d; t++) dir[t] = side * U[q * d + t];
        dn = 1;
      }
      if (!(dn > 0)) {
        drawSpherePoint(rng, dir, 0, d);
        dn = 1;
      }
      for (let t = 0; t < d; t++) cand[q * d + t] = X[s * d + t] + (step[s] * dir[t]) / dn;
      project(D, cand.subarray(q * d, q * d + d));
    });
    const CG = certifyingGradients(D, cand, search.gradient(cand, m), m, d);
    evals += m;
    idx.forEach((s, q) => {
      const cn = rowNorm(CG, q, d);
      // a relative margin: piecewise-linear models have plateaus of equal ||grad f||, and ties must be
      // decided the same way for f and s f (scale equivariance), not by rounding
      if (cn > norms[s] * (1 + gain)) {
        X.set(cand.subarray(q * d, q * d + d), s * d);
        G.set(CG.subarray(q * d, q * d + d), s * d);
        norms[s] = cn;
        step[s] *= 1.5;
      } else {
        step[s] *= 0.5;
        if (step[s] < minStep) active[s] = 0;
      }
    });
  }
  // the reported value is an f64 gradient norm: an f32 search's best candidates are re-evaluated
  const top = certifyTop(model, D, X, norms, S, search);
  const bi = top.index;
  evals += top.evaluations;
  const x = X.slice(bi * d, bi * d + d);
  const name = domainName(D);
  let best: LipEstimate = { kind: 'lower', value: top.norm, witness: { type: 'point', x: Array.from(x), gradNorm: top.norm }, domain: name, evaluations: evals, method: 'gradient-ascent' };
  // Every model's best point becomes a certified secant (docs/science.md section 3, "Rounding"): for models
  // with kinks a computed gradient may not be in the generalised gradient; for smooth ones a computed
  // gradient norm carries rounding that nothing bounds, while a secant's evaluation error is bounded.
  {
    const inside = (p: Float64Array) => contains(D, p);
    const g = search.certifies ? G.slice(bi * d, bi * d + d) : certifyingGradients(D, x, model.gradient(x, 1), 1, d);
    const ref = refineWithSecant(model, x, g, scale, name, inside, (p) => project(D, Float64Array.from(p)));
    best = ref === null ? { ...best, value: 0, witness: { type: 'certificate', formula: 'no secant inside the domain', terms: {} } } : { ...ref, method: 'gradient-ascent+secant', evaluations: evals + ref.evaluations };
    evals = best.evaluations;
  }
  return { best, bestGradNorm: top.norm, evaluations: evals, seconds: (performance.now() - t0) / 1000 };
}

function rowNorm(G: Float64Array, s: number, d: number): number {
  let v = 0;
  for (let t = 0; t < d; t++) v += G[s * d + t] ** 2;
  return Math.sqrt(v);
}
