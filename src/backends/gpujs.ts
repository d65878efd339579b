import { createRequire } from 'node:module';
import type { Backend, KernelActivation, SecantResult } from './backend.js';

/** gpu.js modes the registry tries: webasm and cpu run here; headlessgl needs `gl` and a display, webgpu an adapter. */
export const GPUJS_MODES = ['webasm', 'cpu', 'headlessgl', 'webgpu'] as const;
/** A gpu.js mode. */
export type GpujsMode = (typeof GPUJS_MODES)[number];

const ACT_CODE: Readonly<Record<KernelActivation, number>> = { relu: 0, tanh: 1, softplus: 2, square: 3, cos: 4 };

// gpu.js is CommonJS; load it through require so that its optional `gl` dependency failing to load
// does not break the import. The part of its API used here:
/** A compiled kernel: called with the inputs, configured by chained setters. */
interface GpuKernel {
  (...inputs: Float32Array[]): Float32Array | Float32Array[];
  setOutput(out: number[]): GpuKernel;
  setConstants(constants: Record<string, number>): GpuKernel;
  setTactic(tactic: 'speed' | 'balanced' | 'precision'): GpuKernel;
}
/** A GPU instance (one mode). */
interface Gpu {
  readonly mode: string;
  createKernel(fn: (...inputs: never[]) => number): GpuKernel;
  destroy(): unknown;
}
type GpuCtor = (new (opts: { mode: string }) => Gpu) & { readonly isHeadlessGLSupported?: boolean };

/** Loads gpu.js and constructs a GPU in the requested mode; throws with the reason when it cannot. */
function loadGpujs(mode: GpujsMode): { gpu: Gpu; chosen: string } {
  const require = createRequire(import.meta.url);
  let GPU: GpuCtor;
  try {
    ({ GPU } = require('gpu.js') as { GPU: GpuCtor });
  } catch (e) {
    throw new Error(`package gpu.js did not load (${(e as Error).message.split('\n')[0]})`, { cause: e });
  }
  if (mode === 'headlessgl' && !GPU.isHeadlessGLSupported) {
    let why: string;
    try {
      require('gl');
      why = 'headless-gl is installed but found no display (run under xvfb-run -a)';
    } catch {
      why = "module 'gl' (headless-gl) is not built: npm blocks its install script here; it needs libxi-dev libglew-dev, a source build and an X display";
    }
    throw new Error(why);
  }
  let gpu: Gpu;
  try {
    gpu = new GPU({ mode });
  } catch (e) {
    throw new Error(mode === 'webgpu' ? `no WebGPU adapter (gpu.js: ${(e as Error).message})` : (e as Error).message, { cause: e });
  }
  return { gpu, chosen: String(gpu.mode) };
}

const flat = (rows: ArrayLike<ArrayLike<number>> | Float32Array, r: number, c: number): Float32Array => {
  if (rows instanceof Float32Array) return rows;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) out.set(rows[i], i * c);
  return out;
};

/** The hot loops as gpu.js kernels (f32), built per output shape. */
export function gpujsBackend(mode: GpujsMode): Backend {
  const { gpu, chosen } = loadGpujs(mode);
  const kernel = (fn: (...inputs: never[]) => number, out: number[], constants: Record<string, number>) => gpu.createKernel(fn).setOutput(out).setConstants(constants).setTactic('precision');
  return {
    name: `gpujs-${mode}`,
    mode: chosen,
    matmul(A, B, m, k, n) {
      const K = kernel(
        function (this: { thread: { x: number; y: number }; constants: { k: number; n: number } }, a: Float32Array, b: Float32Array) {
          let s = 0;
          for (let i = 0; i < this.constants.k; i++) s += a[this.thread.y * this.constants.k + i] * b[i * this.constants.n + this.thread.x];
          return s;
        },
        [n, m],
        { k, n },
      );
      return flat(K(A, B), m, n);
    },
    featureMap(X, W, b, m, d, k, act) {
      const K = kernel(
        function (this: { thread: { x: number; y: number }; constants: { d: number; act: number } }, x: Float32Array, w: Float32Array, bb: Float32Array) {
          let z = bb[this.thread.x];
          for (let t = 0; t < this.constants.d; t++) z += x[this.thread.y * this.constants.d + t] * w[this.thread.x * this.constants.d + t];
          const a = this.constants.act;
          if (a === 0) return Math.max(z, 0);
          if (a === 1) {
            const e = Math.exp(-2 * Math.abs(z));
            const th = (1 - e) / (1 + e);
            return z >= 0 ? th : -th;
          }
          if (a === 2) return Math.max(z, 0) + Math.log(1 + Math.exp(-Math.abs(z)));
          if (a === 3) return (z * z) / 2;
          return Math.cos(z);
        },
        [k, m],
        { d, act: ACT_CODE[act] },
      );
      return flat(K(X, W, b), m, k);
    },
    gradNorms(X, W, b, a, m, d, k, act) {
      const S = kernel(
        function (this: { thread: { x: number; y: number }; constants: { d: number; act: number } }, x: Float32Array, w: Float32Array, bb: Float32Array, aa: Float32Array) {
          let z = bb[this.thread.x];
          for (let t = 0; t < this.constants.d; t++) z += x[this.thread.y * this.constants.d + t] * w[this.thread.x * this.constants.d + t];
          const c = this.constants.act;
          let ds = 0;
          if (c === 0) ds = z > 0 ? 1 : 0;
          if (c === 1) {
            const e = Math.exp(-2 * Math.abs(z));
            const th = (1 - e) / (1 + e);
            ds = 1 - th * th;
          }
          if (c === 2) ds = 1 / (1 + Math.exp(-z));
          if (c === 3) ds = z;
          if (c === 4) ds = -Math.sin(z);
          return aa[this.thread.x] * ds;
        },
        [k, m],
        { d, act: ACT_CODE[act] },
      );
      const s = flat(S(X, W, b, a), m, k);
      const N = kernel(
        function (this: { thread: { x: number }; constants: { d: number; k: number } }, sm: Float32Array, w: Float32Array) {
          let tot = 0;
          for (let t = 0; t < this.constants.d; t++) {
            let g = 0;
            for (let j = 0; j < this.constants.k; j++) g += sm[this.thread.x * this.constants.k + j] * w[j * this.constants.d + t];
            tot += g * g;
          }
          return Math.sqrt(tot);
        },
        [m],
        { d, k },
      );
      return Float32Array.from(N(s, W) as Float32Array);
    },
    pairwiseSecant(X, f, n, d): SecantResult {
      const K = kernel(
        function (this: { thread: { x: number; y: number }; constants: { d: number } }, x: Float32Array, fv: Float32Array) {
          let s = 0;
          for (let t = 0; t < this.constants.d; t++) {
            const v = x[this.thread.y * this.constants.d + t] - x[this.thread.x * this.constants.d + t];
            s += v * v;
          }
          if (s === 0) return 0;
          return Math.abs(fv[this.thread.y] - fv[this.thread.x]) / Math.sqrt(s);
        },
        [n, n],
        { d },
      );
      const S = flat(K(X, f), n, n);
      let best = 0;
      let bi = 0;
      let bj = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (S[i * n + j] > best) [best, bi, bj] = [S[i * n + j], i, j];
      return { secant: best, i: bi, j: bj };
    },
    gram(A, m, p) {
      const K = kernel(
        function (this: { thread: { x: number; y: number }; constants: { p: number } }, a: Float32Array) {
          let s = 0;
          for (let t = 0; t < this.constants.p; t++) s += a[this.thread.y * this.constants.p + t] * a[this.thread.x * this.constants.p + t];
          return s;
        },
        [m, m],
        { p },
      );
      return flat(K(A), m, m);
    },
    dispose: () => {
      gpu.destroy();
    },
  };
}
