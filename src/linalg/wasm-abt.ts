import { threadedAbt } from './abt-threads.js';
import { ABT_F64X2_WASM } from './wasm/abt-f64x2.js';

/** A shared WebAssembly memory (its buffer is a SharedArrayBuffer). */
interface SharedMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}

/** The slice of the WebAssembly API used here (the project's TypeScript lib has no DOM types). */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
  readonly Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => SharedMemory;
}

interface AbtExports {
  readonly module: object;
  readonly memory: SharedMemory;
  abt(this: void, A: number, B: number, C: number, m2: number, d: number, k: number, k4: number): void;
}

let exportsCache: AbtExports | null | undefined;
let enabled = process.env.ROBUSTLAW_NO_WASM === undefined || process.env.ROBUSTLAW_NO_WASM === '' || process.env.ROBUSTLAW_NO_WASM === '0';

/** The wasm heap limit used here (bytes): larger products fall back to plain JS. */
const MAX_BYTES = 2 ** 31;

function load(): AbtExports | null {
  if (exportsCache !== undefined) return exportsCache;
  try {
    const bytes = Buffer.from(ABT_F64X2_WASM, 'base64');
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const module = new wasm.Module(bytes);
    // the heap is shared so that worker threads run the kernel on it (abt-threads.ts); 2 GiB at most (MAX_BYTES)
    const memory = new wasm.Memory({ initial: 1, maximum: MAX_BYTES / 65536, shared: true });
    const { abt } = new wasm.Instance(module, { env: { memory } }).exports as Pick<AbtExports, 'abt'>;
    exportsCache = { module, memory, abt };
  } catch {
    exportsCache = null; // no WebAssembly SIMD here: the plain-JS kernel runs
  }
  return exportsCache;
}

/** Whether the WebAssembly SIMD f64 kernel is in use (loaded, and not disabled by ROBUSTLAW_NO_WASM=1 or {@link useWasmKernel}). */
export function wasmKernelActive(): boolean {
  return enabled && load() !== null;
}

/** Turns the WebAssembly kernel on or off (tests compare both paths); returns the previous setting. */
export function useWasmKernel(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  return prev;
}

/** Inner-dimension block: products with d above this are summed block by block (see wasmAbtBlocks). */
const T_BLOCK = 512;

/**
 * Computes the 2 x 4 blocked part of C = A B^T (rows i < m - m mod 2, columns j < k - k mod 4) with the
 * WebAssembly SIMD kernel (src/linalg/wasm/abt-f64x2.wat) and writes it into C (m x k). Returns false,
 * touching nothing, when the kernel is off, unavailable, or the operands exceed its heap limit.
 *
 * Cache blocking: the kernel is called on tiles of 64 rows of B at a time (the same sums, so bit-identical
 * to one call), spread over the kernel's threads for large products (abt-threads.ts: same bits for any
 * number of threads), and when d > T_BLOCK on column blocks of A and B of T_BLOCK entries whose partial products
 * are added in order (sums then group by block: they agree with one pass to rounding, not bit for bit).
 * Without it every pair of A's rows streamed all of B from memory: 2-3 GFLOP/s at k = 50,000.
 *
 * `upper` (only for B = A, k = m): a Gram matrix, of which only the entries with j >= i are computed (the
 * operand is copied once, tiles left of the diagonal are skipped); those below are left unspecified for
 * the caller to mirror. The entries computed are bit-identical to the full product's.
 */
export function wasmAbtBlocks(A: Float64Array, m: number, d: number, B: Float64Array, k: number, C: Float64Array, upper = false): boolean {
  const m2 = m & ~1;
  const k4 = k & ~3;
  if (!enabled || m2 === 0 || k4 === 0 || d === 0) return false;
  const ex = load();
  if (!ex) return false;
  const tb = Math.min(d, T_BLOCK);
  const need = (m * tb + k * tb + m * k) * 8;
  if (need > MAX_BYTES) return false;
  const have = ex.memory.buffer.byteLength;
  if (need > have) ex.memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Float64Array(ex.memory.buffer);
  const a = 0;
  if (upper && (B !== A || k !== m)) throw new Error('wasmAbtBlocks: upper needs B = A and k = m');
  const b = upper ? a : m * tb;
  const c = upper ? m * tb : b + k * tb;
  const run = (w: number) => threadedAbt(ex.abt, ex.module, ex.memory, a * 8, b * 8, c * 8, m2, w, k, k4, upper);
  if (d <= T_BLOCK) {
    heap.set(A.subarray(0, m * d), a);
    if (!upper) heap.set(B.subarray(0, k * d), b);
    run(d);
    if (k4 === k) C.set(heap.subarray(c, c + m2 * k));
    else for (let i = 0; i < m2; i++) C.set(heap.subarray(c + i * k, c + i * k + k4), i * k);
    return true;
  }
  for (let t0 = 0; t0 < d; t0 += T_BLOCK) {
    const w = Math.min(T_BLOCK, d - t0);
    for (let i = 0; i < m; i++) heap.set(A.subarray(i * d + t0, i * d + t0 + w), a + i * w);
    if (!upper) for (let j = 0; j < k; j++) heap.set(B.subarray(j * d + t0, j * d + t0 + w), b + j * w);
    run(w);
    for (let i = 0; i < m2; i++) {
      const src = c + i * k;
      for (let j = upper ? i : 0; j < k4; j++) C[i * k + j] += heap[src + j];
    }
  }
  return true;
}
