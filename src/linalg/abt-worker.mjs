// Worker-thread entry of the f64 kernel's threads (plain JS, no imports from the project): it instantiates
// the WebAssembly SIMD kernel on the main thread's shared heap and computes tiles of C = A B^T that it
// claims from the control block, until the process exits. Protocol and layout: src/linalg/abt-threads.ts.
import { workerData } from 'node:worker_threads';

const { module, memory, control } = workerData;
const ctrl = new Int32Array(control);
const { abt } = new globalThis.WebAssembly.Instance(module, { env: { memory } }).exports;
const [GEN, ACTIVE, NEXT, DONE, TILES, A, B, C, M2, W, K, K4, ROWS, COLS, JT, UPPER] = Array.from({ length: 16 }, (_, i) => i);

let seen = 0;
for (;;) {
  const g = Atomics.load(ctrl, GEN);
  if (g === seen || g === -1) {
    Atomics.wait(ctrl, GEN, g);
    continue;
  }
  Atomics.add(ctrl, ACTIVE, 1);
  if (Atomics.load(ctrl, GEN) !== g) {
    // the main thread closed this generation while we joined: step back and wait for the next one
    Atomics.sub(ctrl, ACTIVE, 1);
    Atomics.notify(ctrl, ACTIVE);
    continue;
  }
  seen = g;
  const tiles = ctrl[TILES], a = ctrl[A], b = ctrl[B], c = ctrl[C], m2 = ctrl[M2], w = ctrl[W], k = ctrl[K], k4 = ctrl[K4], rows = ctrl[ROWS], cols = ctrl[COLS], jt = ctrl[JT], upper = ctrl[UPPER] === 1;
  for (let t = Atomics.add(ctrl, NEXT, 1); t < tiles; t = Atomics.add(ctrl, NEXT, 1)) {
    const i0 = Math.floor(t / jt) * rows;
    const j0 = (t % jt) * cols;
    if (!(upper && j0 + cols <= i0)) abt(a + i0 * w * 8, b + j0 * w * 8, c + (i0 * k + j0) * 8, Math.min(rows, m2 - i0), w, k, Math.min(cols, k4 - j0));
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
  }
  Atomics.sub(ctrl, ACTIVE, 1);
  Atomics.notify(ctrl, ACTIVE);
}
