/**
 * Instance arbitraries of the property suites. The in-regime instance lives in src (the `verify` command
 * draws from it too); this file re-exports it with the profile's budget.
 */
import { inject } from 'vitest';
import { BUDGETS, inRegimeInstance, pRegime, estimatedWork, expectedParameterCount } from '../src/law/instance-arbitrary.js';

/** The run's profile (quick or deep) and its budget. */
export const PROFILE = inject('robustlawProfile');
export const BUDGET = BUDGETS[PROFILE];
export const DEEP = PROFILE === 'deep';

/** In-regime instances within this profile's budget. */
export const instanceArb = inRegimeInstance(BUDGET);

export { pRegime, estimatedWork, expectedParameterCount };
