/**
 * verify's draw table (src/law/instance-arbitrary.ts, `inRegimeClass`) is a second per-class list beside the
 * registry: a class added to the registry but not to the table would silently never be verified. This test
 * draws from the table and compares with the registry: every fitted class but the regime classes (which
 * serve the counterexample searches), and only option values the class accepts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inRegimeClass } from '../../src/law/instance-arbitrary.js';
import { FITTED_CLASSES, functionClass, REGIME_CLASSES } from '../../src/models/registry.js';

/** The classes an arbitrary of class configurations draws, over enough draws to see every branch. */
function classesDrawn(arb: fc.Arbitrary<{ className: string }>): string[] {
  return [...new Set(fc.sample(arb, { numRuns: 2000, seed: 1 }).map((c) => c.className))].sort();
}

describe("verify's draw table covers the registry", () => {
  it('draws every fitted class but the regime classes', () => {
    const expected = FITTED_CLASSES.filter((c) => !(REGIME_CLASSES as readonly string[]).includes(c)).sort();
    expect(classesDrawn(inRegimeClass)).toEqual(expected);
  });

  it('draws only activations each class accepts', () => {
    for (const c of fc.sample(inRegimeClass, { numRuns: 2000, seed: 2 })) {
      const accepts = functionClass(c.className).activations as readonly string[] | undefined;
      const activation = (c.modelOptions as { activation?: string }).activation;
      if (activation !== undefined) expect(accepts, c.className).toContain(activation);
    }
  });

  it('a table that left a class out would be caught', () => {
    const partial = fc.oneof(fc.record({ className: fc.constant('linear') }), fc.record({ className: fc.constant('bumps') }));
    expect(classesDrawn(partial)).not.toEqual(FITTED_CLASSES.filter((c) => !(REGIME_CLASSES as readonly string[]).includes(c)).sort());
  });
});
