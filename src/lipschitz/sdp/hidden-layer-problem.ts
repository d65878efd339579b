/**
 * The LipSDP-Neuron problem of a network with one hidden layer (docs/science.md section 9):
 * f(x) = V s(W x + b) + c with W (k x d), V (m x k), each hidden unit j slope-restricted in [alpha_j, beta_j]
 * on the domain (s_j(u) - s_j(v) = kappa (u - v) with kappa in [alpha_j, beta_j]).
 *
 * Every unit's slope is written kappa_j = mid_j + half_j theta_j with |theta_j| <= 1, where the interval
 * [mid_j - half_j, mid_j + half_j] contains [alpha_j, beta_j] (mid and half are the exact doubles stored
 * here; half is rounded up so that the containment holds exactly). Units with half_j = 0 are linear on the
 * domain: they carry no multiplier. Units whose output column or input row is zero cannot change f and
 * are left out.
 */
export interface HiddenLayerProblem {
  readonly d: number;
  /** Units kept. */
  readonly k: number;
  /** Outputs. */
  readonly m: number;
  /** Input weights of the kept units, k x d row-major. */
  readonly W: Float64Array;
  /** Output weights of the kept units, m x k row-major. */
  readonly V: Float64Array;
  /** Centre of each unit's slope interval. */
  readonly mid: Float64Array;
  /** Half width of each unit's slope interval (0: the unit is linear there). */
  readonly half: Float64Array;
  /** Indices (into 0..k-1) of the units with half > 0: the ones with a multiplier t_j. */
  readonly slack: readonly number[];
  /** Each kept unit's index in the layer given. */
  readonly units: readonly number[];
}

/**
 * Builds a {@link HiddenLayerProblem} from raw weights and per-unit slope intervals [lo_j, hi_j]
 * (lo_j <= hi_j, finite). Returns null when an interval is not finite (the activation's slope is not
 * bounded on the domain).
 */
export function hiddenLayerProblem(W: Float64Array, V: Float64Array, k: number, d: number, m: number, lo: Float64Array, hi: Float64Array): HiddenLayerProblem | null {
  const keep: number[] = [];
  for (let j = 0; j < k; j++) {
    if (!(Number.isFinite(lo[j]) && Number.isFinite(hi[j]) && lo[j] <= hi[j])) return null;
    let wz = true;
    for (let t = 0; t < d; t++) if (W[j * d + t] !== 0) wz = false;
    let vz = true;
    for (let i = 0; i < m; i++) if (V[i * k + j] !== 0) vz = false;
    if (!wz && !vz && !(lo[j] === 0 && hi[j] === 0)) keep.push(j);
  }
  const K = keep.length;
  const Wk = new Float64Array(K * d);
  const Vk = new Float64Array(m * K);
  const mid = new Float64Array(K);
  const half = new Float64Array(K);
  const slack: number[] = [];
  keep.forEach((j, q) => {
    Wk.set(W.subarray(j * d, j * d + d), q * d);
    for (let i = 0; i < m; i++) Vk[i * K + q] = V[i * k + j];
    const c = lo[j] === hi[j] ? lo[j] : lo[j] / 2 + hi[j] / 2;
    mid[q] = c;
    // [c - h, c + h] contains [lo, hi] in exact arithmetic: fl(hi - c) >= (hi - c)(1 - u), so the factor
    // 1 + 4 u (rounded, >= 1 + 2 u) and 4 subnormal steps cover both roundings
    const h = lo[j] === hi[j] ? 0 : Math.max(hi[j] - c, c - lo[j]) * (1 + 4 * 2 ** -53) + 4 * Number.MIN_VALUE;
    half[q] = h;
    if (h > 0) slack.push(q);
  });
  return { d, k: K, m, W: Wk, V: Vk, mid, half, slack, units: keep };
}

/** Multiplies every input weight by sW and every output weight by sV (powers of two: exact barring underflow). */
export function scaleProblem(P: HiddenLayerProblem, sW: number, sV: number): HiddenLayerProblem {
  return { ...P, W: P.W.map((v) => v * sW), V: P.V.map((v) => v * sV) };
}
