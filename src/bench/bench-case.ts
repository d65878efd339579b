import type { Backend, KernelName } from '../backends/backend.js';

/** One benchmark case, as the suites in benchmarks/ define them: a kernel at a size, with its flop count. */
export interface BenchCase {
  /** Stable id, e.g. `matmul-1024`. */
  readonly id: string;
  readonly kernel: KernelName | 'gramSolve' | 'matmulF64';
  readonly size: string;
  /** Floating-point operations of one call (multiply-add = 2). */
  readonly flops: number;
  /** Builds the inputs (seeded) and returns the function to time on a backend. */
  prepare(b: Backend): () => unknown;
}
