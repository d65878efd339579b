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
const acts = fc.constantFrom(...KERNEL_ACTIVATIONS);

// Sizes first, then the entries for those sizes, all from arbitraries: a failure shrinks the sizes and
// then the entries (towards 0), and prints them.
const matmulCase = fc.tuple(dims, dims, dims).chain(([m, k, n]) => fc.record({ m: fc.constant(m), k: fc.constant(k), n: fc.constant(n), A: vals(m * k), B: vals(k * n) }));
const layerCase = (withA: boolean) =>
  fc.tuple(dims, dims, dims, acts).chain(([m, d, k, act]) =>
    fc.record({ m: fc.constant(m), d: fc.constant(d), k: fc.constant(k), act: fc.constant(act), X: vals(m * d), W: vals(k * d), b: vals(k), a: withA ? vals(k) : fc.constant(new Float32Array(0)) }),
  );
const gramCase = fc.tuple(dims, dims).chain(([m, p]) => fc.record({ m: fc.constant(m), p: fc.constant(p), A: vals(m * p) }));
const secantCase = fc.tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 24 })).chain(([n, d]) => fc.record({ n: fc.constant(n), d: fc.constant(d), X: vals(n * d), f: vals(n) }));

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
    matmul: fc.property(matmulCase, ({ m, k, n, A, B }) => {
      close(b.matmul(A, B, m, k, n), ref.matmul(A, B, m, k, n), tol);
    }),
    featureMap: fc.property(layerCase(false), ({ m, d, k, act, X, W, b: bb }) => {
      close(b.featureMap(X, W, bb, m, d, k, act), ref.featureMap(X, W, bb, m, d, k, act), tol);
    }),
    gradNorms: fc.property(layerCase(true), ({ m, d, k, act, X, W, b: bb, a }) => {
      // relu' jumps at 0: keep pre-activations away from the kink so that f32 rounding cannot flip it
      const Z = ref.featureMap(X, W, bb, m, d, k, 'square');
      fc.pre(act !== 'relu' || Z.every((z) => Math.sqrt(2 * z) > 1e-3));
      close(b.gradNorms(X, W, bb, a, m, d, k, act), ref.gradNorms(X, W, bb, a, m, d, k, act), tol);
    }),
    gram: fc.property(gramCase, ({ m, p, A }) => {
      close(b.gram(A, m, p), ref.gram(A, m, p), tol);
    }),
    pairwiseSecant: fc.property(secantCase, ({ n, d, X, f }) => {
      const r = ref.pairwiseSecant(X, f, n, d);
      // f32 kernels find candidate pairs; they cannot resolve near-duplicates (tfjs's |a|^2 + |b|^2 - 2 a.b
      // cancels), so the property is stated for points at least 0.1 apart. The certified data floor
      // re-evaluates the winning pair in f64 (src/estimators/data-floor.ts).
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
  const KERNELS = ['matmul', 'featureMap', 'gradNorms', 'gram', 'pairwiseSecant'] as const;
  /** A cpu backend whose `kernel` is off by 1e-2 in its first output entry (known bad input). */
  const offByOne = (kernel: (typeof KERNELS)[number]): Backend => {
    const cpu = cpuBackend();
    const bump = (C: Float32Array) => {
      if (C.length > 0) C[0] += 1e-2;
      return C;
    };
    switch (kernel) {
      case 'matmul':
        return { ...cpu, name: 'bad', matmul: (...a) => bump(ref.matmul(...a)) };
      case 'featureMap':
        return { ...cpu, name: 'bad', featureMap: (...a) => bump(ref.featureMap(...a)) };
      case 'gradNorms':
        return { ...cpu, name: 'bad', gradNorms: (...a) => bump(ref.gradNorms(...a)) };
      case 'gram':
        return { ...cpu, name: 'bad', gram: (...a) => bump(ref.gram(...a)) };
      case 'pairwiseSecant':
        return { ...cpu, name: 'bad', pairwiseSecant: (...a) => { const r = ref.pairwiseSecant(...a); return { ...r, secant: r.secant + 1e-2 * Math.max(1, r.secant) }; } };
    }
  };
  it.each(KERNELS)('a backend whose %s is off by 1e-2 in one entry fails it, and the failure shrinks to small sizes', (kernel) => {
    // a fixed seed: shrinking a size that the arrays' lengths depend on (a chained arbitrary) can stop early on
    // some seeds (a CI run's stopped at d = 16 for gradNorms); the point here is that a failure is found and shrunk
    const r = fc.check(equivalence(offByOne(kernel), 1e-5)[kernel] as fc.IProperty<unknown[]>, { numRuns: 20, seed: 20261207 });
    expect(r.failed).toBe(true);
    const ce = r.counterexample![0] as Record<string, unknown>;
    const sizes = ['m', 'k', 'n', 'd', 'p'].filter((key) => typeof ce[key] === 'number').map((key) => ce[key] as number);
    // every size shrinks to (nearly) its minimum, 1; the secant's points must stay 0.1 apart, which can stop
    // the shrinker at a larger d (seen: d = 11 of at most 24), so there only that it did shrink is asserted
    expect(r.numShrinks, JSON.stringify(ce)).toBeGreaterThan(0);
    expect(Math.max(...sizes), JSON.stringify(ce)).toBeLessThanOrEqual(kernel === 'pairwiseSecant' ? 16 : 3);
  });
  it('cpu is always available, with f64; the registry gives a reason for every unavailable backend', () => {
    expect(statuses.find((s) => s.name === 'cpu')).toMatchObject({ available: true, float64: true });
    for (const s of statuses) expect(s.available || (s.reason !== null && s.reason.length > 10)).toBe(true);
  });
});
