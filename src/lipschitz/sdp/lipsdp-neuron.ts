import { exponentOf, ldexp } from '../../linalg/pow2.js';
import { upperEstimate } from '../certificate.js';
import { domainName, withinBall, type Domain } from '../domain.js';
import type { LipEstimate } from '../estimate.js';
import { hiddenLayerProblem, scaleProblem } from './hidden-layer-problem.js';
import { solveLipSdp } from './lipsdp-solver.js';
import { preActivationRanges, slopeInterval } from './slope-bounds.js';
import { verifyLipSdp, type LipSdpVerdict } from './verify-certificate.js';
import { deepProblem, deepSlopes, verifyDeepLipSdp, type DeepLayer } from './deep-problem.js';
import { solveDeepLipSdp } from './deep-solver.js';

/** The method name of the certificate in estimates and reports. */
export const LIPSDP_NEURON = 'lipsdp-neuron';

/** A network with one hidden layer: f(x) = V s(W x + b) + c. */
export interface OneHiddenLayerNet {
  /** k x d row-major. */
  readonly W: Float64Array;
  readonly b: Float64Array;
  /** m x k row-major (m = 1: the output weights a). */
  readonly V: Float64Array;
  readonly k: number;
  readonly d: number;
  readonly m: number;
  /** The activation's name (see slope-bounds.ts for those with a slope interval). */
  readonly activation: string;
}

/** Options of {@link lipSdpUpper}. */
export interface LipSdpOptions {
  /** Solver iterations (default 300). */
  readonly maxIterations?: number;
  /** Solver wall-time cap, ms (default none; a cap makes the bound depend on the machine). */
  readonly timeLimitMs?: number;
  /** Largest matrix the full form may factorise (several outputs; default 2,000). */
  readonly maxFullSize?: number;
}

/** What {@link lipSdpUpper} found, with the verdict on the certificate it reports (or the last one it tried). */
export interface LipSdpResult {
  readonly estimate: LipEstimate | null;
  readonly verdict: LipSdpVerdict | null;
  readonly seconds: number;
}

/**
 * A certified upper bound on the l2 -> l2 Lipschitz constant of a one-hidden-layer network over D, of the
 * LipSDP-Neuron kind (Fazlyab et al., NeurIPS 2019; docs/science.md section 9): per-unit slope intervals
 * from the pre-activation ranges on the domain's ball (R^d when the domain is unbounded), one multiplier
 * per unit, the multipliers from the first-order solver, and the bound reported ONLY when the matrix
 * inequality holds for them in f64 with a margin that covers every rounding (verify-certificate.ts): a
 * solver that stops early gives a looser bound, never a wrong one. The problem is first scaled by powers of
 * two (W and V to largest entries in [1, 2)) and the bound scaled back, so it is exactly equivariant.
 * Returns a null estimate where the activation's slope is not bounded on the domain, the matrix would be
 * too large, or no certificate verified.
 */
export function lipSdpUpper(net: OneHiddenLayerNet, D: Domain, modelRadius: number, options: LipSdpOptions = {}): LipSdpResult {
  const t0 = performance.now();
  const none = (verdict: LipSdpVerdict | null = null): LipSdpResult => ({ estimate: null, verdict, seconds: (performance.now() - t0) / 1000 });
  const { W, b, k, d } = net;
  const R = D.kind === 'ball' || D.kind === 'sphere' ? D.radius : withinBall(D, modelRadius) ? modelRadius : Number.POSITIVE_INFINITY;
  const { lo: zlo, hi: zhi } = preActivationRanges(W, b, k, d, R);
  const lo = new Float64Array(k);
  const hi = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const s = slopeInterval(net.activation, zlo[j], zhi[j]);
    if (s === null) return none();
    [lo[j], hi[j]] = s;
  }
  return lipSdpUpperForSlopes(net, lo, hi, domainName(D), options, t0);
}

/**
 * The certificate of {@link lipSdpUpper} for given per-unit slope intervals [lo_j, hi_j] (docs/science.md
 * section 9.2): every unit's difference quotients on the domain are assumed to lie in its interval, and the
 * bound then holds for f there, and for every linear map V diag(kappa) W with kappa_j in [lo_j, hi_j] on all
 * of R^d (section 9.6). `domain` names where the caller's intervals hold. Null as lipSdpUpper.
 */
export function lipSdpUpperForSlopes(net: OneHiddenLayerNet, lo: Float64Array, hi: Float64Array, domain: string, options: LipSdpOptions = {}, t0 = performance.now()): LipSdpResult {
  const none = (verdict: LipSdpVerdict | null = null): LipSdpResult => ({ estimate: null, verdict, seconds: (performance.now() - t0) / 1000 });
  const { W, V, k, d, m } = net;
  const raw = hiddenLayerProblem(W, V, k, d, m, lo, hi);
  if (raw === null) return none();
  const maxAbs = (A: Float64Array) => A.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
  const mW = maxAbs(raw.W);
  const mV = maxAbs(raw.V);
  if (!(mW < Number.POSITIVE_INFINITY && mV < Number.POSITIVE_INFINITY)) return none();
  if (mW === 0 || mV === 0 || raw.k === 0) return none(); // constant on the domain: the class's own bounds say 0
  const eW = exponentOf(mW);
  const eV = exponentOf(mV);
  const P = scaleProblem(raw, ldexp(1, -eW), ldexp(1, -eV));
  if (m > 1 && d + P.slack.length > (options.maxFullSize ?? 2000)) return none();
  // one evaluation costs about (k + m) min(d, k + m)^2: beyond 1e9 (a minute of solver time) there is no certificate
  const side = Math.min(d, P.k + m);
  if ((P.k + m) * side * side > 1e9) return none();
  const sol = solveLipSdp(P, { maxIterations: options.maxIterations, timeLimitMs: options.timeLimitMs });
  if (sol === null) return none();
  let verdict: LipSdpVerdict | null = null;
  let rho = sol.rho;
  let tUsed: Float64Array = sol.t;
  // t scaled by 1 + slack / 2 and rho by 1 + slack: G(c t) <= c G(t) for c >= 1 (section 9.4), so this leaves
  // a gap of about slack / 2 rho for the rounding margin and moves S away from singular
  for (const slack of [1e-7, 1e-5, 1e-3, 1e-2]) {
    rho = sol.rho * (1 + slack);
    tUsed = sol.t.map((v) => v * (1 + slack / 2));
    verdict = verifyLipSdp(P, { t: tUsed, rho });
    if (verdict.valid) break;
  }
  if (verdict === null || !verdict.valid) return none(verdict);
  const value = ldexp(verdict.bound, eW + eV);
  // a result that overflowed, or underflowed into the subnormals (where the scaling is not exact), is no certificate
  if (!(value < Number.POSITIVE_INFINITY) || ldexp(value, -eW - eV) !== verdict.bound) return none(verdict);
  const estimate = upperEstimate(
    value,
    domain,
    LIPSDP_NEURON,
    `sqrt(rho): diag(rho I, 2T) - Z^T Z >= 0 (LipSDP-Neuron, ${P.slack.length} multipliers from ${sol.iterations} solver iterations, stop: ${sol.stop}), verified in f64 by Cholesky (${verdict.route} form, size ${verdict.size}) with a shift covering rounding; docs/science.md section 9`,
    {
      rho: ldexp(rho, 2 * (eW + eV)),
      multipliers: P.slack.length,
      solverIterations: sol.iterations,
      choleskySize: verdict.size,
      choleskyShift: ldexp(verdict.margin, 2 * (eW + eV)),
      verifiedInF64: 1,
    },
    0,
    { kind: 'lipsdp-neuron', units: [...P.units], mid: Array.from(P.mid), half: Array.from(P.half), slack: [...P.slack], t: Array.from(tUsed), rho, eW, eV },
  );
  return { estimate, verdict, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The certificate of a network with two or more hidden layers (docs/science.md section 9.5): slope intervals
 * by interval arithmetic through the layers, the deep problem, its solver, and the f64 verification of
 * diag(rho I, 2T) - Z^T Z >= 0. ReLU (and linear) networks are first scaled layer by layer by powers of two
 * (exactly equivariant); others as given. Null where a slope is unbounded, the matrix would exceed
 * `maxFullSize`, or no certificate verified.
 */
export function lipSdpDeepUpper(layers: readonly DeepLayer[], activations: readonly string[], D: Domain, modelRadius: number, options: LipSdpOptions = {}): LipSdpResult {
  const t0 = performance.now();
  const none = (): LipSdpResult => ({ estimate: null, verdict: null, seconds: (performance.now() - t0) / 1000 });
  if (layers.length < 3 || activations.length !== layers.length - 1) return none();
  // sizes first: the matrices below are (units + m) x (d + units)
  const units = layers.slice(0, -1).reduce((s, L) => s + L.outputs, 0);
  if (layers[0].inputs + units > (options.maxFullSize ?? 2000) || units + layers[layers.length - 1].outputs > 400) return none();
  const R = D.kind === 'ball' || D.kind === 'sphere' ? D.radius : withinBall(D, modelRadius) ? modelRadius : Number.POSITIVE_INFINITY;
  const homogeneous = activations.every((a) => a === 'relu' || a === 'linear');
  const sc = homogeneous ? scaleExactly(layers) : { scaled: layers, E: 0, e: layers.map(() => 0) };
  if (sc === null) return none();
  const slopes = deepSlopes(sc.scaled, activations, R);
  if (slopes === null) return none();
  return deepCertificate(sc.scaled, slopes, sc, domainName(D), options, t0);
}

/**
 * The certificate of {@link lipSdpDeepUpper} for a relu (or linear) network with two or more hidden layers
 * and given per-unit slope intervals (docs/science.md sections 9.5 and 9.6): the layers are scaled by powers
 * of two as there (the slopes of relu and linear units do not change under it), and the bound holds for f on
 * the set where every unit's difference quotients lie in its interval, and for every linear map
 * W_out diag(kappa_L) ... diag(kappa_1) W_1 with kappa in the intervals. `domain` names that set. Null as
 * lipSdpDeepUpper, or when an activation is neither relu nor linear.
 */
export function lipSdpDeepForSlopes(layers: readonly DeepLayer[], activations: readonly string[], slopes: readonly { lo: Float64Array; hi: Float64Array }[], domain: string, options: LipSdpOptions = {}): LipSdpResult {
  const t0 = performance.now();
  const none = (): LipSdpResult => ({ estimate: null, verdict: null, seconds: (performance.now() - t0) / 1000 });
  if (layers.length < 3 || activations.length !== layers.length - 1 || slopes.length !== layers.length - 1) return none();
  if (!activations.every((a) => a === 'relu' || a === 'linear')) return none();
  const units = layers.slice(0, -1).reduce((s, L) => s + L.outputs, 0);
  if (layers[0].inputs + units > (options.maxFullSize ?? 2000) || units + layers[layers.length - 1].outputs > 400) return none();
  const sc = scaleExactly(layers);
  if (sc === null) return none();
  return deepCertificate(sc.scaled, slopes, sc, domain, options, t0);
}

/**
 * The layers scaled by powers of two (layer l's weights by 2^-e_l, largest entry in [1, 2); its biases by
 * 2^-(e_1 + ... + e_l)), so that f is scaled by 2^-E, E = sum e_l, and relu and linear units keep their
 * slopes (docs/science.md section 9.5). Null unless every scaling is exact: a nonzero weight or bias that
 * would be rounded in the subnormal range (or to 0: a path the certificate would then see as cut, which
 * certified 0 for a net whose constant is 1e-125) or overflow. The caller then gives no
 * certificate rather than one of a different network.
 */
function scaleExactly(layers: readonly DeepLayer[]): { scaled: DeepLayer[]; E: number; e: number[] } | null {
  let E = 0;
  let cum = 0;
  const scaled: DeepLayer[] = [];
  const exps: number[] = [];
  const exact = (v: number, e: number) => {
    if (v === 0) return 0;
    const t = ldexp(v, e);
    // scaling back is exact, so the round trip fails exactly when t was rounded (or overflowed)
    return Number.isFinite(t) && ldexp(t, -e) === v ? t : null;
  };
  for (const L of layers) {
    const mx = L.weights.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
    if (!Number.isFinite(mx)) return null;
    const e = mx > 0 ? exponentOf(mx) : 0;
    exps.push(e);
    E += e;
    cum -= e;
    const weights = new Float64Array(L.weights.length);
    for (let i = 0; i < weights.length; i++) {
      const t = exact(L.weights[i], -e);
      if (t === null) return null;
      weights[i] = t;
    }
    const biases = new Float64Array(L.biases.length);
    for (let i = 0; i < biases.length; i++) {
      const t = exact(L.biases[i], cum);
      if (t === null) return null;
      biases[i] = t;
    }
    scaled.push({ ...L, weights, biases });
  }
  return { scaled, E, e: exps };
}

/** The deep problem of the scaled layers (f scaled by 2^-E) with the slopes, solved, verified and scaled back by 2^E. */
function deepCertificate(scaled: readonly DeepLayer[], slopes: readonly { lo: Float64Array; hi: Float64Array }[], scaling: { readonly E: number; readonly e: readonly number[] }, domain: string, options: LipSdpOptions, t0: number): LipSdpResult {
  const E = scaling.E;
  const none = (): LipSdpResult => ({ estimate: null, verdict: null, seconds: (performance.now() - t0) / 1000 });
  const layers = scaled;
  const P = deepProblem(scaled, slopes);
  if (!P.Zhat.every(Number.isFinite) || !P.ZhatErr.every(Number.isFinite)) return none();
  // the output map C is exactly zero: every path of nonzero weights from the input passes a unit whose slope
  // interval is [0, 0] on the domain, so f is constant there and 0 is the bound (the solver could only approach
  // it). Decided on the weights' pattern, not on the computed C: products of small weights can underflow to 0
  // in C while the map is not zero (the verification's absolute term covers them, a shortcut to 0 would not)
  if (!pathReachesOutput(scaled, slopes)) {
    const zero = upperEstimate(0, domain, LIPSDP_NEURON, 'the output map is exactly zero on the domain: every path passes a unit whose slope interval is [0, 0] (docs/science.md section 9.5)', { multipliers: 0 });
    return { estimate: zero, verdict: null, seconds: (performance.now() - t0) / 1000 };
  }
  if (P.cols > (options.maxFullSize ?? 2000) || P.rows > 400 || P.nJ === 0) return none();
  const sol = solveDeepLipSdp(P, options.maxIterations ?? 300);
  if (sol === null) return none();
  let ok: { bound: number; margin: number } | null = null;
  let rho = sol.rho;
  let tUsed = sol.t;
  for (const slack of [1e-7, 1e-5, 1e-3, 1e-2]) {
    rho = sol.rho * (1 + slack);
    tUsed = sol.t.map((v) => v * (1 + slack / 2));
    ok = verifyDeepLipSdp(P, tUsed, rho);
    if (ok !== null) break;
  }
  if (ok === null) return none();
  const value = ldexp(ok.bound, E);
  if (!(value < Number.POSITIVE_INFINITY) || ldexp(value, -E) !== ok.bound) return none();
  const estimate = upperEstimate(
    value,
    domain,
    LIPSDP_NEURON,
    `sqrt(rho): diag(rho I, 2T) - Z^T Z >= 0 (LipSDP-Neuron, ${layers.length - 1} hidden layers, ${P.nJ} multipliers from ${sol.iterations} solver iterations), verified in f64 by Cholesky (size ${P.cols}) with a shift covering rounding; docs/science.md section 9.5`,
    { rho: ldexp(rho, 2 * E), multipliers: P.nJ, solverIterations: sol.iterations, choleskySize: P.cols, choleskyShift: ldexp(ok.margin, 2 * E), verifiedInF64: 1 },
    0,
    { kind: 'lipsdp-deep', e: [...scaling.e], mid: P.mid.map((v) => Array.from(v)), half: P.half.map((v) => Array.from(v)), t: Array.from(tUsed), rho },
  );
  return { estimate, verdict: null, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Whether some path of nonzero weights leads from the input to an output through units none of whose slope
 * intervals is [0, 0] (docs/science.md section 9.5): exact, on the weights' zero pattern alone.
 */
function pathReachesOutput(layers: readonly DeepLayer[], slopes: readonly { lo: Float64Array; hi: Float64Array }[]): boolean {
  // live[j]: unit j of the current layer depends on the input along such a path (the input itself: all live)
  let live: boolean[] = new Array<boolean>(layers[0].inputs).fill(true);
  for (let l = 0; l < layers.length; l++) {
    const L = layers[l];
    const next: boolean[] = [];
    for (let r = 0; r < L.outputs; r++) {
      let reached = false;
      for (let c = 0; c < L.inputs && !reached; c++) reached = live[c] && L.weights[r * L.inputs + c] !== 0;
      const hidden = l < layers.length - 1;
      next.push(reached && (!hidden || slopes[l].lo[r] !== 0 || slopes[l].hi[r] !== 0));
    }
    live = next;
  }
  return live.some((v) => v);
}
