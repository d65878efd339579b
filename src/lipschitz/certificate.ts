import type { LipEstimate } from './estimate.js';

/**
 * An exact Lipschitz constant with its certificate (the formula and its inputs): both a lower and an
 * upper bound over `domain` (docs/science.md section 3).
 */
export function exactEstimate(value: number, domain: string, method: string, formula: string, terms: Readonly<Record<string, number>>): LipEstimate {
  return { kind: 'exact', value, witness: { type: 'certificate', formula, terms }, domain, evaluations: 0, method };
}

/** A certified upper bound on Lip(f) over `domain` with its certificate (docs/science.md section 3). */
export function upperEstimate(value: number, domain: string, method: string, formula: string, terms: Readonly<Record<string, number>>, evaluations = 0): LipEstimate {
  return { kind: 'upper', value, witness: { type: 'certificate', formula, terms }, domain, evaluations, method };
}
