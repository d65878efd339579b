import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/input-error.js';
import { Streams } from '../../src/core/streams.js';
import { empiricalLaw, EMPIRICAL_LAW_NAME } from '../../src/data/empirical-law.js';
import { fitClass } from '../../src/models/registry.js';

describe('empiricalLaw (the law of a data file)', () => {
  const X = Float64Array.of(1, 2, 3, 4, 5, 6); // 3 rows in d = 2
  const law = empiricalLaw(X, 3, 2, 'three points');
  it('resamples rows of the data, from a seed', () => {
    const a = law.sample(50, new Streams(4).stream('data'));
    const b = law.sample(50, new Streams(4).stream('data'));
    expect(a).toEqual(b);
    for (let i = 0; i < 50; i++) expect([[1, 2], [3, 4], [5, 6]]).toContainEqual([a[2 * i], a[2 * i + 1]]);
    expect(new Set(Array.from({ length: 50 }, (_, i) => a[2 * i])).size).toBe(3);
  });
  it('claims no isoperimetry and is refused by the classes built from a law\'s structure', () => {
    expect(law.name).toBe(EMPIRICAL_LAW_NAME);
    expect(law.isoperimetry.c).toBeNull();
    expect(law.assumptionsHold).toBe(false);
    const s = new Streams(1);
    expect(() => fitClass('intrinsic-bumps', { X, n: 3, d: 2, y: Float64Array.of(1, -1, 1), dist: law }, {}, { init: s.stream('init'), solver: s.stream('solver'), sigma2: 1 })).toThrow(InputError);
    expect(() => empiricalLaw(X, 4, 2, 'x')).toThrow(InputError);
  });
});
