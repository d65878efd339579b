import { InputError, requireInt, requirePositive } from '../core/validate.js';

/**
 * The informal law (docs/science.md section 1): an f with p parameters fitting n noisy points in dimension d
 * below the noise level by eps has Lip(f) >~ eps sqrt(n d / p). Constants and logs dropped.
 * @param eps > 0 (may exceed 1 here: it is a scale, not the theorem's premise); one for which the law
 *   is not a finite positive number is refused.
 */
export function informalLaw(n: number, d: number, p: number, eps: number): number {
  requirePositive('informalLaw', 'n', n);
  requirePositive('informalLaw', 'd', d);
  requirePositive('informalLaw', 'p', p);
  requirePositive('informalLaw', 'eps', eps);
  const law = eps * Math.sqrt((n * d) / p);
  if (!(Number.isFinite(law) && law > 0)) throw new InputError('eps', `small enough that eps sqrt(n d / p) is finite (n = ${n}, d = ${d}, p = ${p})`, eps, { context: 'informalLaw' });
  return law;
}

/**
 * The law's inverse: parameters needed for Lip(f) = lip at fit margin eps, p = eps^2 n d / lip^2
 * (from lip = eps sqrt(n d / p)). An eps (or lip) for which it is not finite is refused, naming it.
 */
export function parametersNeeded(n: number, d: number, eps: number, lip: number): number {
  requirePositive('parametersNeeded', 'n', n);
  requirePositive('parametersNeeded', 'd', d);
  requirePositive('parametersNeeded', 'eps', eps);
  requirePositive('parametersNeeded', 'lip', lip);
  const top = eps * eps * n * d;
  if (!Number.isFinite(top)) throw new InputError('eps', `small enough that eps^2 n d is finite (n = ${n}, d = ${d})`, eps, { context: 'parametersNeeded' });
  const p = top / (lip * lip);
  if (!Number.isFinite(p)) throw new InputError('lip', `large enough that eps^2 n d / lip^2 is finite (eps = ${eps}, n = ${n}, d = ${d})`, lip, { context: 'parametersNeeded' });
  return p;
}

/** The ratio R = lip / (eps sqrt(n d / p)) of an observed Lipschitz lower bound to the informal law. */
export function lawRatio(lip: number, n: number, d: number, p: number, eps: number): number {
  if (!(lip >= 0)) throw new InputError('lip', 'a number >= 0', lip, { context: 'lawRatio' });
  requireInt('lawRatio', 'n', n, 1);
  return lip / informalLaw(n, d, p, eps);
}
