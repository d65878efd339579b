/**
 * Re-verifies a one-hidden-layer LipSDP-Neuron certificate from its data (docs/science.md sections 9.2 and
 * 11): each unit's slope interval on the domain is recomputed here and must lie in the certificate's
 * [mid - half, mid + half]; dropped units must be inactive; then A = diag(rho I, 2T) - Z^T Z >= 0 is proven
 * on the side of Z's rows, as I - Z C^-1 Z^T >= 0 with C = diag(rho I, 2T) (||Z C^-1/2|| <= 1 either way), by a
 * Cholesky factorisation in interval arithmetic whose every pivot must be certainly positive.
 * @module
 */
import { add, div, mul, norm, point, roundedSum, sq, sqrt, sub, sum, tame, type Interval } from './interval.js';
import { checkedActivation } from './activations.js';
import { cholesky } from './cholesky.js';
import type { CheckedLayer } from './network.js';

/** The certificate's data as a result carries it (src/lipschitz/estimate.ts, LipSdpCertificateData). */
export interface LipSdpData {
  readonly units: readonly number[];
  readonly mid: readonly number[];
  readonly half: readonly number[];
  readonly slack: readonly number[];
  readonly t: readonly number[];
  readonly rho: number;
  readonly eW: number;
  readonly eV: number;
}

/** The most work (rows^2 x columns interval products) the check does; beyond, the bound is not checkable. */
const MAX_WORK = 5e7;

/** The bound the certificate proves (an upper end), or why it proves none. `R`: the ball's radius (Infinity: R^d). */
export function lipSdpBound(L1: CheckedLayer, L2: CheckedLayer, act: string, c: LipSdpData, R: number): { bound: number } | { reason: string; rejected: boolean } {
  const no = (reason: string, rejected = false) => ({ reason, rejected });
  const s = checkedActivation(act);
  if (s === null) return no(`no slope enclosure of ${act} in the checker`);
  if (L1.weightError || L1.biasError || L2.weightError || L2.biasError) return no('weights known only to their rounding: the certificate is of the stored ones');
  const { inputs: d, outputs: k } = L1;
  const m = L2.outputs;
  const K = c.units.length;
  if (c.mid.length !== K || c.half.length !== K || c.t.length !== c.slack.length || !c.units.every((j) => Number.isInteger(j) && j >= 0 && j < k)) return no('certificate data of inconsistent sizes', true);
  if (!(c.rho > 0) || !c.t.every((v) => v > 0 && Number.isFinite(v)) || !Number.isInteger(c.eW) || !Number.isInteger(c.eV)) return no('multipliers that are not positive', true);
  // each unit's slopes on the domain: its pre-activation lies in b_j +- ||w_j|| R
  const ranges = Array.from({ length: k }, (_, j) => {
    const w = Array.from({ length: d }, (_, i) => point(L1.weights[j * d + i]));
    const r = R === Number.POSITIVE_INFINITY ? { lo: Number.POSITIVE_INFINITY, hi: Number.POSITIVE_INFINITY } : mul(norm(w), point(R));
    const z = { lo: sub(point(L1.biases[j]), r).lo, hi: add(point(L1.biases[j]), r).hi };
    return w.every((v) => v.lo === 0) ? point(L1.biases[j]) : z;
  });
  const slopes = ranges.map((z) => s.slopes(z));
  const kept = new Set(c.units);
  for (let j = 0; j < k; j++) {
    if (kept.has(j)) continue;
    const wZero = Array.from({ length: d }, (_, i) => L1.weights[j * d + i]).every((v) => v === 0);
    const vZero = Array.from({ length: m }, (_, i) => L2.weights[i * k + j]).every((v) => v === 0);
    if (!wZero && !vZero && !(slopes[j].lo === 0 && slopes[j].hi === 0)) return no(`unit ${j + 1} is left out but active on the domain`, true);
  }
  const slackSet = new Set(c.slack);
  for (let q = 0; q < K; q++) {
    const [lo, hi] = [sub(point(c.mid[q]), point(c.half[q])).hi, add(point(c.mid[q]), point(c.half[q])).lo];
    const sl = slopes[c.units[q]];
    if (!(lo <= sl.lo && sl.hi <= hi)) {
      // the enclosure is wider than the truth: only a slope the unit certainly takes (s' at an end of its range,
      // attained on the ball's boundary) outside the interval proves the certificate wrong
      const z = ranges[c.units[q]];
      const taken = [z.lo, z.hi].filter(Number.isFinite).map((e) => s.slope({ lo: e, hi: e })).filter((v): v is Interval => v !== null);
      const outside = taken.some((v) => v.hi < lo || v.lo > hi);
      return no(`unit ${c.units[q] + 1}'s slopes [${sl.lo}, ${sl.hi}] on the domain ${outside ? 'leave' : 'are not certainly inside'} the certificate's interval [${lo}, ${hi}]`, outside);
    }
    if ((c.half[q] > 0) !== slackSet.has(q)) return no('the multipliers are not those of the units with slack', true);
  }
  const J = c.slack;
  const rows = J.length + m;
  const cols = d + J.length;
  // the scaled problem: W 2^-eW and V 2^-eV (powers of two: exact unless they underflow)
  const sW = 2 ** -c.eW;
  const sV = 2 ** -c.eV;
  const wq = (q: number, i: number) => L1.weights[c.units[q] * d + i] * sW;
  const vq = (r: number, q: number) => L2.weights[r * k + c.units[q]] * sV;
  for (let q = 0; q < K; q++) for (let i = 0; i < d; i++) if (wq(q, i) / sW !== L1.weights[c.units[q] * d + i]) return no('a weight that does not scale exactly');
  const bound = { bound: sqrt(point(c.rho)).hi * 2 ** (c.eW + c.eV) };
  if ((d + m) * (d + m) * (J.length + K * m) < rows * rows * cols) {
    const schur = inputSide(c, d, K, m, wq, vq);
    return typeof schur === 'string' ? no(schur, false) : schur === true ? bound : no(schur.refuted, true);
  }
  if (rows * rows * cols > MAX_WORK) return no(`a matrix inequality of ${rows} rows and ${cols} columns, beyond the checker's budget`);
  // Z: rows [sqrt(2 t_j) half_j w_j, 0] (j in J) and [B_i, V_iJ] (outputs), B = V diag(mid) W over the kept units
  const Z: Interval[][] = [];
  J.forEach((q, a) => {
    const f = mul(sqrt(mul(point(2), point(c.t[a]))), point(c.half[q]));
    Z.push([...Array.from({ length: d }, (_, i) => mul(f, point(wq(q, i)))), ...J.map(() => point(0))]);
  });
  for (let r = 0; r < m; r++) {
    const B = Array.from({ length: d }, (_, i) => sum(Array.from({ length: K }, (_, q) => mul(mul(point(vq(r, q)), point(c.mid[q])), point(wq(q, i))))));
    Z.push([...B, ...J.map((q) => point(vq(r, q)))]);
  }
  // 1 / C: 1 / rho for the d input columns, 1 / (2 t_j) for the rest
  const inv = [...Array.from({ length: d }, () => div(point(1), point(c.rho))), ...c.t.map((t) => div(point(1), mul(point(2), point(t))))];
  const M: Interval[][] = Array.from({ length: rows }, (_, a) =>
    Array.from({ length: a + 1 }, (_, b) => sub(point(a === b ? 1 : 0), sum(inv.map((w, col) => mul(mul(Z[a][col], Z[b][col]), w))))),
  );
  const psd = cholesky(M);
  // sqrt(rho) 2^(eW + eV), its upper end (the scaling is exact)
  return psd === true ? bound : typeof psd === 'string' ? no(psd) : no(psd.refuted, true);
}

/**
 * The certificate's matrix inequality A = C - Z^T Z >= 0 on the inputs' side: with D = diag(2 t_J), V_J the
 * outputs' weights on the slack units and S = V_J D^-1 V_J^T (m x m), A >= 0 holds when
 * N = [[rho I - G, B^T], [B, I - S]] > 0, G = sum_J 2 t_j half_j^2 w_j w_j^T, B = V diag(mid) W over the kept
 * units: I - S > 0 makes D - V_J^T V_J > 0 (their nonzero eigenvalues match), and then A's Schur complement
 * rho I - G - B^T (I - S)^-1 B is N's (Sherman-Morrison-Woodbury; docs/science.md section 11). A (d + m) square
 * matrix whatever the width; the long sums by {@link roundedSum} or {@link gramEnclosure}.
 */
function inputSide(c: LipSdpData, d: number, K: number, m: number, w: (q: number, i: number) => number, v: (r: number, q: number) => number): true | string | { refuted: string } {
  const J = c.slack;
  const Wk = Float64Array.from({ length: K * d }, (_, e) => w(Math.floor(e / d), e % d));
  const V = Float64Array.from({ length: m * K }, (_, e) => v(Math.floor(e / K), e % K));
  if (![c.rho, ...c.t, ...c.mid, ...c.half].every(tame) || !Wk.every(tame) || !V.every(tame)) return 'numbers beyond 2^+-200 (the fast sums need none)';
  // G from the rows sqrt(2 t_j) half_j w_j: its Gram; the row factors' roundings (a square root) covered by
  // intervals below, so the rows are formed as intervals' upper and lower ends around G
  const coef = J.map((q, a) => mul(mul(point(2), point(c.t[a])), sq(point(c.half[q]))));
  const G = Array.from({ length: d }, (_, i) => Array.from({ length: i + 1 }, (_, l) => roundedSum(J.length, 3, (a) => coef[a].hi * Wk[J[a] * d + i] * Wk[J[a] * d + l])));
  // coef rounded up bounds G from above where w_i w_l >= 0, below elsewhere: widen by the coefficients' widths
  const wide = Array.from({ length: d }, (_, i) => Array.from({ length: i + 1 }, (_, l) => roundedSum(J.length, 3, (a) => (coef[a].hi - coef[a].lo) * Math.abs(Wk[J[a] * d + i] * Wk[J[a] * d + l]))));
  const B = Array.from({ length: m }, (_, r) => Array.from({ length: d }, (_, i) => roundedSum(K, 3, (q) => V[r * K + q] * c.mid[q] * Wk[q * d + i])));
  const S = Array.from({ length: m }, (_, r) => Array.from({ length: r + 1 }, (_, s2) => sum(J.map((q, a) => div(mul(point(V[r * K + q]), point(V[s2 * K + q])), mul(point(2), point(c.t[a])))))));
  const N: Interval[][] = Array.from({ length: d + m }, (_, i) =>
    Array.from({ length: i + 1 }, (_, j) => {
      if (i < d) return sub(sub(point(i === j ? c.rho : 0), G[i][j]), { lo: -wide[i][j].hi, hi: wide[i][j].hi });
      if (j < d) return B[i - d][j];
      return sub(point(i === j ? 1 : 0), S[i - d][j - d]);
    }),
  );
  return cholesky(N);
}
