import { requireInt, requireNonNegative, requireOpen, requirePositive } from '../core/validate.js';
import { NEURIPS_2021, type LawConstants } from './constants.js';

/** Inputs of Theorem 2 (finite class). */
export interface Theorem2Input {
  readonly n: number;
  readonly d: number;
  /** in (0, 1) */
  readonly eps: number;
  /** Lipschitz level L > 0 being asked about. */
  readonly L: number;
  /** ln |F| >= 0, the log-cardinality of the finite class. */
  readonly logClassSize: number;
  readonly c?: number;
  readonly k?: number;
  readonly constants?: LawConstants;
}

/** Result of {@link theorem2}: both terms and their sum, capped at 1. */
export interface Theorem2Result {
  readonly probability: number;
  readonly raw: number;
  readonly sampleTerm: number;
  readonly classTerm: number;
}

/**
 * Theorem 2 (docs/science.md section 1): the probability that some f in a finite class F fits below the noise
 * level by eps with Lip(f) <= L is at most
 *   4 k exp(-n eps^2 / (8^3 k)) + 2 exp(ln|F| - eps^2 n d / (8^4 c L^2)).
 */
export function theorem2(input: Theorem2Input): Theorem2Result {
  const fn = 'theorem2';
  const n = requireInt(fn, 'n', input.n, 1);
  const d = requireInt(fn, 'd', input.d, 1);
  const eps = requireOpen(fn, 'eps', input.eps, 0, 1);
  const L = requirePositive(fn, 'L', input.L);
  const logF = requireNonNegative(fn, 'logClassSize', input.logClassSize);
  const c = requirePositive(fn, 'c', input.c ?? 1);
  const k = requireInt(fn, 'k', input.k ?? 1, 1);
  const K = (input.constants ?? NEURIPS_2021).theorem2;
  const sampleTerm = K.a * k * Math.exp((-n * eps * eps) / (K.b * k));
  const classTerm = K.e * Math.exp(logF - (eps * eps * n * d) / (K.f * c * L * L));
  const raw = sampleTerm + classTerm;
  return { probability: Math.min(1, raw), raw, sampleTerm, classTerm };
}
