import { execFileSync } from 'node:child_process';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { gram } from '../../src/linalg/gram.js';
import { matmulABt, matmulABtJs } from '../../src/linalg/matmul.js';
import { useWasmKernel, wasmKernelActive } from '../../src/linalg/wasm-abt.js';

/** The textbook triple loop, the reference both kernels are held to. */
function naive(A: Float64Array, m: number, d: number, B: Float64Array, k: number): Float64Array {
  const C = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += A[i * d + t] * B[j * d + t];
    C[i * k + j] = s;
  }
  return C;
}

const shape = fc.record({ m: fc.integer({ min: 1, max: 11 }), d: fc.integer({ min: 1, max: 13 }), k: fc.integer({ min: 1, max: 11 }) });
const matrices = shape.chain(({ m, d, k }) =>
  fc.record({ m: fc.constant(m), d: fc.constant(d), k: fc.constant(k), A: fc.float64Array({ minLength: m * d, maxLength: m * d, noNaN: true, min: -1e3, max: 1e3 }), B: fc.float64Array({ minLength: k * d, maxLength: k * d, noNaN: true, min: -1e3, max: 1e3 }) }),
);

/** |x - y| within a few ulps of the sum of |products| (the two kernels sum in different orders). */
function closeToReference(C: Float64Array, R: Float64Array, A: Float64Array, m: number, d: number, B: Float64Array, k: number): void {
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) {
    let mag = 0;
    for (let t = 0; t < d; t++) mag += Math.abs(A[i * d + t] * B[j * d + t]);
    const err = Math.abs(C[i * k + j] - R[i * k + j]);
    if (!(err <= 4 * d * Number.EPSILON * mag)) expect.fail(`C[${i}][${j}] = ${C[i * k + j]}, reference ${R[i * k + j]} (error ${err}, allowed ${4 * d * Number.EPSILON * mag})`);
  }
}

describe('matmulABt (WebAssembly SIMD f64 kernel with plain-JS edges)', () => {
  it('the WebAssembly kernel is active on this Node', () => {
    expect(wasmKernelActive()).toBe(true);
  });

  test.prop([matrices])('equals the textbook loop to rounding on every shape (odd m, k mod 4, odd d, 1s)', ({ m, d, k, A, B }) => {
    closeToReference(matmulABt(A, m, d, B, k), naive(A, m, d, B, k), A, m, d, B, k);
    closeToReference(matmulABtJs(A, m, d, B, k), naive(A, m, d, B, k), A, m, d, B, k);
  });

  it('golden values: small integers are exact; -0, Infinity and NaN propagate as in IEEE arithmetic', () => {
    const A = Float64Array.from([1, 2, 3, 4, 5, 6]); // 2 x 3
    const B = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]); // 4 x 3
    expect(Array.from(matmulABt(A, 2, 3, B, 4))).toEqual([1, 2, 3, 6, 4, 5, 6, 15]);
    const Z = matmulABt(Float64Array.from([-0, -0, 1, 1]), 2, 2, Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1]), 4);
    expect(Object.is(Z[0], 0)).toBe(true); // -0 * 1 + -0 * 1 summed from +0 lanes: +0
    const I = matmulABt(Float64Array.from([Infinity, 1, 1, 1]), 2, 2, Float64Array.from([1, 0, 0, 1, 1, 1, -1, 0]), 4);
    // rows of B: (1, 0), (0, 1), (1, 1), (-1, 0); row 0 of A: (Infinity, 1)
    expect(I[0]).toBe(Infinity);
    expect(Number.isNaN(I[1])).toBe(true); // Infinity * 0 = NaN
    expect(I[2]).toBe(Infinity);
    expect(I[3]).toBe(-Infinity);
    expect(Array.from(I.subarray(4))).toEqual([1, 1, 2, -1]);
  });

  it('the kernel bites: a corrupted result fails the reference comparison', () => {
    const A = Float64Array.from({ length: 12 }, (_, i) => i + 1);
    const C = matmulABt(A, 2, 6, A, 2);
    C[1] += 1e-6;
    expect(() => closeToReference(C, naive(A, 2, 6, A, 2), A, 2, 6, A, 2)).toThrow(/C\[0\]\[1\]/);
  });

  it('with the kernel off (ROBUSTLAW_NO_WASM=1) the plain-JS path gives the same numbers to rounding, deterministically', () => {
    const A = Float64Array.from({ length: 7 * 9 }, (_, i) => Math.sin(i));
    const B = Float64Array.from({ length: 10 * 9 }, (_, i) => Math.cos(i));
    const withWasm = matmulABt(A, 7, 9, B, 10);
    const prev = useWasmKernel(false);
    try {
      expect(wasmKernelActive()).toBe(false);
      const js = matmulABt(A, 7, 9, B, 10);
      expect(Array.from(js)).toEqual(Array.from(matmulABtJs(A, 7, 9, B, 10)));
      closeToReference(withWasm, js, A, 7, 9, B, 10);
    } finally {
      useWasmKernel(prev);
    }
    expect(Array.from(matmulABt(A, 7, 9, B, 10))).toEqual(Array.from(withWasm));
  });

  it('gram is exactly symmetric and matches A A^T', () => {
    const A = Float64Array.from({ length: 9 * 5 }, (_, i) => Math.sin(3 * i));
    const G = gram(A, 9, 5);
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) expect(G[i * 9 + j]).toBe(G[j * 9 + i]);
    closeToReference(G, naive(A, 9, 5, A, 9), A, 9, 5, A, 9);
  });

  it('the committed kernel is what scripts/build-wasm.mjs generates (source and bytes)', () => {
    expect(execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' })).toMatch(/committed files match the generator/);
  });
});
