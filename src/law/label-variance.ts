/**
 * Var(y) = (1/n) sum_i (y_i - mean)^2: the noise level taken "as if the labels were noise" where the
 * true sigma^2 is 0 or unknown (docs/science.md section 5.1). The law's margin is then eps = Var(y) - MSE.
 */
export function labelVariance(y: Float64Array): number {
  const n = y.length;
  let mean = 0;
  for (const v of y) mean += v / n;
  let varY = 0;
  for (const v of y) varY += (v - mean) ** 2 / n;
  return varY;
}
