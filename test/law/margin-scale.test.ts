/**
 * A classifier's verdict (docs/science.md section 3, "A classifier's verdict"): its margin f judged through
 * g = clip(f / m, -1, 1), m the grid scale with the law's strongest claim m (sigma^2 - MSE(g)).
 */
import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { checkModel } from '../../src/law/check-model.js';
import { clip1, clippedMse, marginScale, MARGIN_SCALE_STEP, type MarginScale } from '../../src/law/margin-scale.js';
import { Rng } from '../../src/core/rng.js';
import { mlpNetwork } from '../../src/models/mlp.js';
import { runCli } from '../cli/helpers.js';

/** The property: no scale of the grid 2^(j/4) gives a larger claim m (sigma^2 - MSE) than the chosen one
 * (checked over a range wider than the chooser's, by brute force), and the chosen one's numbers are its own. */
function isStrongestClaim(f: Float64Array, y: Float64Array, n: number, sigma2: number, s: MarginScale, inRegime: (eps: number) => boolean): boolean {
  const claim = s.scale * s.eps;
  if (Math.abs(s.mse - clippedMse(f, y, n, s.scale)) > 1e-12 || Math.abs(s.eps - (sigma2 - s.mse)) > 1e-12 || !inRegime(s.eps)) return false;
  // a scale of the grid, chosen before the data were seen
  if (2 ** (Math.round(Math.log2(s.scale) * 4) / 4) !== s.scale) return false;
  for (let j = -200; j <= 200; j++) {
    const m = 2 ** (j / 4);
    const eps = sigma2 - clippedMse(f, y, n, m);
    if (inRegime(eps) && m * eps > claim * (1 + 1e-12)) return false;
  }
  return true;
}

const margins = fc.integer({ min: 2, max: 40 }).chain((n) =>
  fc.tuple(fc.constant(n), fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }), fc.array(fc.constantFrom(-1, 1), { minLength: n, maxLength: n })),
);

describe('marginScale: the scale with the law\'s strongest claim', () => {
  it('golden: margins 4, 8, -8 against labels +1, +1, -1, sigma^2 = 1, in a regime eps >= 1/2', () => {
    const f = Float64Array.of(4, 8, -8);
    const y = Float64Array.of(1, 1, -1);
    // m <= 4: every point fits, claim m; m = 16: MSE ((3/4)^2 + 2 (1/2)^2) / 3 = 17/48, claim 16 (31/48) = 10.33;
    // m = 2^(17/4) = 19.03: MSE 0.432, claim 10.81; m = 2^(18/4) = 22.63: MSE 0.504, eps below 1/2
    const half = (e: number) => e >= 0.5;
    const s = marginScale(f, y, 3, 1, half)!;
    expect(s.scale).toBe(2 ** (17 / 4));
    expect(s.mse).toBeCloseTo(((1 - 4 / s.scale) ** 2 + 2 * (1 - 8 / s.scale) ** 2) / 3, 15);
    expect(s.scale * s.eps).toBeCloseTo(10.81064, 5);
    expect(isStrongestClaim(f, y, 3, 1, s, half)).toBe(true);
    // the claim grows with m towards 2 mean(y f) = 40/3 as the fit's eps falls to 0: without a regime there is no honest maximum
    expect(marginScale(f, y, 3, 1, (e) => e > 0)!.scale).toBeGreaterThan(2 ** 9);
  });

  it('property: the chosen scale is the grid\'s strongest claim in the regime (brute force over 401 scales)', () => {
    fc.assert(
      fc.property(margins, fc.double({ min: 0.05, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 0.9, noNaN: true }), ([n, fs, ys], sigma2, minEps) => {
        const f = Float64Array.from(fs);
        const y = Float64Array.from(ys);
        const inRegime = (e: number) => e >= minEps;
        const s = marginScale(f, y, n, sigma2, inRegime);
        if (s === null) {
          // no scale fits in the regime: brute force agrees
          for (let j = -200; j <= 200; j++) expect(inRegime(sigma2 - clippedMse(f, y, n, 2 ** (j / 4)))).toBe(false);
          return;
        }
        expect(isStrongestClaim(f, y, n, sigma2, s, inRegime)).toBe(true);
      }),
    );
  });

  it('the property fails on a chooser that is not the strongest (the smallest scale that fits), so it can fail', () => {
    const f = Float64Array.of(4, 8, -8);
    const y = Float64Array.of(1, 1, -1);
    const half = (e: number) => e >= 0.5;
    const weak: MarginScale = { scale: 4, mse: clippedMse(f, y, 3, 4), eps: 1 - clippedMse(f, y, 3, 4), grid: 1 };
    expect(isStrongestClaim(f, y, 3, 1, weak, half)).toBe(false);
    const lying: MarginScale = { ...marginScale(f, y, 3, 1, half)!, mse: 0 };
    expect(isStrongestClaim(f, y, 3, 1, lying, half)).toBe(false);
    const outside: MarginScale = { scale: 2 ** 4.5, mse: clippedMse(f, y, 3, 2 ** 4.5), eps: 1 - clippedMse(f, y, 3, 2 ** 4.5), grid: 1 };
    expect(isStrongestClaim(f, y, 3, 1, outside, half)).toBe(false);
  });

  it('clip(f / m) fits every point with y f >= m exactly; margins all 0 or no fit below the noise level give null', () => {
    expect([clip1(-3), clip1(0.25), clip1(7), clip1(-0)]).toEqual([-1, 0.25, 1, -0]);
    expect(clippedMse(Float64Array.of(5, -6, 1), Float64Array.of(1, -1, 1), 3, 4)).toBeCloseTo((1 - 0.25) ** 2 / 3, 15);
    const any = (e: number) => e > 0;
    expect(marginScale(Float64Array.of(0, 0), Float64Array.of(1, -1), 2, 1, any)).toBeNull();
    // every point misclassified: MSE >= 1 >= sigma^2 at every scale
    expect(marginScale(Float64Array.of(-3, 5), Float64Array.of(1, -1), 2, 1, any)).toBeNull();
    expect(MARGIN_SCALE_STEP).toBe(2 ** 0.25);
    expect(() => marginScale(Float64Array.of(1), Float64Array.of(2), 1, 1, any)).toThrow(/labels in \[-1, 1\]/);
  });
});

describe('checkModel judges a classifier margin through the clipped margin', () => {
  // f(x) = 20 x_1 - 20 x_2 + 0: a large-scale margin that classifies its data perfectly
  const net = mlpNetwork([{ weights: Float64Array.of(20, -20), biases: Float64Array.of(0), inputs: 2, outputs: 1 }], []);
  const model = net.scalar('margin');
  const rng = new Rng(7);
  const n = 60;
  const X = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    const r = Math.hypot(a, b);
    X[2 * i] = a / r;
    X[2 * i + 1] = b / r;
    y[i] = a - b >= 0 ? 1 : -1;
  }

  it('plain, the margin is outside the law (eps < 0: not applicable); clipped, it gets a verdict about Lip(f)', () => {
    const plain = checkModel({ model, X, y, n, rng: new Rng(1), rounds: 0 });
    expect(plain.eps).toBeLessThan(0);
    expect(plain.verdict.law.verdict).toBe('not-applicable');
    const c = checkModel({ model, X, y, n, rng: new Rng(1), rounds: 0, clippedMargin: true });
    const s = marginScale(model.predict(X, n), y, n, c.sigma2, (e) => e >= 0.1 && n * e * e >= 8)!;
    expect(c.inLawRegime).toBe(true);
    expect(c.clipped).toMatchObject({ scale: s.scale, grid: s.grid });
    expect(c.trainMse).toBe(s.mse);
    expect(c.eps).toBe(c.sigma2 - s.mse);
    // the law about Lip(f): m eps sqrt(n d / p); R and the verdict's threshold in Lip(f)'s units
    expect(c.law).toBeCloseTo(s.scale * c.eps * Math.sqrt((n * 2) / model.p), 12);
    expect(c.R).toBeCloseTo(c.lower / c.law!, 12);
    expect(c.verdict.law.threshold).toBeCloseTo(0.25 * c.law!, 12);
    expect(c.verdict.law.verdict).not.toBe('not-applicable');
    // Lip(f) = 20 sqrt 2, exactly known for a linear map
    expect(c.lower).toBeLessThanOrEqual(20 * Math.SQRT2 * (1 + 1e-12));
    expect(c.upper!).toBeGreaterThanOrEqual(20 * Math.SQRT2 * (1 - 1e-12));
    expect(c.sentences.join(' ')).toMatch(/judges g = clip\(f \/ m, -1, 1\) with m = /);
    expect(c.record.law).toBe(c.law);
  });
});

describe('check-model on a trained classifier (examples/mnist-mlp)', () => {
  it('gives a verdict other than not-applicable, naming the function judged', async () => {
    const r = await runCli(['check-model', '--model', 'examples/mnist-mlp/model.json', '--data', 'examples/mnist-mlp/digits-200.npy', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { verdict: { law: { verdict: string } }; clipped: { scale: number }; R: number; sentences: string[] };
    expect(['holds', 'inconclusive', 'counterexample']).toContain(j.verdict.law.verdict);
    expect(j.clipped.scale).toBeGreaterThan(1);
    expect(j.R).toBeGreaterThan(0);
    expect(j.sentences.join(' ')).toMatch(/judges g = clip\(f \/ m, -1, 1\)/);
  });
});
