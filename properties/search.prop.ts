import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DEEP } from './arbitraries.js';
import { REGIME_NAMES } from '../src/search/regimes.js';
import { searchRegime } from '../src/search/search.js';
import type { CounterexampleFile } from '../src/search/counterexample-file.js';
import { familyFalls, runFamily } from '../src/search/regime-family.js';

const seed = inject('robustlawSeed');
const BUDGET = 100;

describe('counterexample searches outside the regime (docs/science.md section 5)', () => {
  it.each(REGIME_NAMES)('%s: finds an instance beating the law by a factor 5 (R <= 0.2) within %# budget, shrunk, inside the premise', (regime) => {
    const r = searchRegime(regime, { budget: BUDGET, seed });
    expect(r.found, `seed ${seed}`).toBe(true);
    expect(r.outcome!.Rcertified!).toBeLessThanOrEqual(0.2);
    expect(r.path).toMatch(/^\d+(:\d+)*$/);
    expect(r.outcome!.premise!.holds, `seed ${seed}: ${JSON.stringify(r.outcome!.premise)}`).toBe(true);
  });

  // docs/science.md section 5, "Scaling families": the families at this run's seed (about 0.2 s each);
  // the deep profile adds further seeds
  const familySeeds = DEEP ? [seed, ...Array.from({ length: 9 }, (_, i) => (seed + 7919 * (i + 1)) % 2147483647)] : [seed];
  it.each(REGIME_NAMES)('%s: its scaling family falls inside the premise (slope interval below 0; subspace within 0.15 of -1/2)', (regime) => {
    for (const s of familySeeds) {
      const f = runFamily(regime, { seed: s });
      expect(familyFalls(f), `seed ${s}: ${JSON.stringify(f.points.map((q) => [q.value, q.R, q.premise.holds]))} slope ${JSON.stringify(f.slope)}`).toBe(true);
      if (regime === 'subspace') expect(Math.abs(f.slope!.slope + 0.5)).toBeLessThanOrEqual(0.15);
      if (regime !== 'average') expect(Math.abs(f.slope!.slope - f.predictedSlope), `seed ${s}`).toBeLessThanOrEqual(0.12);
    }
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
    expect(doc.premise!.holds).toBe(true);
    // the committed family replays from its seed, point for point
    const f = runFamily(regime, { seed: doc.family!.seed });
    expect(familyFalls(f)).toBe(true);
    expect(f.points.map((q) => [q.value, q.n, q.d, q.p])).toEqual(doc.family!.points.map((q) => [q.value, q.n, q.d, q.p]));
    f.points.forEach((q, i) => expect(q.R! / doc.family!.points[i].R!).toBeCloseTo(1, 9));
    expect(f.slope!.slope).toBeCloseTo(doc.family!.slope!.slope, 9);
  });
});
