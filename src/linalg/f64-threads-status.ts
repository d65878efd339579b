import { f64ThreadStats, f64Threads } from './abt-threads.js';
import { matmulABt } from './matmul.js';
import { wasmKernelActive } from './wasm-abt.js';

/** Whether the f64 kernel's worker threads run here: what `robustlaw backends` reports. */
export interface F64ThreadsStatus {
  /** Threads configured (the calling one included). */
  readonly threads: number;
  /** Whether a worker computed a tile of a test product within the probe's time. */
  readonly running: boolean;
  /** Why not, when they do not. */
  readonly reason: string | null;
}

/**
 * Multiplies a 256 x 256 x 256 product (above the threading threshold) until a worker thread has computed
 * one of its tiles, for at most `ms` milliseconds (workers start on the first large product and take tens of
 * milliseconds to come up), and reports whether the threads run and, if not, why.
 */
export async function probeF64Threads(ms = 3000): Promise<F64ThreadsStatus> {
  const threads = f64Threads();
  if (threads === 1) return { threads, running: false, reason: 'one thread configured (ROBUSTLAW_F64_THREADS=1, or one core)' };
  if (!wasmKernelActive()) return { threads, running: false, reason: 'the WebAssembly kernel is off (plain-JS f64 kernel, one thread)' };
  const A = new Float64Array(256 * 256).fill(1);
  const before = f64ThreadStats().workerTiles;
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    matmulABt(A, 256, 256, A, 256);
    const s = f64ThreadStats();
    if (s.workerTiles > before) return { threads, running: true, reason: null };
    if (s.workerError !== null) return { threads, running: false, reason: `a worker thread failed: ${s.workerError}` };
    await new Promise((r) => setTimeout(r, 20));
  }
  return { threads, running: false, reason: `no worker thread computed a tile within ${ms} ms` };
}
