/**
 * The bump profiles' names: what model options, sweep specs and flags may say (the profiles themselves,
 * g and its slope, live with the class in ./bumps.ts). Kept apart so that the options' type does not import
 * the class that reads it.
 * @module
 */

/** Bump profiles g: [0, inf) -> [0, 1], g(0) = 1, g(s) = 0 for s >= 1 (./bumps.ts, PROFILE). */
export const BUMP_PROFILES = ['hat', 'c1'] as const;
/** A bump profile name. */
export type BumpProfile = (typeof BUMP_PROFILES)[number];
