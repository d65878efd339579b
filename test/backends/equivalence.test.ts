import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { KERNEL_ACTIVATIONS, type Backend } from '../../src/backends/backend.js';
import { cpuBackend } from '../../src/backends/cpu.js';
import { BACKEND_NAMES, createBackend, detectBackends, type BackendStatus } from '../../src/backends/registry.js';

// One suite, run against every backend (the way tfjs runs one suite on every environment). Unavailable
// backends are reported as SKIPPED with their reason, never as passed.
const statuses: BackendStatus[] = await detectBackends();
const ref = cpuBackend();

/** Backend-dependent tolerance: f32 backends are compared with the f64 reference relative to the scale. */
const TOL: Record<string, number> = { cpu: 1e-6, 'tfjs-wasm': 2e-5, 'tfjs-cpu': 2e-5, 'tfjs-tensorflow': 2e-5, 'gpujs-webasm': 5e-5, 'gpujs-cpu': 5e-5, 'gpujs-headlessgl': 2e-4, 'gpujs-webgpu': 2e-4 };

const dims = fc.integer({ min: 1, max: 24 });
const vals = (len: number) => fc.float32Array({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true, minLength: len, maxLength: len });

function minDistance(X: Float32Array, n: number, d: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    let q = 0;
    for (let t = 0; t < d; t++) q += (X[i * d + t] - X[j * d + t]) ** 2;
    best = Math.min(best, Math.sqrt(q));
  }
  return best;
}

function close(actual: Float32Array, expected: Float32Array, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > tol * scale) expect.fail(`entry ${i}: ${actual[i]} vs reference ${expected[i]} (tolerance ${tol} x ${scale})`);
  }
}

/** The equivalence properties of one backend (exported so the known-bad test can reuse them). */
export function equivalence(b: Backend, tol: number) {
  return {
    matmul: fc.property(dims, dims, dims, fc.nat(), (m, k, n, s) => {
      const [A, B] = fc.sample(fc.tuple(vals(m * k), vals(k * n)), { numRuns: 1, seed: s })[0];
      close(b.matmul(A, B, m, k, n), ref.matmul(A, B, m, k, n), tol);
    }),
    featureMap: fc.property(dims, dims, dims, fc.constantFrom(...KERNEL_ACTIVATIONS), fc.nat(), (m, d, k, act, s) => {
      const [X, W, bb] = fc.sample(fc.tuple(vals(m * d), vals(k * d), vals(k)), { numRuns: 1, seed: s })[0];
      close(b.featureMap(X, W, bb, m, d, k, act), ref.featureMap(X, W, bb, m, d, k, act), tol);
    }),
    gradNorms: fc.property(dims, dims, dims, fc.constantFrom(...KERNEL_ACTIVATIONS), fc.nat(), (m, d, k, act, s) => {
      const [X, W, bb, a] = fc.sample(fc.tuple(vals(m * d), vals(k * d), vals(k), vals(k)), { numRuns: 1, seed: s })[0];
      // relu' jumps at 0: keep pre-activations away from the kink so that f32 rounding cannot flip it
      const Z = ref.featureMap(X, W, bb, m, d, k, 'square');
      fc.pre(act !== 'relu' || Z.every((z) => Math.sqrt(2 * z) > 1e-3));
      close(b.gradNorms(X, W, bb, a, m, d, k, act), ref.gradNorms(X, W, bb, a, m, d, k, act), tol);
    }),
    gram: fc.property(dims, dims, fc.nat(), (m, p, s) => {
      const A = fc.sample(vals(m * p), { numRuns: 1, seed: s })[0];
      close(b.gram(A, m, p), ref.gram(A, m, p), tol);
    }),
    pairwiseSecant: fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 24 }), fc.nat(), (n, d, s) => {
      const [X, f] = fc.sample(fc.tuple(vals(n * d), vals(n)), { numRuns: 1, seed: s })[0];
      const r = ref.pairwiseSecant(X, f, n, d);
      // f32 kernels find candidate pairs; they cannot resolve near-duplicates (tfjs's |a|^2 + |b|^2 - 2 a.b
      // cancels), so the property is stated for points at least 0.1 apart. The certified data floor
      // re-evaluates the winning pair in f64 (src/lipschitz/data-floor.ts).
      fc.pre(minDistance(X, n, d) >= 0.1);
      const got = b.pairwiseSecant(X, f, n, d);
      expect(Math.abs(got.secant - r.secant)).toBeLessThanOrEqual(1e-3 * Math.max(1, r.secant));
    }),
  };
}

for (const name of BACKEND_NAMES) {
  const st = statuses.find((s) => s.name === name)!;
  describe(`backend ${name}`, () => {
    let backend: Backend;
    beforeAll(async () => {
      if (st.available) backend = await createBackend(name);
    });
    afterAll(() => backend?.dispose?.());
    for (const kernel of ['matmul', 'featureMap', 'gradNorms', 'gram', 'pairwiseSecant'] as const) {
      it.skipIf(!st.available)(`${kernel} equals the cpu reference within ${TOL[name]}${st.available ? ` (mode ${st.mode})` : ` — unavailable: ${st.reason}`}`, () => {
        fc.assert(equivalence(backend, TOL[name])[kernel] as fc.IProperty<unknown[]>, { numRuns: 15 });
      });
    }
  });
}

describe('the equivalence suite bites', () => {
  it('a backend with an off-by-one-row matmul fails it', () => {
    const bad: Backend = { ...cpuBackend(), name: 'bad', matmul: (A, B, m, k, n) => { const C = ref.matmul(A, B, m, k, n); if (C.length > 0) C[0] += 1e-2; return C; } };
    expect(fc.check(equivalence(bad, 1e-5).matmul, { numRuns: 20 }).failed).toBe(true);
  });
  it('cpu is always available, with f64; the registry gives a reason for every unavailable backend', () => {
    expect(statuses.find((s) => s.name === 'cpu')).toMatchObject({ available: true, float64: true });
    for (const s of statuses) expect(s.available || (s.reason !== null && s.reason.length > 10)).toBe(true);
  });
});
