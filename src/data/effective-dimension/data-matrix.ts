import { InputError } from '../../core/input-error.js';
import { requireInt } from '../../core/validate.js';

/**
 * Checks an n x d row-major data matrix for the effective-dimension estimators: integer n >= `minN`,
 * integer d >= 1, X of length n d with finite entries. Throws one {@link InputError} naming `X`, `n` or
 * `d` (context `fn`) before any work starts.
 */
export function requireDataMatrix(fn: string, X: Float64Array, n: number, d: number, minN: number): void {
  requireInt(fn, 'n', n, minN);
  requireInt(fn, 'd', d, 1);
  if (X.length !== n * d) throw new InputError('X', `an n x d matrix of n d = ${n * d} entries`, X, { context: fn, shown: `${X.length} entries` });
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) throw new InputError('X', 'finite entries', X[i], { context: fn, shown: `${X[i]} at row ${Math.floor(i / d) + 1}, column ${(i % d) + 1}` });
  }
}
