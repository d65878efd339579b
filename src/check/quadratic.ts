/**
 * The exact Lipschitz constant of a quadratic f on a ball, from its certificate (docs/science.md sections 9.7
 * and 11): with grad f(x) = A x + g, max over ||x|| <= R of ||A x + g|| lies in [||A x* + g||, sqrt(V)] for the
 * certificate's point x* in the ball and its dual pair (mu, V), mu >= 0, when
 * diag(mu I, V - mu R^2) - [A g]^T [A g] >= 0 (its quadratic form at (x, 1) is mu (||x||^2 - R^2) + V - ||A x + g||^2).
 * @module
 */
import { mul, norm, point, sq, sqrt, sub, sum, type Interval } from './interval.js';
import { cholesky } from './cholesky.js';
import { inDomain, type CheckedDomain, type Refuted } from './domain.js';
import { nums } from './witness.js';

/**
 * The enclosure [lower end, upper end] the certificate proves, why it proves nothing checkable, or how it fails.
 * `A` and `g` enclose the gradient's matrix and vector; `gradientAt` is the model's gradient.
 */
export function quadraticExact(A: readonly (readonly Interval[])[], g: readonly Interval[], gradientAt: (x: readonly number[]) => Interval[] | string | Refuted, terms: Readonly<Record<string, unknown>>, data: unknown, D: CheckedDomain): Interval | string | Refuted {
  const d = g.length;
  const { mu, V } = terms;
  const x = typeof data === 'object' && data !== null ? nums((data as { x?: unknown }).x) : null;
  if (typeof mu !== 'number' || typeof V !== 'number' || !(mu >= 0) || x === null || x.length !== d) return 'a trust-region certificate without mu, V and its point';
  if (D.kind !== 'ball' || D.radius === undefined) return 'a trust-region certificate off a ball';
  const inside = inDomain(D, x);
  if (inside !== true) return inside;
  // the lower end from the model's own gradient at x* (operation by operation: as tight as its roundings)
  const grad = gradientAt(x);
  if (!Array.isArray(grad)) return grad;
  const low = norm(grad);
  // M = diag(mu I, V - mu R^2) - [A g]^T [A g], lower triangle, column d is g's
  const col = (c: number, r: number) => (c === d ? g[r] : A[r][c]);
  const M = Array.from({ length: d + 1 }, (_, i) =>
    Array.from({ length: i + 1 }, (_, j) => {
      const gram = sum(Array.from({ length: d }, (_, r) => mul(col(i, r), col(j, r))));
      const diag = i !== j ? point(0) : i < d ? point(mu) : sub(point(V), mul(point(mu), sq(point(D.radius!))));
      return sub(diag, gram);
    }),
  );
  const psd = cholesky(M);
  if (psd !== true) return typeof psd === 'string' ? `the dual pair: ${psd}` : { refuted: `the dual pair fails: ${psd.refuted}` };
  return { lo: low.lo, hi: sqrt(point(V)).hi };
}
