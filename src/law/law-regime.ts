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
