import { covarianceSpectrum } from './covariance-spectrum.js';
import { requireDataMatrix } from './data-matrix.js';
import { participationRatio } from './participation-ratio.js';
import { pcaDimension } from './pca-dimension.js';
import { twoNN } from './two-nn.js';

/**
 * How far below the dimension the sample can resolve an effective dimension must be for the data to be
 * flagged as outside the ambient law: d_eff <= min(d, n - 1) / 4, i.e. an isoperimetry constant
 * c = d / d_eff of at least 4 (docs/science.md section 6, "Effective dimension of a data set").
 */
export const FAR_BELOW_FACTOR = 4;

/**
 * The most rows the estimators read: larger data sets are thinned to this many evenly spaced rows (row
 * floor(j n / N), j = 0..N-1; deterministic, no seed), which bounds the O(N^2 d) neighbour search and the
 * O(min(N, d)^3) eigenvalues. The estimators are scale-free, so a subsample estimates the same dimension.
 */
export const MAX_POINTS = 2000;

/** The effective dimensions of one data set and the rule's reading of them. */
export interface EffectiveDimension {
  readonly n: number;
  /** Rows the estimators used: min(n, {@link MAX_POINTS}). */
  readonly points: number;
  /** The ambient dimension. */
  readonly d: number;
  /** Smallest k whose top-k principal components carry 90% / 95% of the variance. */
  readonly pca90: number;
  readonly pca95: number;
  /** (sum lambda)^2 / sum lambda^2 of the covariance spectrum. */
  readonly participationRatio: number;
  /** The TwoNN maximum-likelihood intrinsic dimension (null when undefined: < 3 distinct points, all ratios 1). */
  readonly twoNN: number | null;
  /** The dimension the effective law eps sqrt(n d_eff / p) uses: TwoNN, else the participation ratio, clamped to [1, d]. */
  readonly lawD: number;
  /** Which estimator gave {@link lawD}. */
  readonly lawEstimator: 'TwoNN' | 'participation ratio';
  /** The largest dimension the rows used can show: min(d, points - 1) (the rank of a centred sample). */
  readonly resolvable: number;
  /** lawD <= resolvable / {@link FAR_BELOW_FACTOR}: the data are far below their ambient dimension. */
  readonly farBelow: boolean;
}

/**
 * The effective dimension of an n x d data set (row-major), by four estimators (docs/science.md section 6,
 * "Effective dimension of a data set"): the PCA dimension at 90% and 95% of the variance, the
 * participation ratio (sum lambda)^2 / sum lambda^2 of the covariance spectrum, and the TwoNN maximum-
 * likelihood estimate (Facco et al. 2017). The effective law uses TwoNN: for data uniform on an
 * m-dimensional sphere in R^d the isoperimetry constant is c = d / m (science.md section 1) and Theorem 3
 * then reads eps sqrt(n (d / c) / p) = eps sqrt(n m / p), with m the manifold's dimension, which TwoNN
 * estimates and the linear estimators (PCA, participation ratio) overstate on curved sets. The data are
 * flagged `farBelow` when that dimension is at most a quarter of min(d, n - 1): with n <= d points no
 * estimator can show more than n - 1 dimensions, so isotropic data with n << d are not flagged.
 * At most {@link MAX_POINTS} evenly spaced rows are read, divided by their largest magnitude (the
 * estimators are scale-free; this keeps squares of tiny or huge entries finite and non-zero).
 */
export function effectiveDimension(X: Float64Array, n: number, d: number): EffectiveDimension {
  requireDataMatrix('effectiveDimension', X, n, d, 3);
  const N = Math.min(n, MAX_POINTS);
  // The rows read, divided by their largest magnitude: every estimator is scale-free, and squares of
  // entries near 1e-300 or 1e+200 would underflow or overflow.
  const Y = new Float64Array(N * d);
  for (let j = 0; j < N; j++) {
    const i = Math.floor((j * n) / N);
    Y.set(X.subarray(i * d, (i + 1) * d), j * d);
  }
  let top = 0;
  for (let i = 0; i < Y.length; i++) top = Math.max(top, Math.abs(Y[i]));
  if (top > 0) for (let i = 0; i < Y.length; i++) Y[i] /= top;
  const spectrum = covarianceSpectrum(Y, N, d);
  const pr = participationRatio(spectrum);
  const tn = twoNN(Y, N, d).dimension;
  const raw = tn ?? pr;
  const lawD = Math.min(d, Math.max(1, raw));
  const resolvable = Math.min(d, N - 1);
  return {
    n,
    points: N,
    d,
    pca90: pcaDimension(spectrum, 0.9),
    pca95: pcaDimension(spectrum, 0.95),
    participationRatio: pr,
    twoNN: tn,
    lawD,
    lawEstimator: tn === null ? 'participation ratio' : 'TwoNN',
    resolvable,
    farBelow: lawD <= resolvable / FAR_BELOW_FACTOR,
  };
}
