/**
 * Re-verifies a LipSDP-Neuron certificate of a network with several hidden layers from its data (docs/science.md
 * sections 9.5 and 11): the layers scaled by the stated powers of two (exactly), each unit's slope range on the
 * domain by interval arithmetic through the layers inside its interval [mid - half, mid + half], then, with
 * xi = (dx, r) (r: the slack parts of the units with half > 0), A_1 = [W_1, 0], Z' = diag(mid_l) A_l + E_l,
 * A_{l+1} = W_{l+1} Z', the rows sqrt(2 t_j) half_j (A_l)_j and C = A_{L+1}: diag(rho I, 2T) - Z^T Z >= 0 proves
 * Lip(f) <= sqrt(rho) 2^(sum e_l).
 * @module
 */
import { add, dotIntervals, mul, point, sqrt, sub, sum, type Interval } from './interval.js';
import { checkedActivation } from './activations.js';
import { cholesky } from './cholesky.js';
import { nums } from './witness.js';
import type { CheckedLayer } from './network.js';

/** The most interval products the check forms (the Gram of Z); beyond, not checkable. */
const MAX_WORK = 5e7;

/** The bound the certificate proves, or why none (rejected: it certainly fails). `R`: the ball's radius (Infinity: R^d). */
export function deepLipSdpBound(layers: readonly CheckedLayer[], acts: readonly string[], data: Readonly<Record<string, unknown>>, R: number): { bound: number } | { reason: string; rejected: boolean } {
  const no = (reason: string, rejected = false) => ({ reason, rejected });
  const L = layers.length - 1;
  const e = nums(data.e);
  const t = nums(data.t);
  const rho = data.rho;
  const mid = Array.isArray(data.mid) ? (data.mid as unknown[]).map(nums) : [];
  const half = Array.isArray(data.half) ? (data.half as unknown[]).map(nums) : [];
  if (e === null || t === null || typeof rho !== 'number' || e.length !== layers.length || mid.length !== L || half.length !== L) return no('certificate data of inconsistent sizes', true);
  if (!(rho > 0) || !t.every((v) => v > 0 && Number.isFinite(v)) || !e.every(Number.isInteger)) return no('multipliers that are not positive', true);
  if (layers.some((X) => X.weightError || X.biasError)) return no('weights known only to their rounding: the certificate is of the stored ones');
  if (e.some((v) => v !== 0) && !acts.every((a) => a === 'relu' || a === 'linear')) return no('a scaling of a network whose activations are not all relu or linear', true);
  // the scaled layers: weights by 2^-e_l, biases by 2^-(e_1 + ... + e_l); exact or not checkable
  let cum = 0;
  const scaled: { W: Float64Array; b: Float64Array; inputs: number; outputs: number }[] = [];
  for (let l = 0; l < layers.length; l++) {
    cum += e[l];
    const W = layers[l].weights.map((v) => v * 2 ** -e[l]);
    const b = layers[l].biases.map((v) => v * 2 ** -cum);
    if (W.some((v, i) => v * 2 ** e[l] !== layers[l].weights[i]) || b.some((v, i) => v * 2 ** cum !== layers[l].biases[i])) return no('a weight that does not scale exactly');
    scaled.push({ W, b, inputs: layers[l].inputs, outputs: layers[l].outputs });
  }
  // the units' pre-activation ranges on the domain and their slopes inside the certificate's intervals
  let h: Interval[] | null = null;
  for (let l = 0; l < L; l++) {
    const s = checkedActivation(acts[l]);
    if (s === null) return no(`no slope enclosure of ${acts[l]} in the checker`);
    const { W, b, inputs: n, outputs: k } = scaled[l];
    const m = mid[l];
    const hf = half[l];
    if (m === null || hf === null || m.length !== k || hf.length !== k) return no('certificate data of inconsistent sizes', true);
    const hl: Interval[] | null = h;
    const z: Interval[] = Array.from({ length: k }, (_, j): Interval => {
      if (hl !== null) return add(point(b[j]), dotIntervals(n, (c) => hl[c], (c) => W[j * n + c]));
      const r = R === Number.POSITIVE_INFINITY ? point(Number.POSITIVE_INFINITY) : mul(sqrt(sum(Array.from({ length: n }, (_, c) => mul(point(W[j * n + c]), point(W[j * n + c]))))), point(R));
      return W.subarray(j * n, j * n + n).every((v) => v === 0) ? point(b[j]) : { lo: sub(point(b[j]), r).lo, hi: add(point(b[j]), r).hi };
    });
    for (let j = 0; j < k; j++) {
      const sl = s.slopes(z[j]);
      const [lo, hi] = [sub(point(m[j]), point(hf[j])).hi, add(point(m[j]), point(hf[j])).lo];
      if (!(lo <= sl.lo && sl.hi <= hi)) return no(`unit ${j + 1} of hidden layer ${l + 1}: slopes [${sl.lo}, ${sl.hi}] not certainly inside the certificate's [${lo}, ${hi}]`);
    }
    h = z.map((v) => s.value(v) ?? { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY });
  }
  // Z in intervals: columns dx (d) and one per unit with slack
  const d = scaled[0].inputs;
  const slackOf = half.map((hf) => hf!.map((v) => v > 0));
  const nJ = slackOf.reduce((c, v) => c + v.filter(Boolean).length, 0);
  if (t.length !== nJ) return no('the multipliers are not those of the units with slack', true);
  const cols = d + nJ;
  const m = scaled[L].outputs;
  if (cols * cols * (nJ + m) > MAX_WORK) return no(`a matrix inequality of ${cols} columns, beyond the checker's budget`);
  let A: Interval[][] = Array.from({ length: scaled[0].outputs }, (_, j) => Array.from({ length: cols }, (_, c) => point(c < d ? scaled[0].W[j * d + c] : 0)));
  const Z: Interval[][] = [];
  let col = d;
  let q = 0;
  for (let l = 0; l < L; l++) {
    const Zp = A.map((row, j) => {
      const r = row.map((v) => mul(point(mid[l]![j]), v));
      if (slackOf[l][j]) {
        Z.push(row.map((v) => mul(mul(sqrt(mul(point(2), point(t[q]))), point(half[l]![j])), v)));
        r[col] = add(r[col], point(1));
        col++;
        q++;
      }
      return r;
    });
    const { W, inputs: n, outputs: k } = scaled[l + 1];
    A = Array.from({ length: k }, (_, r) => Array.from({ length: cols }, (_, c) => dotIntervals(n, (j) => Zp[j][c], (j) => W[r * n + j])));
  }
  Z.push(...A);
  // diag(rho I_d, 2 t) - Z^T Z, lower triangle
  const M = Array.from({ length: cols }, (_, i) =>
    Array.from({ length: i + 1 }, (_, j) => sub(i !== j ? point(0) : i < d ? point(rho) : mul(point(2), point(t[i - d])), sum(Z.map((row) => mul(row[i], row[j]))))),
  );
  const psd = cholesky(M);
  if (psd !== true) return typeof psd === 'string' ? no(psd) : no(psd.refuted, true);
  return { bound: mul(sqrt(point(rho)), point(2 ** e.reduce((s2, v) => s2 + v, 0))).hi };
}
