import { UNIT_ROUNDOFF } from '../certificate.js';
import type { HiddenLayerProblem } from './hidden-layer-problem.js';
import { gamma, verifyDiagMinusGram } from './verified-psd.js';

/** A LipSDP-Neuron certificate: one multiplier t_j > 0 per unit with slack (indexed like `problem.slack`) and rho. */
export interface LipSdpCertificate {
  /** t_j for j in problem.slack, in that order. */
  readonly t: Float64Array;
  /** The claimed bound on Lip(f)^2. */
  readonly rho: number;
}

/** The two equivalent forms of the matrix inequality that {@link verifyLipSdp} can check (docs/science.md section 9.2). */
export type LipSdpRoute = 'full' | 'reduced';

/** The verdict on a certificate. */
export interface LipSdpVerdict {
  /** True only when the matrix inequality was verified in f64 with a margin that covers every rounding. */
  readonly valid: boolean;
  /** sqrt(rho) rounded up: a certified upper bound on Lip(f) when valid. */
  readonly bound: number;
  readonly route: LipSdpRoute;
  /** The size of the matrix that was factorised. */
  readonly size: number;
  /** The Cholesky shift that covered the rounding (docs/science.md section 9.3). */
  readonly margin: number;
  /** Why it was rejected (empty when valid). */
  readonly reason: string;
}

const u = UNIT_ROUNDOFF;

/**
 * Verifies a LipSDP-Neuron certificate in f64 (docs/science.md sections 9.2 and 9.3). The matrix inequality
 * of the one-hidden-layer network is
 *
 *   A(rho, t) = diag(rho I_d, 2 T) - Z^T Z  >=  0,   T = diag(t_j : j in J),
 *   Z = [ diag(sqrt(2 t_j) half_j) W_J    0   ]     (|J| rows)
 *       [ V diag(mid) W                  V_J ]     (m rows),
 *
 * (J the units with slack); it implies Lip(f)^2 <= rho on the domain the slopes hold on. `full` checks it
 * as is (size d + |J|). `reduced`, for one output (V = a^T), checks the equivalent
 *   s = 1 - sum_J a_j^2 / (2 t_j) > 0   and   rho I - F^T F >= 0,
 *   F = [ diag(sqrt(2 t_j) half_j) W_J ; u^T / sqrt(s) ],  u = sum_j mid_j a_j w_j,
 * on the smaller side (min(d, |J| + 1)), with s replaced by a certified lower bound (which only enlarges
 * F^T F). Each PSD check is a Cholesky factorisation with the margin of {@link verifyDiagMinusGram}; the
 * rounding of Z's entries is bounded here and passed on. `auto` picks reduced for one output, else full.
 */
export function verifyLipSdp(P: HiddenLayerProblem, cert: LipSdpCertificate, route: LipSdpRoute | 'auto' = 'auto'): LipSdpVerdict {
  const r: LipSdpRoute = route === 'auto' ? (P.m === 1 ? 'reduced' : 'full') : route;
  const reject = (reason: string, size = 0, margin = Number.NaN): LipSdpVerdict => ({ valid: false, bound: Number.POSITIVE_INFINITY, route: r, size, margin, reason });
  const { rho, t } = cert;
  const J = P.slack;
  if (t.length !== J.length) return reject(`${t.length} multipliers for ${J.length} units with slack`);
  if (!(rho > 0 && rho < Number.POSITIVE_INFINITY)) return reject(`rho = ${rho} is not positive and finite`);
  for (let q = 0; q < J.length; q++) if (!(t[q] > 0 && t[q] < Number.POSITIVE_INFINITY)) return reject(`multiplier t[${q}] = ${t[q]} is not positive and finite`);
  if (r === 'reduced' && P.m !== 1) return reject('the reduced form needs one output');
  const check = r === 'full' ? fullForm(P, cert) : reducedForm(P, cert);
  if ('reason' in check) return reject(check.reason);
  const res = verifyDiagMinusGram(check.c, check.Z, check.rows, check.cols, check.zErrF);
  if (!res.psd) return reject(`the matrix inequality fails: Cholesky pivot ${res.failedPivot + 1} of ${check.cols} is not positive (shift ${res.margin.toExponential(3)})`, check.cols, res.margin);
  let bound = Math.sqrt(rho);
  bound += bound * u * 2; // sqrt is correctly rounded: one rounding up covers it
  return { valid: true, bound, route: r, size: check.cols, margin: res.margin, reason: '' };
}

interface Form {
  readonly c: Float64Array;
  readonly Z: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly zErrF: number;
}

/** Rows of diag(sqrt(2 t_j) half_j) W_J into Z (row stride `stride`, column offset 0); returns the squared error bound. */
function slackRows(P: HiddenLayerProblem, t: Float64Array, Z: Float64Array, stride: number): number {
  const { d, W, half, slack } = P;
  let err2 = 0;
  slack.forEach((j, q) => {
    const s = Math.sqrt(2 * t[q]) * half[j];
    for (let i = 0; i < d; i++) {
      const z = s * W[j * d + i];
      Z[q * stride + i] = z;
      // three roundings (sqrt, two products), each relative u: |error| <= 3.1 u |z|
      err2 += (3.1 * u * z) ** 2;
    }
  });
  return err2;
}

/** B = V diag(mid) W (m x d) and the bound gamma_{k+2} |V| |mid| |W| on its rounding. */
function midProduct(P: HiddenLayerProblem): { B: Float64Array; err: Float64Array } {
  const { d, k, m, W, V, mid } = P;
  const B = new Float64Array(m * d);
  const abs = new Float64Array(m * d);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) {
      const vm = V[i * k + j] * mid[j];
      if (vm === 0) continue;
      for (let t = 0; t < d; t++) {
        const p = vm * W[j * d + t];
        B[i * d + t] += p;
        abs[i * d + t] += Math.abs(p);
      }
    }
  }
  const g = gamma(k + 3) * 1.01;
  return { B, err: abs.map((v) => v * g) };
}

function fullForm(P: HiddenLayerProblem, cert: LipSdpCertificate): Form | { reason: string } {
  const { d, k, m, V, slack } = P;
  const nJ = slack.length;
  const cols = d + nJ;
  const rows = nJ + m;
  const Z = new Float64Array(rows * cols);
  let err2 = slackRows(P, cert.t, Z, cols);
  const { B, err } = midProduct(P);
  for (let i = 0; i < m; i++) {
    const row = (nJ + i) * cols;
    for (let t = 0; t < d; t++) {
      Z[row + t] = B[i * d + t];
      err2 += err[i * d + t] ** 2;
    }
    slack.forEach((j, q) => (Z[row + d + q] = V[i * k + j]));
  }
  const c = new Float64Array(cols);
  c.fill(cert.rho, 0, d);
  slack.forEach((_, q) => (c[d + q] = 2 * cert.t[q]));
  return { c, Z, rows, cols, zErrF: Math.sqrt(err2) * (1 + 1e-6) };
}

function reducedForm(P: HiddenLayerProblem, cert: LipSdpCertificate): Form | { reason: string } {
  const { d, k, V, slack } = P;
  const nJ = slack.length;
  const t = cert.t;
  // q = sum_J a_j^2 / (2 t_j): each term two roundings, the sum gamma_{|J|}; s_lo <= s exactly
  let q = 0;
  slack.forEach((j, p) => (q += (V[j] * V[j]) / (2 * t[p])));
  const qHi = q * (1 + gamma(nJ + 4)) * (1 + 1e-12) + 4 * Number.MIN_VALUE;
  let sLo = 1 - qHi;
  sLo -= Math.abs(sLo) * 2 * u + Number.MIN_VALUE;
  if (!(sLo > 0)) return { reason: `sum_j a_j^2 / (2 t_j) = ${q} is not below 1 (the multipliers leave no room for the output weights)` };
  const { B, err } = midProduct(P);
  const root = Math.sqrt(sLo);
  const Frows = nJ + 1;
  const F = new Float64Array(Frows * d);
  let err2 = slackRows(P, t, F, d);
  for (let i = 0; i < d; i++) {
    F[nJ * d + i] = B[i] / root;
    // B's rounding, then sqrt and division: two more relative roundings
    err2 += ((err[i] + 2.1 * u * Math.abs(B[i])) / root) ** 2;
  }
  void k;
  const zErrF = Math.sqrt(err2) * (1 + 1e-6);
  if (d <= Frows) return { c: new Float64Array(d).fill(cert.rho), Z: F, rows: Frows, cols: d, zErrF };
  // rho I - F F^T on the (|J| + 1) side: Z = F^T (d x (|J| + 1))
  const Ft = new Float64Array(d * Frows);
  for (let r = 0; r < Frows; r++) for (let i = 0; i < d; i++) Ft[i * Frows + r] = F[r * d + i];
  return { c: new Float64Array(Frows).fill(cert.rho), Z: Ft, rows: d, cols: Frows, zErrF };
}
