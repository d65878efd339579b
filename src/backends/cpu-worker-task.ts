import type { KernelActivation } from './backend.js';
import { gradNormsF64, pairwiseSecantRange } from './cpu.js';

/** A slice of a batch-parallel cpu kernel, over shared memory. */
export type CpuTask =
  | { kind: 'gradNorms'; X: SharedArrayBuffer; W: SharedArrayBuffer; b: SharedArrayBuffer; a: SharedArrayBuffer; m: number; d: number; k: number; act: KernelActivation; r0: number; r1: number }
  | { kind: 'pairwiseSecant'; X: SharedArrayBuffer; f: SharedArrayBuffer; n: number; d: number; i0: number; i1: number };

/** Runs one slice: gradient norms of rows [r0, r1), or the best secant over pairs (i, j) with i in [i0, i1). */
export function runCpuTask(t: CpuTask): { norms?: Float64Array; secant?: number; i?: number; j?: number } {
  if (t.kind === 'gradNorms') {
    const X = new Float32Array(t.X);
    const rows = Float64Array.from(X.subarray(t.r0 * t.d, t.r1 * t.d));
    return { norms: gradNormsF64(rows, Float64Array.from(new Float32Array(t.W)), Float64Array.from(new Float32Array(t.b)), Float64Array.from(new Float32Array(t.a)), t.r1 - t.r0, t.d, t.k, t.act) };
  }
  return pairwiseSecantRange(new Float32Array(t.X), new Float32Array(t.f), t.n, t.d, t.i0, t.i1);
}
