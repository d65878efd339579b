import { afterAll, describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import type { ResidentGradient, ResidentKernels } from '../../src/backends/resident.js';
import { createBackend, detectBackends } from '../../src/backends/registry.js';
import { openSearchBackend } from '../../src/backends/search-backend.js';
import { Rng } from '../../src/core/rng.js';
import { buildInstance, type InstanceSpec } from '../../src/law/instance.js';
import { ball } from '../../src/lipschitz/domain.js';
import { lipschitz } from '../../src/estimators/lipschitz.js';
import { ACTIVATIONS } from '../../src/activations/activation.js';
import type { Model } from '../../src/models/model.js';

// The kernels the Lipschitz search runs on an accelerated backend (the two-layer form and NTK features),
// checked against the models' own f64 gradients on every backend that has them. Unavailable backends are
// reported as SKIPPED with their reason, never as passed.
const statuses = await detectBackends();
const RESIDENT = ['tfjs-wasm', 'tfjs-tensorflow', 'tfjs-cpu'] as const;
/** f32 gradients against the f64 reference, relative to the largest gradient entry. */
const TOL = 1e-4;

const specArb = fc.record({
  className: fc.constantFrom('random-features' as const, 'ntk-features' as const, 'two-layer' as const),
  activation: fc.constantFrom(...ACTIVATIONS),
  n: fc.integer({ min: 8, max: 30 }),
  d: fc.integer({ min: 1, max: 12 }),
  k: fc.integer({ min: 1, max: 40 }),
  seed: fc.nat({ max: 1000 }),
});

function specOf(s: { className: 'random-features' | 'ntk-features' | 'two-layer'; activation: (typeof ACTIVATIONS)[number]; n: number; d: number; k: number; seed: number }): InstanceSpec {
  // two-layer trains only 1-Lipschitz activations; a short budget is enough: any weights will do here
  const activation = s.className === 'two-layer' && !['relu', 'tanh', 'softplus'].includes(s.activation) ? 'tanh' : s.activation;
  // a ridge keeps the output weights O(1): an interpolant at n = k has huge cancelling coefficients, where
  // f32 differs from f64 by the cancellation, not by the kernel (this suite checks the kernel)
  const modelOptions = s.className === 'two-layer' ? { k: s.k, activation, maxIter: 20 } : { k: s.k, activation, ridge: 0.1 };
  return { dist: 'gaussian', labels: 'signs', className: s.className, n: s.n, d: s.d, seed: s.seed, modelOptions };
}

function maxRelError(got: Float32Array, want: Float64Array): number {
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  let err = 0;
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
  return err / Math.max(scale, 1e-30);
}

for (const name of RESIDENT) {
  const status = statuses.find((s) => s.name === name)!;
  describe.skipIf(!status.available)(`resident gradient kernels on ${name}${status.available ? '' : ` (SKIPPED: ${status.reason})`}`, async () => {
    const backend = status.available ? await createBackend(name) : null;
    afterAll(() => backend?.dispose?.());
    it('match the models\' f64 gradients (random-features, two-layer, ntk-features; every activation)', () => {
      fc.assert(
        fc.property(specArb, fc.nat(), (s, pointSeed) => {
          const model = buildInstance(specOf(s)).fit.model;
          const resident = model.searchGradient?.(backend!);
          expect(resident).toBeTruthy();
          const m = 5;
          const X = new Rng(pointSeed).fillNormal(new Float64Array(m * model.d));
          const got = resident!.gradients(Float32Array.from(X), m);
          resident!.dispose();
          expect(maxRelError(got, model.gradient(X, m))).toBeLessThan(TOL);
        }),
        { numRuns: 25 },
      );
    });
  });
}

/** A broken "accelerated" kernel: f32 gradients inflated tenfold (what an f32-only certificate could report). */
function inflating(model: Model): ResidentKernels {
  const wrap = (): ResidentGradient => ({
    backend: 'inflating-test-kernel',
    mode: 'f32',
    gradients: (X, m) => Float32Array.from(model.gradient(Float64Array.from(X), m), (v) => 10 * v),
    dispose: () => {},
  });
  return { residentTwoLayer: wrap, residentNtk: wrap };
}

describe('search in f32, certify in f64', () => {
  const inst = buildInstance({ dist: 'sphere', labels: 'signs', className: 'random-features', n: 40, d: 6, seed: 3, modelOptions: { k: 200, activation: 'tanh' } });
  const model = inst.fit.model;
  const run = (backend?: ResidentKernels) => lipschitz(model, { domain: ball(model.radius), X: inst.X, n: 40, rng: new Rng(11), starts: 8, steps: 40, rounds: 1, backend });

  it('every reported lower bound is the f64 gradient norm at its witness, whatever the search returned', () => {
    const rep = run(inflating(model));
    expect(rep.search).toEqual({ backend: 'inflating-test-kernel', mode: 'f32', precision: 'f32' });
    for (const e of rep.estimates.filter((x) => x.kind === 'lower' && x.witness.type === 'point')) {
      if (e.witness.type !== 'point') continue;
      // an f64 gradient norm (up to the summation order of a batched vs a single evaluation), not the
      // inflated f32 value, which would be 10 times larger
      const g = model.gradient(Float64Array.from(e.witness.x), 1);
      expect(Math.abs(e.value - Math.hypot(...g))).toBeLessThanOrEqual(1e-12 * e.value);
    }
    expect(rep.lower.value).toBeLessThanOrEqual(rep.upper!.value);
  });

  it('catches an f32-only "certificate": the inflated search norms exceed the certified upper bound, the reported bound does not', () => {
    const rep = run(inflating(model));
    const searchNorms = inflating(model).residentTwoLayer!(new Float32Array(0), new Float32Array(0), new Float32Array(0), 0, 0, 'tanh')!.gradients(Float32Array.from(inst.X), 40);
    let f32Only = 0;
    for (let i = 0; i < 40; i++) f32Only = Math.max(f32Only, Math.hypot(...searchNorms.subarray(i * model.d, (i + 1) * model.d)));
    // the bad input: reported as it is, the f32 value would be a false lower bound above the upper bound
    expect(f32Only).toBeGreaterThan(rep.upper!.value);
    expect(rep.lower.value).toBeLessThanOrEqual(rep.upper!.value);
  });

  it('an honest f32 search reaches the f64 search\'s bound on this instance (same starts)', async () => {
    // tfjs-wasm ships inside its npm package: it is always there after npm ci, so this never skips
    const b = await openSearchBackend('tfjs-wasm');
    expect(b.kernels).toBeDefined();
    const ref = run();
    const fast = run(b.kernels);
    expect(fast.search.precision).toBe('f32');
    expect(Math.abs(fast.lower.value - ref.lower.value) / ref.lower.value).toBeLessThan(1e-3);
  });
});
