/**
 * What a Lipschitz estimator returns (docs/science.md section 3). A `lower` value is a certified lower bound
 * on Lip(f) over `domain` (a gradient norm or a secant, re-checkable from the witness); an `upper` value
 * is a certified upper bound over `domain`; `exact` is both; a `statistic` (e.g. the average gradient
 * norm) is NEVER a bound on Lip(f).
 */
export interface LipEstimate {
  readonly kind: 'lower' | 'upper' | 'exact' | 'statistic';
  readonly value: number;
  readonly witness: Witness;
  /** Where the statement holds, e.g. `R^d` or `ball(0, 1.02)`. */
  readonly domain: string;
  /** Function or gradient evaluations spent. */
  readonly evaluations: number;
  /** How it was computed, e.g. `data-floor`, `gradient-ascent`, `spectral-product`. */
  readonly method: string;
  /**
   * For an `exact` value computed in floating point: an interval certainly containing the true value
   * (`value` is the computed one, inside it). Where an exact value serves as an upper bound, `hi` is used;
   * as a lower bound, `lo` (docs/science.md section 3).
   */
  readonly interval?: { readonly lo: number; readonly hi: number };
}

/** The interval an estimate certainly contains its true value in: `interval` for computed exact values, else [value, value]. */
export function certainInterval(e: LipEstimate): { readonly lo: number; readonly hi: number } {
  return e.interval ?? { lo: e.value, hi: e.value };
}

/** Evidence for an estimate. */
/**
 * What an independent checker needs to re-verify a one-hidden-layer LipSDP-Neuron certificate (docs/science.md
 * sections 9.2 and 11): the kept units (indices into the layer; the others have w_j = 0, v_j = 0 or slope 0 on
 * the domain), each one's slope interval [mid - half, mid + half], the multipliers t of the units with half > 0
 * (`slack`, indices into the kept units) and rho, for the problem scaled by W 2^-eW and V 2^-eV (exactly); the
 * bound is sqrt(rho) 2^(eW + eV).
 */
export interface LipSdpCertificateData {
  readonly kind: 'lipsdp-neuron';
  readonly units: readonly number[];
  readonly mid: readonly number[];
  readonly half: readonly number[];
  readonly slack: readonly number[];
  readonly t: readonly number[];
  readonly rho: number;
  readonly eW: number;
  readonly eV: number;
}

/**
 * What an independent checker needs beyond the formula's terms to re-verify an exact quadratic value on a ball
 * (docs/science.md sections 9.7 and 11): the trust-region maximiser x (the lower end is the gradient norm there);
 * the dual pair (mu, V) is in the terms.
 */
export interface TrustRegionCertificateData {
  readonly kind: 'trust-region';
  readonly x: readonly number[];
}

/**
 * One factor of a spectral-product bound (docs/science.md sections 3 and 11), over layers `layers[0]..layers[1]`
 * (0-based, inclusive), times `slope`, the largest |slope| of the activation after it: a `group` of layers joined
 * by linear activations, multiplied out, with the certified spectral norm `norm` of the computed product (its
 * rounding and the weights' stated errors are added by the bound as ||E||_F); a `pair` of two such groups split
 * after layer `split`, bounded together by a one-hidden-layer LipSDP certificate (`certificate`, of the computed
 * products, with `norms` of both for the error terms); a residual `block` with its bound `value`.
 */
export type SpectralFactor =
  | { readonly kind: 'group'; readonly layers: readonly [number, number]; readonly norm: number; readonly slope: number }
  | { readonly kind: 'pair'; readonly layers: readonly [number, number]; readonly split: number; readonly norms: readonly [number, number]; readonly certificate: LipSdpCertificateData | null; readonly slope: number }
  | { readonly kind: 'block'; readonly layers: readonly [number, number]; readonly value: number; readonly slope: number };

/**
 * What an independent checker needs to re-verify a LipSDP-Neuron certificate of several hidden layers
 * (docs/science.md sections 9.5 and 11): each layer's scaling exponent (weights by 2^-e_l, f by 2^-sum e_l; all 0
 * unless every activation is relu or linear), each hidden layer's slope intervals [mid - half, mid + half], the
 * multipliers t of the units with half > 0 (in layer order) and rho of the scaled problem; the bound is
 * sqrt(rho) 2^(sum e_l).
 */
export interface DeepLipSdpCertificateData {
  readonly kind: 'lipsdp-deep';
  readonly e: readonly number[];
  readonly mid: readonly (readonly number[])[];
  readonly half: readonly (readonly number[])[];
  readonly t: readonly number[];
  readonly rho: number;
}

/** A spectral-product bound's factors, in order from the input, for an independent checker. */
export interface SpectralProductCertificateData {
  readonly kind: 'spectral-product';
  readonly factors: readonly SpectralFactor[];
}

export type Witness =
  /**
   * ||grad f(x)|| = gradNorm (on a sphere domain: the norm of the tangential part of grad f(x)). With
   * `region` (relu networks, method `relu-region`): x lies, checked in exact arithmetic, in the open region of
   * the activation pattern `pattern` (per hidden layer, one 1 (on) or 0 (off) per unit, layers joined by `|`),
   * where f is affine; gradNorm is the lower end of the exact interval of that region's gradient norm,
   * `gradNormHi` its upper end (docs/science.md section 9.6, "Lower bound").
   */
  | { readonly type: 'point'; readonly x: number[]; readonly gradNorm: number; readonly region?: { readonly pattern: string; readonly gradNormHi: number; readonly checkedExactly: true } }
  /** |f(a) - f(b)| / ||a - b|| = secant, certified: lowered by `allowance`, the models' evaluation-error bound E(a) + E(b). */
  | { readonly type: 'pair'; readonly a: number[]; readonly b: number[]; readonly fa: number; readonly fb: number; readonly secant: number; readonly allowance?: number }
  /** The certificate of an upper bound or exact value: the formula and its inputs. */
  | { readonly type: 'certificate'; readonly formula: string; readonly terms: Readonly<Record<string, number>>; readonly data?: LipSdpCertificateData | TrustRegionCertificateData | SpectralProductCertificateData | DeepLipSdpCertificateData }
  /** ||J(x)||_2 = sigma = u^T J(x) v for a vector-valued f: the Jacobian at x and its top singular vectors u (outputs), v (inputs). */
  | { readonly type: 'jacobian'; readonly x: number[]; readonly u: number[]; readonly v: number[]; readonly sigma: number }
  /** ||f(a) - f(b)||_2 / ||a - b||_2 = secant for a vector-valued f, with f(a) and f(b), certified: lowered by `allowance`, the norm of the outputs' evaluation-error bounds E_i(a) + E_i(b). */
  | { readonly type: 'vector-pair'; readonly a: number[]; readonly b: number[]; readonly fa: number[]; readonly fb: number[]; readonly secant: number; readonly allowance?: number }
  /** A Monte Carlo statistic: sample size and standard error. */
  | { readonly type: 'sample'; readonly samples: number; readonly stderr: number };
