/**
 * The one-sided Mann-Whitney U test (Wilcoxon rank-sum) of `bench --compare` (docs/performance.md,
 * "Regressions"): does a kernel's time tend to be larger in one set of measurement rounds than in another?
 * Rank-based, so one slow round (a busy machine, a garbage collection) moves it by one rank, not by its size.
 * @module
 */

/**
 * P(U >= u) under the null hypothesis (both samples from one continuous distribution), for samples of sizes
 * m and n: the count of rank arrangements with U >= u over C(m + n, m), by the recurrence
 * N(u; m, n) = N(u - n; m - 1, n) + N(u; m, n - 1) (Mann & Whitney 1947). Exact; m, n <= 50.
 */
export function mannWhitneyTail(u: number, m: number, n: number): number {
  const maxU = m * n;
  // counts[j][k]: the arrangements of j x-values and the n y-values with statistic k, built up in j
  let prev: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i++) {
    const cur: number[][] = [[1]];
    for (let j = 1; j <= n; j++) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      // the largest of the i + j values is an x (every y below it: +j) or a y (+0)
      const a = prev[j];
      const b = cur[j - 1];
      for (let k = 0; k < size; k++) row[k] = (k - j >= 0 && k - j < a.length ? a[k - j] : 0) + (k < b.length ? b[k] : 0);
      cur.push(row);
    }
    prev = cur;
  }
  const dist = prev[n];
  let total = 0;
  let tail = 0;
  for (let k = 0; k <= maxU; k++) {
    total += dist[k];
    if (k >= u) tail += dist[k];
  }
  return tail / total;
}

/**
 * The one-sided p-value that the values of `x` tend to be larger than those of `y`: U = #{(i, j): x_i > y_j}
 * + #{x_i = y_j} / 2, and P(U' >= U) under the null hypothesis. Exact ({@link mannWhitneyTail}) without
 * ties; with ties, the normal approximation with the tie-corrected variance and a continuity correction.
 * Throws a RangeError on an empty sample, a non-finite value or a sample over 50 values (a bug in the caller:
 * benchmark rounds are few).
 */
export function mannWhitneyGreater(x: readonly number[], y: readonly number[]): number {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0 || m > 50 || n > 50) throw new RangeError(`mannWhitneyGreater: samples of 1 to 50 values (got ${m} and ${n})`);
  if (![...x, ...y].every(Number.isFinite)) throw new RangeError('mannWhitneyGreater: finite values only');
  let u = 0;
  let ties = false;
  for (const a of x)
    for (const b of y) {
      if (a > b) u += 1;
      else if (a === b) {
        u += 0.5;
        ties = true;
      }
    }
  if (!ties) return mannWhitneyTail(u, m, n);
  // ties: normal approximation, variance corrected for the tied groups
  const all = [...x, ...y].sort((a, b) => a - b);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j] === all[i]) j++;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  const N = m + n;
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return 1; // every value equal: no evidence either way
  const z = (u - 0.5 - (m * n) / 2) / Math.sqrt(variance);
  return 1 - standardNormalCdf(z);
}

/** Phi(z), the standard normal distribution function, through erfc (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function standardNormalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}
