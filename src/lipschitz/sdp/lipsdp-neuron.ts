import { exponentOf, ldexp } from '../../linalg/pow2.js';
import { upperEstimate } from '../certificate.js';
import { domainName, withinBall, type Domain } from '../domain.js';
import type { LipEstimate } from '../estimate.js';
import { hiddenLayerProblem, scaleProblem } from './hidden-layer-problem.js';
import { solveLipSdp } from './lipsdp-solver.js';
import { preActivationRanges, slopeInterval } from './slope-bounds.js';
import { verifyLipSdp, type LipSdpVerdict } from './verify-certificate.js';

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
  const { W, b, V, k, d, m } = net;
  const R = D.kind === 'ball' || D.kind === 'sphere' ? D.radius : withinBall(D, modelRadius) ? modelRadius : Number.POSITIVE_INFINITY;
  const { lo: zlo, hi: zhi } = preActivationRanges(W, b, k, d, R);
  const lo = new Float64Array(k);
  const hi = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const s = slopeInterval(net.activation, zlo[j], zhi[j]);
    if (s === null) return none();
    [lo[j], hi[j]] = s;
  }
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
  const sol = solveLipSdp(P, { maxIterations: options.maxIterations, timeLimitMs: options.timeLimitMs });
  if (sol === null) return none();
  let verdict: LipSdpVerdict | null = null;
  let rho = sol.rho;
  // t scaled by 1 + slack / 2 and rho by 1 + slack: G(c t) <= c G(t) for c >= 1 (section 9.4), so this leaves
  // a gap of about slack / 2 rho for the rounding margin and moves S away from singular
  for (const slack of [1e-7, 1e-5, 1e-3, 1e-2]) {
    rho = sol.rho * (1 + slack);
    verdict = verifyLipSdp(P, { t: sol.t.map((v) => v * (1 + slack / 2)), rho });
    if (verdict.valid) break;
  }
  if (verdict === null || !verdict.valid) return none(verdict);
  const value = ldexp(verdict.bound, eW + eV);
  // a result that overflowed, or underflowed into the subnormals (where the scaling is not exact), is no certificate
  if (!(value < Number.POSITIVE_INFINITY) || ldexp(value, -eW - eV) !== verdict.bound) return none(verdict);
  const estimate = upperEstimate(
    value,
    domainName(D),
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
  );
  return { estimate, verdict, seconds: (performance.now() - t0) / 1000 };
}
