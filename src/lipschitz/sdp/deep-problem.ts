import { UNIT_ROUNDOFF } from '../certificate.js';
import { gamma, verifyDiagMinusGram } from './verified-psd.js';
import { preActivationRanges, slopeInterval } from './slope-bounds.js';
import { activationNamed } from '../../activations/family.js';

/** A dense layer: weights out x in (row-major) and biases. */
export interface DeepLayer {
  readonly weights: Float64Array;
  readonly biases: Float64Array;
  readonly inputs: number;
  readonly outputs: number;
}

/**
 * The LipSDP-Neuron problem of a network with L >= 2 hidden layers (docs/science.md section 9.5), in the
 * form the verification needs: Zhat (rows x cols, row-major) with one row half_j (A_l)_j per unit j with
 * slack (A_l the linear map from xi = (dx, r) to layer l's pre-activation differences) and the m rows of
 * the output map C, and an entrywise bound on its rounding. cols = d + (units with slack).
 */
export interface DeepProblem {
  readonly d: number;
  readonly m: number;
  /** Units with slack (one multiplier each). */
  readonly nJ: number;
  readonly Zhat: Float64Array;
  readonly ZhatErr: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /** The hidden layer (0-based) of each unit with slack, for the solver's start. */
  readonly layerOf: Int32Array;
  /** Number of hidden layers. */
  readonly L: number;
  /** Each hidden layer's slope intervals [mid - half, mid + half] (the certificate's data for a checker). */
  readonly mid: readonly Float64Array[];
  readonly half: readonly Float64Array[];
}

const u = UNIT_ROUNDOFF;

/**
 * Slope intervals of every hidden unit by interval arithmetic through the layers (docs/science.md section
 * 9.5): layer 1 from the ball ||x|| <= R (R = Infinity: R^d), each later layer from the previous one's
 * activation ranges, sums rounded outward. Null when a slope interval is unbounded or unknown.
 */
export function deepSlopes(layers: readonly DeepLayer[], activations: readonly string[], R: number): { lo: Float64Array; hi: Float64Array }[] | null {
  const out: { lo: Float64Array; hi: Float64Array }[] = [];
  let hlo: Float64Array | null = null;
  let hhi: Float64Array | null = null;
  for (let l = 0; l < layers.length - 1; l++) {
    const L = layers[l];
    let zlo: Float64Array;
    let zhi: Float64Array;
    if (hlo === null) {
      // the first layer from the ball: each row's norm scaled by a power of two (a sum of squares of weights
      // near 2^-540 underflows to 0 and would fix every unit's sign), rounded outward
      ({ lo: zlo, hi: zhi } = preActivationRanges(L.weights, L.biases, L.outputs, L.inputs, R));
    } else {
      zlo = new Float64Array(L.outputs);
      zhi = new Float64Array(L.outputs);
      for (let r = 0; r < L.outputs; r++) {
        let lo = L.biases[r];
        let hi = L.biases[r];
        let mag = Math.abs(L.biases[r]);
        for (let c = 0; c < L.inputs; c++) {
          const w = L.weights[r * L.inputs + c];
          if (w === 0) continue;
          const a = w * hlo[c];
          const b = w * hhi![c];
          lo += Math.min(a, b);
          hi += Math.max(a, b);
          mag += Math.max(Math.abs(a), Math.abs(b));
        }
        // relative rounding of the products and sums (gamma), and an absolute 2^-1075 for each product that
        // lands in the subnormal range (sums of subnormals are exact): Higham's model with underflow
        const e = gamma(L.inputs + 3) * mag + (L.inputs + 2) * Number.MIN_VALUE;
        zlo[r] = lo - e;
        zhi[r] = hi + e;
      }
    }
    // an undefined end (inf - inf) is no information: the whole line
    for (let r = 0; r < L.outputs; r++) {
      if (Number.isNaN(zlo[r])) zlo[r] = Number.NEGATIVE_INFINITY;
      if (Number.isNaN(zhi[r])) zhi[r] = Number.POSITIVE_INFINITY;
    }
    const lo = new Float64Array(L.outputs);
    const hi = new Float64Array(L.outputs);
    const nlo = new Float64Array(L.outputs);
    const nhi = new Float64Array(L.outputs);
    for (let r = 0; r < L.outputs; r++) {
      const s = slopeInterval(activations[l], zlo[r], zhi[r]);
      if (s === null) return null;
      [lo[r], hi[r]] = s;
      // the activation's range on [zlo, zhi] (monotone activations): [s(zlo), s(zhi)], widened
      const act = activationValue(activations[l]);
      if (act === null) return null;
      const a = act(zlo[r]);
      const b = act(zhi[r]);
      // relative 4 u for the library's activation, and two subnormal steps for a value in the subnormal
      // range (an absolute widening larger than that would make the bounds depend on the layers' scale)
      nlo[r] = a - Math.abs(a) * 4 * u - 2 * Number.MIN_VALUE;
      nhi[r] = b + Math.abs(b) * 4 * u + 2 * Number.MIN_VALUE;
    }
    out.push({ lo, hi });
    hlo = nlo;
    hhi = nhi;
  }
  return out;
}

/**
 * s of the activation named `name` (the activation table's) where s is monotone (slopes >= 0), the case the
 * range [s(zlo), s(zhi)] above assumes; null otherwise (cos, square, or a name it does not know).
 */
function activationValue(name: string): ((t: number) => number) | null {
  const act = activationNamed(name);
  return act !== null && act.slopeRange[0] >= 0 ? act.f : null;
}

/**
 * Builds {@link DeepProblem} from the layers and slope intervals: xi = (dx, r^1, ..., r^L) with r^l the
 * slack part of layer l's activation differences; A_1 = [W_1, 0]; dz^l = diag(mid_l) A_l xi + E_l r^l;
 * A_{l+1} = W_{l+1} (diag(mid_l) A_l + E_l); C = W_out (diag(mid_L) A_L + E_L). Every product is accompanied
 * by its rounding bound (gamma_{n+2} times the product of absolute values, plus the propagated bound).
 */
export function deepProblem(layers: readonly DeepLayer[], slopes: readonly { lo: Float64Array; hi: Float64Array }[]): DeepProblem {
  const L = layers.length - 1;
  const d = layers[0].inputs;
  const m = layers[L].outputs;
  const mids: Float64Array[] = [];
  const halves: Float64Array[] = [];
  const col: Int32Array[] = [];
  let nJ = 0;
  const layerOf: number[] = [];
  for (let l = 0; l < L; l++) {
    const { lo, hi } = slopes[l];
    const n = lo.length;
    const mid = new Float64Array(n);
    const half = new Float64Array(n);
    const c = new Int32Array(n).fill(-1);
    for (let j = 0; j < n; j++) {
      mid[j] = lo[j] === hi[j] ? lo[j] : lo[j] / 2 + hi[j] / 2;
      half[j] = lo[j] === hi[j] ? 0 : Math.max(hi[j] - mid[j], mid[j] - lo[j]) * (1 + 4 * u) + 4 * Number.MIN_VALUE;
      if (half[j] > 0) {
        c[j] = d + nJ++;
        layerOf.push(l);
      }
    }
    mids.push(mid);
    halves.push(half);
    col.push(c);
  }
  const cols = d + nJ;
  const rows = nJ + m;
  const Zhat = new Float64Array(rows * cols);
  const ZhatErr = new Float64Array(rows * cols);
  // A (n_l x cols) and its error bound
  let A = new Float64Array(layers[0].outputs * cols);
  let Aerr = new Float64Array(A.length);
  for (let j = 0; j < layers[0].outputs; j++) for (let t = 0; t < d; t++) A[j * cols + t] = layers[0].weights[j * d + t];
  let row = 0;
  for (let l = 0; l < L; l++) {
    const n = layers[l].outputs;
    // slack rows: half_j A_l[j]
    for (let j = 0; j < n; j++) {
      if (halves[l][j] === 0) continue;
      for (let c = 0; c < cols; c++) {
        const z = halves[l][j] * A[j * cols + c];
        Zhat[row * cols + c] = z;
        ZhatErr[row * cols + c] = halves[l][j] * Aerr[j * cols + c] * (1 + 2 * u) + 1.01 * u * Math.abs(z);
      }
      row++;
    }
    // Z' = diag(mid) A + E (the activation differences)
    const Zp = new Float64Array(n * cols);
    const Zperr = new Float64Array(n * cols);
    for (let j = 0; j < n; j++) {
      for (let c = 0; c < cols; c++) {
        const z = mids[l][j] * A[j * cols + c];
        Zp[j * cols + c] = z;
        Zperr[j * cols + c] = Math.abs(mids[l][j]) * Aerr[j * cols + c] * (1 + 2 * u) + 1.01 * u * Math.abs(z);
      }
      if (col[l][j] >= 0) Zp[j * cols + col[l][j]] += 1; // the column of r_j holds only this 1 (earlier entries are 0)
    }
    // next: W_{l+1} Z'
    const next = layers[l + 1];
    const N = new Float64Array(next.outputs * cols);
    const Nerr = new Float64Array(N.length);
    const g = gamma(n + 2) * 1.01;
    for (let r = 0; r < next.outputs; r++) {
      for (let j = 0; j < n; j++) {
        const w = next.weights[r * n + j];
        if (w === 0) continue;
        const aw = Math.abs(w);
        for (let c = 0; c < cols; c++) {
          const zp = Zp[j * cols + c];
          N[r * cols + c] += w * zp;
          Nerr[r * cols + c] += aw * (g * Math.abs(zp) + Zperr[j * cols + c]);
        }
      }
    }
    for (let i = 0; i < Nerr.length; i++) Nerr[i] *= 1 + 2 * u;
    A = N;
    Aerr = Nerr;
  }
  // output rows: C = A after the last hidden layer
  Zhat.set(A, nJ * cols);
  ZhatErr.set(Aerr, nJ * cols);
  return { d, m, nJ, Zhat, ZhatErr, rows, cols, layerOf: Int32Array.from(layerOf), L, mid: mids, half: halves };
}

/**
 * Verifies a deep certificate (t, rho) in f64 (docs/science.md sections 9.3 and 9.5): diag(rho I_d, 2 t) -
 * Z^T Z >= 0 with Z = Lambda Zhat, by {@link verifyDiagMinusGram}, the rounding of Z bounded entrywise from
 * Zhat's bound and the two roundings of sqrt(2 t_j) and the product. Returns sqrt(rho) rounded up, or null.
 */
export function verifyDeepLipSdp(P: DeepProblem, t: Float64Array, rho: number): { bound: number; margin: number } | null {
  const { rows, cols, nJ, d, Zhat, ZhatErr } = P;
  if (t.length !== nJ || !t.every((v) => v > 0 && v < Number.POSITIVE_INFINITY) || !(rho > 0 && rho < Number.POSITIVE_INFINITY)) return null;
  const Z = new Float64Array(rows * cols);
  let err2 = 0;
  for (let i = 0; i < rows; i++) {
    const lam = i < nJ ? Math.sqrt(2 * t[i]) : 1;
    for (let c = 0; c < cols; c++) {
      const z = lam * Zhat[i * cols + c];
      Z[i * cols + c] = z;
      const e = lam * ZhatErr[i * cols + c] * (1 + 3 * u) + (i < nJ ? 2.1 * u * Math.abs(z) : 0);
      err2 += e * e;
    }
  }
  const c = new Float64Array(cols);
  c.fill(rho, 0, d);
  for (let j = 0; j < nJ; j++) c[d + j] = 2 * t[j];
  const res = verifyDiagMinusGram(c, Z, rows, cols, Math.sqrt(err2) * (1 + 1e-6));
  if (!res.psd) return null;
  const b = Math.sqrt(rho);
  return { bound: b + b * 2 * u, margin: res.margin };
}
