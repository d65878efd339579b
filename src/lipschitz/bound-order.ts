import { certainInterval, type LipEstimate } from './estimate.js';

/**
 * A result whose certified bounds contradict each other: a lower bound above an upper bound, or an exact
 * value's interval outside [lower, upper] (docs/science.md section 3, "Bounds that disagree"). At least one
 * of the certificates is false, so the result is never printed or recorded: it is a bug of this program
 * (the CLI exits 70 with the numbers).
 */
export class InconsistentBoundsError extends Error {
  override readonly name = 'InconsistentBoundsError';
  constructor(
    /** Where the bounds were computed (the model and domain). */
    readonly where: string,
    /** What contradicts what, with the numbers and the methods. */
    readonly conflict: string,
  ) {
    super(`inconsistent certified bounds on ${where}: ${conflict} (a bug: one of these certificates is false; the result is not reported)`);
  }
}

const show = (e: LipEstimate, v: number) => `${e.kind} ${v.toPrecision(17)} (${e.method})`;

/**
 * Throws {@link InconsistentBoundsError} unless lower <= exact <= upper with the exact value's rounding
 * interval [lo, hi] (docs/science.md section 3): lower.value <= hi, lo <= upper.value and
 * lower.value <= upper.value. Null bounds are skipped. A statistic is never passed here.
 */
export function requireOrderedBounds(where: string, lower: LipEstimate | null, exact: LipEstimate | null, upper: LipEstimate | null): void {
  const iv = exact === null ? null : certainInterval(exact);
  if (lower !== null && exact !== null && iv !== null && lower.value > iv.hi) throw new InconsistentBoundsError(where, `${show(lower, lower.value)} > ${show(exact, iv.hi)} (top of its interval)`);
  if (upper !== null && exact !== null && iv !== null && iv.lo > upper.value) throw new InconsistentBoundsError(where, `${show(exact, iv.lo)} (bottom of its interval) > ${show(upper, upper.value)}`);
  if (lower !== null && upper !== null && lower.value > upper.value) throw new InconsistentBoundsError(where, `${show(lower, lower.value)} > ${show(upper, upper.value)}`);
}
