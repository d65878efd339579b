import { InputError } from '../core/input-error.js';
import { tfjsNodeSetupCommand } from '../core/package-root.js';
import type { ResidentKernels } from './resident.js';
import { createBackend } from './registry.js';

/**
 * Where the estimators' search may run (`--backend`, a sweep spec's `backend`): `cpu` is the f64
 * reference; the tfjs backends hold the model's weights and evaluate gradients in f32 (tfjs-tensorflow
 * is the native tfjs-node binding); `auto` takes the fastest one available here. gpu.js and the cpu
 * worker pool have no resident gradient kernels: they are benchmarked, not used by the search.
 */
export const SEARCH_BACKENDS = ['auto', 'cpu', 'tfjs-tensorflow', 'tfjs-wasm'] as const;
/** A search backend name. */
export type SearchBackendName = (typeof SEARCH_BACKENDS)[number];

/**
 * `auto` keeps a model on the f64 cpu path below these many weights (d k), per backend and kernel: there a
 * gradient call is a few microseconds of arithmetic and the accelerated backend's tensor round trip
 * costs more. Measured with `npm run bench:peer` and the built-in sweep (docs/performance.md, "Search
 * backends"): tfjs-node pays off for the two-layer form from about 10,000 weights, and for NTK features
 * at every size (their cpu gradient has a plain-JS inner loop: the peer grid's NTK rows, 800 to 20,000
 * weights, searched in 0.16 s on tfjs-node against 0.24 s with a 10,000-weight threshold and 0.5 s on
 * the cpu, 2026-11-27); tfjs-wasm for the two-layer form only from about 100,000 (at d = 25 it lost to
 * the f64 wasm kernel even at 62,500), for NTK features from a few thousand.
 */
export const AUTO_MIN_WEIGHTS: Readonly<Record<'tfjs-tensorflow' | 'tfjs-wasm', { readonly twoLayer: number; readonly ntk: number }>> = {
  'tfjs-tensorflow': { twoLayer: 8_000, ntk: 0 },
  'tfjs-wasm': { twoLayer: 100_000, ntk: 3_000 },
};

/** The backend a run's search uses, what it is, and why `auto` settled on it. */
export interface SearchBackend {
  /** The registry name that runs (`cpu`, `tfjs-tensorflow`, `tfjs-wasm`). */
  readonly name: 'cpu' | 'tfjs-tensorflow' | 'tfjs-wasm';
  /** What was asked for. */
  readonly requested: SearchBackendName;
  /** What actually runs, as the library reports it (tf.getBackend()), or `f64` for cpu. */
  readonly mode: string;
  /** Precision of the search's gradients (certificates are always f64). */
  readonly precision: 'f64' | 'f32';
  /** The kernels the estimators use (undefined for cpu: the f64 reference). */
  readonly kernels: ResidentKernels | undefined;
  /** One line for the user where `auto` could not use the native binding (null otherwise). */
  readonly note: string | null;
}

const CPU = (requested: SearchBackendName, note: string | null): SearchBackend => ({ name: 'cpu', requested, mode: 'f64', precision: 'f64', kernels: undefined, note });

/** Small models stay on the cpu (see AUTO_MIN_WEIGHTS); larger ones use the backend's kernels. */
function bySize(k: ResidentKernels, min: (typeof AUTO_MIN_WEIGHTS)[keyof typeof AUTO_MIN_WEIGHTS]): ResidentKernels {
  return {
    residentTwoLayer: (W, b, a, width, d, act) => (width * d < min.twoLayer ? null : (k.residentTwoLayer?.(W, b, a, width, d, act) ?? null)),
    residentNtk: (W, T, width, d, act, scale) => (width * d < min.ntk ? null : (k.residentNtk?.(W, T, width, d, act, scale) ?? null)),
  };
}

/**
 * Opens the search backend `name`. An explicit backend that cannot run here is an input error naming
 * `backend` and the reason; `auto` tries the native binding, then tfjs-wasm, then the cpu, and says in
 * `note` why it did not get the native binding.
 */
export async function openSearchBackend(name: SearchBackendName): Promise<SearchBackend> {
  if (!(SEARCH_BACKENDS as readonly string[]).includes(name)) throw new InputError('backend', `one of ${SEARCH_BACKENDS.join(', ')}`, name);
  if (name === 'cpu') return CPU(name, null);
  if (name !== 'auto') {
    try {
      const b = await createBackend(name);
      return { name, requested: name, mode: b.mode, precision: 'f32', kernels: b, note: null };
    } catch (e) {
      throw new InputError('backend', 'a backend that runs here', name, { shown: `${name}: ${(e as Error).message}` });
    }
  }
  let why: string;
  try {
    const b = await createBackend('tfjs-tensorflow');
    return { name: 'tfjs-tensorflow', requested: 'auto', mode: b.mode, precision: 'f32', kernels: bySize(b, AUTO_MIN_WEIGHTS['tfjs-tensorflow']), note: null };
  } catch (e) {
    why = (e as Error).message;
  }
  try {
    const b = await createBackend('tfjs-wasm');
    return { name: 'tfjs-wasm', requested: 'auto', mode: b.mode, precision: 'f32', kernels: bySize(b, AUTO_MIN_WEIGHTS['tfjs-wasm']), note: `auto: the native TensorFlow binding is not available (${why}); searching on tfjs-wasm (${tfjsNodeSetupCommand()} builds it)` };
  } catch (e) {
    return CPU('auto', `auto: neither tfjs-node (${why}) nor tfjs-wasm (${(e as Error).message}) runs here; searching in f64 on the cpu`);
  }
}
