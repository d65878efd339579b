/**
 * The f64 kernel's threads: one call of the WebAssembly SIMD kernel split into tiles of C that the main
 * thread and worker threads claim from a shared counter, on one shared heap.
 *
 * The calling code stays synchronous: the main thread publishes a call in a control block of shared
 * memory, computes tiles itself, and waits (Atomics.wait) until every claimed tile is done. A worker that is
 * not running yet (they start on the first large call) simply claims nothing, so a call never waits for a
 * thread to start. Every entry of C is computed by the same kernel code on the same operands in the same
 * order whichever thread computes its tile, so results are bit-identical for any number of threads
 * (tested). `ROBUSTLAW_F64_THREADS=1` keeps everything on the main thread; the default is one thread per
 * core (at most 8).
 *
 * Control block (Int32Array): GEN (generation, -1 while the main thread writes a call), ACTIVE (workers
 * inside a generation), NEXT (next tile to claim), DONE (tiles finished), TILES, then the call's
 * arguments: A, B, C (byte offsets), m2, w (inner dimension), k (row stride of C), k4 (columns), ROWS and
 * COLS (tile size), JT (column tiles per row of tiles), UPPER (1: skip tiles strictly below the diagonal,
 * for a symmetric product whose lower triangle the caller mirrors). A worker joins a generation by incrementing ACTIVE
 * and re-reading GEN (backing off if it changed); the main thread closes the previous generation (GEN =
 * -1) and waits for ACTIVE = 0 before writing new arguments, so no worker ever reads a half-written call.
 * @module
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const [GEN, ACTIVE, NEXT, DONE, TILES, A, B, C, M2, W, K, K4, ROWS, COLS, JT, UPPER] = Array.from({ length: 16 }, (_, i) => i);

/** Multiply-adds below which a call stays on the calling thread (about 1 ms of work: waking a thread costs tens of microseconds). */
export const THREADED_MIN_WORK = 2 ** 22;

/** Columns of C per tile: the rows of B a tile multiplies stay in cache while the tile's rows of A pass over them. */
const TILE_COLS = 64;

/** The kernel as a thread runs it: the exported function of an instance on the shared heap. */
type AbtFunction = (A: number, B: number, C: number, m2: number, d: number, k: number, k4: number) => void;

interface Pool {
  readonly ctrl: Int32Array;
  readonly workers: readonly Worker[];
  gen: number;
}

let pool: Pool | null | undefined;

/** Counters of the threaded calls since the process started (for tests and diagnostics). */
export interface F64ThreadStats {
  /** Calls split into tiles. */
  readonly calls: number;
  readonly tiles: number;
  /** Tiles computed by worker threads (the rest by the calling thread). */
  readonly workerTiles: number;
  /** Why a worker thread stopped, if one did (the calling thread then computes every tile: same results). */
  readonly workerError: string | null;
}

const stats: { calls: number; tiles: number; workerTiles: number; workerError: string | null } = { calls: 0, tiles: 0, workerTiles: 0, workerError: null };

/** How many calls and tiles ran threaded, and how many tiles the workers computed. */
export function f64ThreadStats(): F64ThreadStats {
  return { ...stats };
}

/** Threads (the calling one included) the kernel uses: ROBUSTLAW_F64_THREADS when set (1 to 64), else the cores, at most 8. */
export function f64Threads(): number {
  const env = process.env.ROBUSTLAW_F64_THREADS;
  if (env !== undefined && env !== '') {
    const t = Number(env);
    if (Number.isInteger(t) && t >= 1 && t <= 64) return t;
    // an environment variable is not library input: a bad value is a configuration bug, named as such
    throw new Error(`ROBUSTLAW_F64_THREADS must be an integer in [1, 64], got ${JSON.stringify(env)}`);
  }
  return Math.min(8, Math.max(1, availableParallelism()));
}

/** Starts the worker threads on first use (null when there is only one thread, or workers cannot start here). */
function openPool(module: object, memory: object): Pool | null {
  if (pool !== undefined) return pool;
  const threads = f64Threads();
  if (threads <= 1) return (pool = null);
  try {
    const ctrl = new Int32Array(new SharedArrayBuffer(16 * 4));
    const workers = Array.from({ length: threads - 1 }, () => {
      const w = new Worker(new URL('./abt-worker.mjs', import.meta.url), { workerData: { module, memory, control: ctrl.buffer } });
      // a worker that fails to start (or dies) never claims a tile again; the failure is kept for `robustlaw backends`
      w.on('error', (e: Error) => {
        stats.workerError ??= e.message;
      });
      w.unref();
      return w;
    });
    pool = { ctrl, workers, gen: 0 };
  } catch {
    pool = null; // no worker threads here: the calling thread computes every tile
  }
  return pool;
}

/**
 * Computes C[i k + j] = sum_t A[i w + t] B[j w + t] for i < m2, j < k4 (byte offsets a, b, c into the shared
 * heap) with `abt`, the main thread's instance of the kernel, split into tiles over the threads when the
 * call has at least {@link THREADED_MIN_WORK} multiply-adds. Same bits as one call of `abt`. With `upper`
 * (a symmetric product, a = b), tiles whose columns all lie left of their first row are skipped: every entry
 * with j >= i is computed, those below the diagonal are left as they were.
 */
export function threadedAbt(abt: AbtFunction, module: object, memory: object, a: number, b: number, c: number, m2: number, w: number, k: number, k4: number, upper = false): void {
  const work = (upper ? 0.5 : 1) * m2 * k4 * w;
  const p = work >= THREADED_MIN_WORK ? openPool(module, memory) : null;
  const jt = Math.ceil(k4 / TILE_COLS);
  if (p === null) {
    if (!upper) {
      for (let j0 = 0; j0 < k4; j0 += TILE_COLS) abt(a, b + j0 * w * 8, c + j0 * 8, m2, w, k, Math.min(TILE_COLS, k4 - j0));
      return;
    }
    // rows in blocks of TILE_COLS, so that the blocks left of the diagonal can be skipped
    for (let i0 = 0; i0 < m2; i0 += TILE_COLS) {
      for (let j0 = 0; j0 < k4; j0 += TILE_COLS) {
        if (j0 + TILE_COLS <= i0) continue;
        abt(a + i0 * w * 8, b + j0 * w * 8, c + (i0 * k + j0) * 8, Math.min(TILE_COLS, m2 - i0), w, k, Math.min(TILE_COLS, k4 - j0));
      }
    }
    return;
  }
  // enough tiles for about 4 per thread: split the rows too when there are few column tiles (even row counts)
  const want = 4 * (p.workers.length + 1);
  const rowTiles = Math.min(m2 / 2, Math.max(1, Math.ceil(want / jt)));
  // a symmetric product: square tiles, so that those left of the diagonal can be skipped
  const rows = upper ? Math.min(m2, TILE_COLS) : 2 * Math.ceil(m2 / 2 / rowTiles);
  const tiles = Math.ceil(m2 / rows) * jt;
  const ctrl = p.ctrl;
  // close the previous generation and wait until no worker is inside it
  Atomics.store(ctrl, GEN, -1);
  for (let act = Atomics.load(ctrl, ACTIVE); act !== 0; act = Atomics.load(ctrl, ACTIVE)) Atomics.wait(ctrl, ACTIVE, act, 50);
  ctrl[TILES] = tiles;
  ctrl[A] = a;
  ctrl[B] = b;
  ctrl[C] = c;
  ctrl[M2] = m2;
  ctrl[W] = w;
  ctrl[K] = k;
  ctrl[K4] = k4;
  ctrl[ROWS] = rows;
  ctrl[COLS] = TILE_COLS;
  ctrl[JT] = jt;
  ctrl[UPPER] = upper ? 1 : 0;
  Atomics.store(ctrl, NEXT, 0);
  Atomics.store(ctrl, DONE, 0);
  p.gen = p.gen >= 2 ** 30 ? 1 : p.gen + 1;
  Atomics.store(ctrl, GEN, p.gen);
  Atomics.notify(ctrl, GEN);
  let mine = 0;
  for (let t = Atomics.add(ctrl, NEXT, 1); t < tiles; t = Atomics.add(ctrl, NEXT, 1)) {
    const i0 = Math.floor(t / jt) * rows;
    const j0 = (t % jt) * TILE_COLS;
    if (!(upper && j0 + TILE_COLS <= i0)) abt(a + i0 * w * 8, b + j0 * w * 8, c + (i0 * k + j0) * 8, Math.min(rows, m2 - i0), w, k, Math.min(TILE_COLS, k4 - j0));
    Atomics.add(ctrl, DONE, 1);
    mine++;
  }
  stats.calls++;
  stats.tiles += tiles;
  stats.workerTiles += tiles - mine;
  // tiles claimed by workers: wait for them (a worker that died mid-tile would leave this waiting: fail loudly)
  const t0 = Date.now();
  for (let done = Atomics.load(ctrl, DONE); done < tiles; done = Atomics.load(ctrl, DONE)) {
    Atomics.wait(ctrl, DONE, done, 1000);
    if (Date.now() - t0 > 600_000) throw new Error(`f64 kernel: worker threads left ${tiles - Atomics.load(ctrl, DONE)} of ${tiles} tiles unfinished for 10 minutes`);
  }
}
