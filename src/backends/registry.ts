import { InputError } from '../core/input-error.js';
import type { Backend, KernelName } from './backend.js';
import { cpuBackend } from './cpu.js';
import { GPUJS_MODES, gpujsBackend, type GpujsMode } from './gpujs.js';
import { loadTfjs, tfjsBackend, TFJS_FLAVOURS, type TfjsFlavour } from './tfjs.js';

/** Every backend the registry knows. */
export const BACKEND_NAMES = ['cpu', ...TFJS_FLAVOURS.map((f) => `tfjs-${f}` as const), ...GPUJS_MODES.map((m) => `gpujs-${m}` as const)] as const;
/** A backend name. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What detection found for one backend. */
export interface BackendStatus {
  readonly name: BackendName;
  readonly available: boolean;
  /** What actually runs (tf.getBackend(), gpu.js's chosen mode), null when unavailable. */
  readonly mode: string | null;
  /** Why it is unavailable (package missing, no display, no GPU adapter, ...), null when available. */
  readonly reason: string | null;
  /** Whether it can compute in float64 (only cpu). */
  readonly float64: boolean;
}

/**
 * Constructs a backend by name, or throws an Error whose message is the reason it cannot run here.
 * tfjs is one global library: constructing a tfjs backend makes it tfjs's current backend.
 */
export async function createBackend(name: BackendName): Promise<Backend> {
  if (name === 'cpu') return cpuBackend();
  if (name.startsWith('tfjs-')) {
    const flavour = name.slice(5) as TfjsFlavour;
    return tfjsBackend(await loadTfjs(flavour), flavour);
  }
  if (name.startsWith('gpujs-')) return gpujsBackend(name.slice(6) as GpujsMode);
  throw new InputError('backend', `one of ${BACKEND_NAMES.join(', ')}`, name, { context: 'createBackend' });
}

/** Detects every backend: which run here, in which mode, and why the others do not. */
export async function detectBackends(): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      const b = await createBackend(name);
      // a one-element smoke test: a backend that constructs but cannot compute is unavailable
      const c = b.matmul(new Float32Array([2]), new Float32Array([3]), 1, 1, 1);
      if (Math.abs(c[0] - 6) > 1e-6) throw new Error(`smoke test 2 x 3 gave ${c[0]}`);
      out.push({ name, available: true, mode: b.mode, reason: null, float64: name === 'cpu' });
      b.dispose?.();
    } catch (e) {
      out.push({ name, available: false, mode: null, reason: (e as Error).message, float64: false });
    }
  }
  return out;
}

/**
 * The `auto` choice for a kernel at a size (flops): tfjs-node when present, tfjs-wasm for anything
 * beyond about 2 MFLOP (where its SIMD pays for the tensor round trip), cpu otherwise. The data floor's
 * pairwise kernel stays on cpu (its winning pair is certified in f64 anyway).
 */
export function autoBackend(kernel: KernelName, flops: number, available: readonly BackendStatus[]): BackendName {
  const has = (n: BackendName) => available.some((s) => s.name === n && s.available);
  if (kernel === 'pairwiseSecant') return 'cpu';
  if (has('tfjs-tensorflow')) return 'tfjs-tensorflow';
  if (flops >= 2e6 && has('tfjs-wasm')) return 'tfjs-wasm';
  return 'cpu';
}
