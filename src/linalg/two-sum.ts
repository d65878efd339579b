/**
 * The rounding error of a floating-point sum, exactly: for s = fl(x + y), x + y = s + twoSumError(x, y, s) with
 * no rounding at all (Knuth's TwoSum; Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., section
 * 4.3). Exact for any finite x, y whose sum does not overflow, subnormals included (sums of doubles never lose
 * bits to underflow). The building block of compensated sums and of exact splits of a difference into two doubles.
 */
export function twoSumError(x: number, y: number, s: number): number {
  const yy = s - x;
  return x - (s - yy) + (y - yy);
}
