import { InputError } from '../core/input-error.js';
import type { Rng } from '../core/rng.js';
import type { Distribution, DistributionName } from './distribution.js';

/** The name an empirical law reports (not one of the built-in laws: the regime classes refuse it). */
export const EMPIRICAL_LAW_NAME = 'empirical';

/**
 * The empirical law of a fixed data set (n x d, row-major): uniform on its n rows, so `sample` resamples
 * rows with replacement. It stands where a fit needs the data law (FitData.dist) for data read from a
 * file: nothing is known of its isoperimetry (docs/science.md section 6 estimates its effective
 * dimension instead), so Theorem 3's distributional assumption is not claimed. The classes that read
 * the law's structure (intrinsic-bumps, atom-bumps) refuse it by name.
 */
export function empiricalLaw(X: Float64Array, n: number, d: number, source: string): Distribution {
  if (X.length !== n * d || n < 1) throw new InputError('X', `an n x d matrix (n = ${n}, d = ${d})`, X, { context: 'empiricalLaw', shown: `${X.length} entries` });
  const rows = X.slice();
  return {
    name: EMPIRICAL_LAW_NAME as DistributionName,
    d,
    isoperimetry: { c: null, kind: 'unknown', source: `the empirical law of ${source}: no isoperimetry constant is known` },
    components: 1,
    intrinsicDim: d,
    assumptionsHold: false,
    notes: [`the empirical law of ${source} (n = ${n}): its isoperimetry is not known`],
    params: { n },
    sample(m: number, rng: Rng): Float64Array {
      const out = new Float64Array(m * d);
      for (let i = 0; i < m; i++) {
        const r = rng.int(0, n - 1);
        out.set(rows.subarray(r * d, (r + 1) * d), i * d);
      }
      return out;
    },
  };
}
