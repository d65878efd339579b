import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/helpers.js';
import { reportError } from '../../src/cli/errors.js';
import { Rng } from '../../src/core/rng.js';
import { InconsistentBoundsError, requireOrderedBounds } from '../../src/lipschitz/bound-order.js';
import { exactEstimate, upperEstimate } from '../../src/lipschitz/certificate.js';
import type { LipEstimate } from '../../src/lipschitz/estimate.js';
import { lipschitz } from '../../src/estimators/lipschitz.js';
import { linearModel } from '../../src/models/linear.js';

const lower = (v: number): LipEstimate => ({ kind: 'lower', value: v, witness: { type: 'certificate', formula: 'test', terms: {} }, domain: 'R^d', evaluations: 0, method: 'test-lower' });
const upper = (v: number) => upperEstimate(v, 'R^d', 'test-upper', 'test', {});
const exact = (v: number) => exactEstimate(v, 'R^d', 'test-exact', 'test', {}, 0);

describe('requireOrderedBounds: lower <= exact <= upper with the exact value\'s rounding interval', () => {
  it('ordered bounds pass, including a lower bound inside the exact interval\'s top ulps', () => {
    const e = exact(1);
    expect(() => requireOrderedBounds('x', lower(1), e, upper(1))).not.toThrow();
    expect(() => requireOrderedBounds('x', lower(e.interval!.hi), e, upper(e.interval!.hi))).not.toThrow();
    expect(() => requireOrderedBounds('x', lower(e.interval!.lo), e, upper(e.interval!.lo))).not.toThrow();
    expect(() => requireOrderedBounds('x', null, null, null)).not.toThrow();
  });
  it.each([
    ['lower > upper', lower(2), null, upper(1), /lower 2\.0*\d* \(test-lower\) > upper 1\.0* \(test-upper\)/],
    ['lower > exact', lower(1.5), exact(1), null, /lower 1\.5.* > exact 1\.0.* \(top of its interval\)/],
    ['exact > upper (the issue: exact 1, lipsdp-bnb 0.001)', lower(1e-3), exact(1), upper(1e-3), /exact 0\.99.* \(bottom of its interval\) > upper 0\.001/],
  ])('%s throws InconsistentBoundsError with the numbers and methods', (_, lo, ex, up, message) => {
    try {
      requireOrderedBounds('mlp on R^d', lo, ex, up);
      expect.unreachable('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(InconsistentBoundsError);
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message).toMatch(/^inconsistent certified bounds on mlp on R\^d: /);
    }
  });
});

describe('the estimators refuse to return contradictory bounds; the CLI exits 70 with the numbers', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });
  it('lipschitz() on a model whose upper bound is below its exact value throws instead of returning', () => {
    const model = linearModel(Float64Array.from([3, 4]), 0);
    const lying = { ...model, upperLipschitz: () => upper(4) };
    expect(() => lipschitz(lying, { rng: new Rng(1), rounds: 0 })).toThrow(InconsistentBoundsError);
    // and the honest model passes: exact 5, upper 5
    expect(lipschitz(model, { rng: new Rng(1), rounds: 0 }).upper!.value).toBeGreaterThanOrEqual(5);
  });
  it('reportError turns it into one line and exit 70 (a bug, not bad input)', () => {
    let out = '';
    const code = reportError(new InconsistentBoundsError('mlp, R^d', 'lower 1 (relu-region) > upper 0.001 (lipsdp-bnb)'), false, (t) => void (out += t));
    expect(code).toBe(70);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(/internal error: inconsistent certified bounds on mlp, R\^d: lower 1 \(relu-region\) > upper 0\.001 \(lipsdp-bnb\)/);
  });
  // Lip of this net is not quite 1: where only the second unit is active (x2 < 0 < x2 - 1e-3 x1, e.g. x = (-1,
  // -0.0005), inside the unit ball) f has gradient 1e163 (1e-166, -1e-163), of norm sqrt(1 + 1e-6)
  const truth = Math.hypot(1e163 * 1e-166, 1e163 * 1e-163);
  it("the issue's net (first layer x 1e-163, second x 1e163, Lip sqrt(1 + 1e-6)): lip --model gives upper >= Lip >= lower on R^d and on the unit ball (the upper bound was 0.001)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustlaw-scale-'));
    const file = join(dir, 'net.json');
    writeFileSync(
      file,
      JSON.stringify({ format: 'robustlaw-mlp/1', activation: 'relu', layers: [{ weights: [[0.0, 1e-163], [-1e-166, 1e-163]], biases: [-1e-300, -1e-300] }, { weights: [[1e163, 0.0], [0.0, 1e163]], biases: [0.0, 0.0] }, { weights: [[1.0, -1.0]], biases: [0.0] }] }),
    );
    for (const domain of [['--domain', 'Rd'], ['--domain', 'ball', '--radius', '1']]) {
      const { code, stdout } = await runCli(['lip', '--model', file, ...domain, '--json']);
      expect(code).toBe(0);
      const r = JSON.parse(stdout) as { lower: number; upper: number; exact: number | null };
      expect(r.upper, domain.join(' ')).toBeGreaterThanOrEqual(truth * (1 - 1e-12));
      expect(r.lower, domain.join(' ')).toBeLessThanOrEqual(truth * (1 + 1e-12));
      expect(r.lower, domain.join(' ')).toBeGreaterThan(0.99);
      if (r.exact !== null) expect(r.exact / truth, domain.join(' ')).toBeCloseTo(1, 12);
    }
  });
});
