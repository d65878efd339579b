/**
 * `robustlaw/vitest`: law-aware matchers for vitest (docs/package.md). Importing this module registers
 * them on vitest's `expect` (put `import 'robustlaw/vitest'` in a setup file or at the top of a test):
 *
 *     expect(model).toSatisfyLaw({ X, y, sigma2, tau });   // certified Lip(f) >= tau eps sqrt(n d / p)
 *     expect(model).toHaveLipschitzAbove(L, { X });        // certified Lip(f) > L
 *
 * A failure prints the certified bounds, the witness of the lower bound and the seed that replays them
 * (docs/science.md sections 1 and 3).
 * @module
 */
import { expect } from 'vitest';
import type { Model } from '../models/model.js';
import { lawCheck, lipschitzAboveCheck, type LawCheckOptions, type LipschitzAboveOptions } from './law-checks.js';

export { lawCheck, lipschitzAboveCheck, describeWitness, type LawCheckOptions, type LipschitzAboveOptions, type CheckOutcome, type LawCheckOutcome, type Covariates } from './law-checks.js';

/** The matchers, for `expect.extend(lawMatchers)` where a test wants to register them itself. */
export const lawMatchers = {
  /** Passes when the certified lower bound on Lip(model) is at least tau times the law eps sqrt(n d / p) ({@link lawCheck}). */
  toSatisfyLaw(received: Model, options: LawCheckOptions) {
    const r = lawCheck(received, options);
    return { pass: r.pass, message: () => r.message, actual: r.lower, expected: r.report.law === null ? null : r.tau * r.report.law };
  },
  /** Passes when the certified lower bound on Lip(model) exceeds L ({@link lipschitzAboveCheck}). */
  toHaveLipschitzAbove(received: Model, L: number, options?: LipschitzAboveOptions) {
    const r = lipschitzAboveCheck(received, L, options);
    return { pass: r.pass, message: () => r.message, actual: r.lower, expected: L };
  },
};

expect.extend(lawMatchers);

/** The matchers' types on vitest's `expect(...)`. */
export interface LawMatchers<R = unknown> {
  toSatisfyLaw(options: LawCheckOptions): R;
  toHaveLipschitzAbove(L: number, options?: LipschitzAboveOptions): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends LawMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends LawMatchers {}
}
