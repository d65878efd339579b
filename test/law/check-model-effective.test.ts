import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/input-error.js';
import { Streams } from '../../src/core/streams.js';
import { effectiveDimension } from '../../src/data/effective-dimension/effective-dimension.js';
import { makeDistribution } from '../../src/data/make-distribution.js';
import { bothLaws } from '../../src/law/effective-law.js';
import { checkModel } from '../../src/law/check-model.js';
import { parseMlp } from '../../src/models/formats/robustlaw-mlp.js';
import { cli } from '../cli/helpers.js';

// f(x) = relu(x . u) for a fixed unit u: Lip = 1 exactly. Labels are random signs.
function check(dist: 'sphere' | 'subspace', n: number, d: number) {
  const s = new Streams(3);
  const X = makeDistribution(dist, d, dist === 'subspace' ? { m: 4 } : {}, s).sample(n, s.stream('data'));
  const u = Array.from({ length: d }, (_, j) => (j === 0 ? 1 : 0));
  const model = parseMlp({ activation: 'relu', layers: [{ weights: [u], biases: [0] }, { weights: [[1]], biases: [0] }] });
  const rng = s.stream('noise');
  const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1));
  // sigma^2 = 2 as given (the fit is poor, MSE about 1.1): eps about 0.9 > 0, so the law makes a claim
  return checkModel({ model, X, y, n, sigma2: 2, rng: s.stream('estimator') });
}

describe('check-model with the ambient and the effective d (docs/science.md section 6)', () => {
  it('isotropic data: both laws reported, the verdict uses the ambient d', () => {
    const r = check('sphere', 200, 30);
    expect(r.effectiveDimension!.farBelow).toBe(false);
    expect(r.laws!.uses).toBe('ambient');
    expect(r.laws!.ambient.law).toBeCloseTo(r.law!, 12);
    expect(r.laws!.ambient.verdict).toBe(r.verdict.law.verdict);
    expect(r.laws!.effective.law).toBeCloseTo(r.eps * Math.sqrt((200 * r.effectiveDimension!.lawD) / r.p), 12);
    expect(r.sentences.join(' ')).toContain('The verdict uses the ambient d = 30');
  });
  it('data on a 4-dimensional subspace of R^300: flagged, outside the ambient law, the verdict uses d_eff', () => {
    const r = check('subspace', 200, 300);
    const e = r.effectiveDimension!;
    expect(e.farBelow).toBe(true);
    expect(e.lawD).toBeLessThan(4);
    expect(r.laws!.uses).toBe('effective');
    expect(r.laws!.outsideAmbientLaw).toBe(true);
    expect(r.laws!.effective.R).toBeCloseTo(r.lower / (r.eps * Math.sqrt((200 * e.lawD) / r.p)), 10);
    expect(r.sentences.join(' ')).toMatch(/Verdict \(effective d = [\d.]+\)/);
    expect(r.sentences.join(' ')).toContain('outside the ambient law');
  });
  it('bothLaws classifies against tau times each law and refuses eps <= 0', () => {
    const dims = { ...effectiveDimension(Float64Array.from({ length: 40 }, (_, i) => Math.sin(i * i)), 20, 2), lawD: 0.5, d: 2, farBelow: true };
    // law(d = 2) = sqrt(4 * 2 / 2) = 2, law(d_eff = 0.5) = 1; lower 0.3: below tau x 2 = 0.5 but at least tau x 1 = 0.25
    const b = bothLaws({ n: 4, p: 2, eps: 1, lower: 0.3, upper: 0.4, dims });
    expect(b.ambient.verdict).toBe('counterexample');
    expect(b.effective.verdict).toBe('holds');
    expect(b.uses).toBe('effective');
    expect(bothLaws({ n: 4, p: 2, eps: 1, lower: 0.3, upper: 0.6, dims: { ...dims, farBelow: false } }).ambient.verdict).toBe('inconclusive');
    expect(() => bothLaws({ n: 4, p: 2, eps: 0, lower: 1, upper: 1, dims })).toThrow(InputError);
  });
  it('robustlaw check-model prints both laws on the digits example and flags the data', () => {
    const r = cli(['check-model', '--model', 'examples/digits/net.json', '--data', 'examples/digits/data.json', '--backend', 'cpu'], 120_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^law {10}eps sqrt\(n d \/ p\) = /m);
    expect(r.stdout).toMatch(/^law \(eff d\) {2}eps sqrt\(n d_eff \/ p\) = [\d.]+ with d_eff [\d.]+/m);
    expect(r.stdout).toMatch(/^eff\. dim {5}PCA 90% 20 {3}PCA 95% 28 {3}participation ratio 12\.77 {3}TwoNN 7\.246 .*FLAG: far below d/m);
    expect(r.stdout).toContain('verdict uses the effective d');
    expect(r.stdout).toContain('p 33793   n 500   d 64');
  });
});
