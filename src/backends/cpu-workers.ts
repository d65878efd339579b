import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SECANT_BLOCK } from '../linalg/pairwise-secant.js';
import type { KernelActivation, SecantResult } from './backend.js';
import type { CpuTask } from './cpu-worker-task.js';

const shared = (a: Float32Array) => {
  const sab = new SharedArrayBuffer(a.byteLength);
  new Float32Array(sab).set(a);
  return sab;
};

/**
 * The batch-parallel cpu kernels on worker threads (one per core): the rows of the gradient-norm batch,
 * and the rows of the pairwise-secant triangle (split so that each worker gets about as many pairs), over
 * SharedArrayBuffers. Results equal the cpu reference's (same f64 arithmetic per row).
 */
export class CpuWorkerPool {
  private readonly workers: Worker[];
  private readonly ready: Promise<void>;

  constructor(size = Math.max(1, cpus().length)) {
    this.workers = Array.from({ length: size }, () => new Worker(new URL('./cpu-worker.mjs', import.meta.url)));
    this.ready = Promise.all(this.workers.map((w) => new Promise<void>((res, rej) => {
      w.once('message', () => res());
      w.once('error', rej);
    }))).then(() => undefined);
  }

  get size(): number {
    return this.workers.length;
  }

  private async run(tasks: CpuTask[]): Promise<ReturnType<typeof import('./cpu-worker-task.js').runCpuTask>[]> {
    await this.ready;
    return Promise.all(tasks.map((t, w) => new Promise<ReturnType<typeof import('./cpu-worker-task.js').runCpuTask>>((res, rej) => {
      const worker = this.workers[w % this.workers.length];
      worker.once('message', res);
      worker.once('error', rej);
      worker.postMessage(t);
    })));
  }

  /** ||grad f(x_i)|| for the two-layer form, rows split across the workers. */
  async gradNorms(X: Float32Array, W: Float32Array, b: Float32Array, a: Float32Array, m: number, d: number, k: number, act: KernelActivation): Promise<Float32Array> {
    const [sx, sw, sb, sa] = [shared(X), shared(W), shared(b), shared(a)];
    const P = this.workers.length;
    const tasks: CpuTask[] = Array.from({ length: P }, (_, p) => ({ kind: 'gradNorms', X: sx, W: sw, b: sb, a: sa, m, d, k, act, r0: Math.floor((p * m) / P), r1: Math.floor(((p + 1) * m) / P) }));
    const parts = await this.run(tasks);
    const out = new Float32Array(m);
    parts.forEach((r, p) => out.set(r.norms!, tasks[p].kind === 'gradNorms' ? (tasks[p] as { r0: number }).r0 : 0));
    return out;
  }

  /** The data floor's best pair, the triangle split into equal-pair row ranges. */
  async pairwiseSecant(X: Float32Array, f: Float32Array, n: number, d: number): Promise<SecantResult> {
    const [sx, sf] = [shared(X), shared(f)];
    const P = this.workers.length;
    // rows [0, i) hold i n - i (i + 1) / 2 pairs: choose cuts with equal shares of n (n - 1) / 2, rounded
    // to whole scan blocks so that the pieces are consecutive parts of the single-thread scan (same pair in ties)
    const cuts = [0];
    for (let p = 1; p < P; p++) {
      const target = ((n * (n - 1)) / 2) * (p / P);
      let i = cuts[cuts.length - 1];
      while (i < n && i * n - (i * (i + 1)) / 2 < target) i++;
      cuts.push(Math.max(cuts[cuts.length - 1], Math.min(n, Math.round(i / SECANT_BLOCK) * SECANT_BLOCK)));
    }
    cuts.push(n);
    const tasks: CpuTask[] = cuts.slice(0, -1).map((i0, p) => ({ kind: 'pairwiseSecant', X: sx, f: sf, n, d, i0, i1: cuts[p + 1] }));
    const parts = await this.run(tasks);
    let best = parts[0];
    for (const r of parts) if ((r.secant ?? 0) > (best.secant ?? 0)) best = r;
    return { secant: best.secant ?? 0, i: best.i ?? 0, j: best.j ?? 0 };
  }

  /** Terminates the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
