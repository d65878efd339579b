import { requireOpen } from '../../core/validate.js';
import { InputError } from '../../core/input-error.js';

/**
 * The PCA dimension of a covariance spectrum at variance share q: the smallest k with
 * lambda_1 + ... + lambda_k >= q (lambda_1 + ... + lambda_m) (eigenvalues in decreasing order, as
 * {@link covarianceSpectrum} returns them; docs/science.md section 6, "Effective dimension of a data set").
 * The number of principal directions that carry the share q of the variance: a linear notion (a curved
 * low-dimensional set can span many directions). 0 for a spectrum of zeros (all points equal).
 * @param q in (0, 1); the 0.9 and 0.95 are the ones reported.
 */
export function pcaDimension(spectrum: Float64Array, q: number): number {
  requireOpen('pcaDimension', 'q', q, 0, 1);
  let total = 0;
  for (let i = 0; i < spectrum.length; i++) {
    const v = spectrum[i];
    if (!(v >= 0 && Number.isFinite(v))) throw new InputError('spectrum', 'finite eigenvalues >= 0', v, { context: 'pcaDimension', shown: `${v} at ${i + 1}` });
    if (i > 0 && v > spectrum[i - 1]) throw new InputError('spectrum', 'eigenvalues in decreasing order', spectrum, { context: 'pcaDimension', shown: `${spectrum[i - 1]} then ${v}` });
    total += v;
  }
  if (total === 0) return 0;
  let acc = 0;
  for (let k = 0; k < spectrum.length; k++) {
    acc += spectrum[k];
    if (acc >= q * total) return k + 1;
  }
  return spectrum.length; // rounding: the full sum can fall a last ulp short of q * total
}
