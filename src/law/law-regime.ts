/**
 * The regime the informal law speaks about (docs/science.md section 1): the fit margin and the sampling
 * scale. Kept apart from the counterexample regimes (./regimes.ts) so that the record format can use it
 * without depending on the search.
 * @module
 */

/** The in-regime premise used by the properties: fit below the noise level by at least this. */
export const MIN_EPS = 0.1;

/**
 * Constant of the sampling-scale premise n eps^2 >= K_SCALE k: the fit margin must exceed the scale
 * sqrt(k / n) at which chance alone lets a class fit k cluster means. This is the SCALING of Theorem 3's
 * k-condition 8^4 k ln(8k/delta) <= n eps^2 (and of Theorem 2's first term 4k exp(-n eps^2 / (8^3 k)))
 * without their constants, which no instance of a feasible size meets.
 */
export const K_SCALE = 8;

/** Whether an instance is in the regime the informal law speaks about (see MIN_EPS, K_SCALE). */
export function inLawRegime(n: number, eps: number, k: number): boolean {
  return eps >= MIN_EPS && n * eps * eps >= K_SCALE * k;
}

/**
 * The smallest sample of an instance the counterexample searches and their families accept inside the
 * premise (docs/science.md section 5, "Inside the premise"): with k = 1 and eps = 1 the scale rule alone
 * admits n = 8, where a "counterexample" is a small-sample accident a referee dismisses.
 */
export const PREMISE_MIN_N = 50;

/** One item of the searches' premise, with the instance's value and the bound it is compared with. */
export interface PremiseItem {
  /** The rule, as printed: `eps >= 0.1`, `n eps^2 >= 8 k`, `n >= 50`. */
  readonly rule: string;
  readonly value: number;
  readonly bound: number;
  readonly holds: boolean;
}

/** The searches' premise of an instance: each item and whether all hold. */
export interface Premise {
  readonly holds: boolean;
  readonly items: readonly PremiseItem[];
}

/**
 * The premise a counterexample search and its scaling family stay inside (docs/science.md section 5,
 * "Inside the premise"): the law's regime {@link inLawRegime} (eps >= MIN_EPS, n eps^2 >= K_SCALE k) and
 * n >= {@link PREMISE_MIN_N}. `holds` is inLawRegime(n, eps, k) && n >= PREMISE_MIN_N; the items say which
 * part fails.
 */
export function searchPremise(n: number, eps: number, k: number): Premise {
  const scale = n * eps * eps;
  const items: PremiseItem[] = [
    { rule: `eps >= ${MIN_EPS}`, value: eps, bound: MIN_EPS, holds: eps >= MIN_EPS },
    { rule: `n eps^2 >= ${K_SCALE} k`, value: scale, bound: K_SCALE * k, holds: scale >= K_SCALE * k },
    { rule: `n >= ${PREMISE_MIN_N}`, value: n, bound: PREMISE_MIN_N, holds: n >= PREMISE_MIN_N },
  ];
  return { holds: inLawRegime(n, eps, k) && n >= PREMISE_MIN_N, items };
}
