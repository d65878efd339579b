import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DEEP } from './arbitraries.js';
import { REGIME_NAMES } from '../src/law/regimes.js';
import { searchRegime } from '../src/law/search.js';
import type { CounterexampleFile } from '../src/law/counterexample-file.js';

const seed = inject('robustlawSeed');
const BUDGET = 100;

describe('counterexample searches outside the regime (docs/science.md section 5)', () => {
  it.each(REGIME_NAMES)('%s: finds an instance beating the law by a factor 5 (R <= 0.2) within %# budget, shrunk', (regime) => {
    const r = searchRegime(regime, { budget: BUDGET, seed });
    expect(r.found, `seed ${seed}`).toBe(true);
    expect(r.outcome!.Rcertified!).toBeLessThanOrEqual(0.2);
    expect(r.path).toMatch(/^\d+(:\d+)*$/);
  });

  it.each(REGIME_NAMES)('%s: the same search on in-regime instances finds nothing', (regime) => {
    const r = searchRegime(regime, { budget: DEEP ? 200 : 25, seed, inRegime: true });
    expect(r.found, JSON.stringify(r.counterexample)).toBe(false);
  });

  it.each(REGIME_NAMES)('reports/counterexamples/%s.json replays with its seed and path', (regime) => {
    const file = fileURLToPath(new URL(`../reports/counterexamples/${regime}.json`, import.meta.url));
    const doc = JSON.parse(readFileSync(file, 'utf8')) as CounterexampleFile;
    expect(doc.verdict).toBe('counterexample');
    const r = searchRegime(regime, { budget: 1, seed: doc.replay.seed, path: doc.replay.path! });
    expect(r.found).toBe(true);
    expect(r.counterexample).toEqual(doc.params);
    expect(r.outcome!.Rcertified).toBeCloseTo(doc.measured!.Rcertified as number, 9);
  });
});
