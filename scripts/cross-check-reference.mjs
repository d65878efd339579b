// The comparison both cross-checks run (scripts/cross-check-onnxruntime.mjs, scripts/cross-check-tfjs.mjs):
// each network file evaluated by a reference runtime (float32) and by the tool's forward pass (float64 on the
// same float32 weights) on 200 seeded float32-exact points; the largest difference relative to the outputs'
// scale must stay within float32 rounding, and a network with one first-layer bias moved by 1e-3 must not.
import { Rng } from '../src/core/rng.ts';
import { readNetworkFile } from '../src/models/formats/read-network.ts';
import { mlpNetwork } from '../src/models/mlp.ts';

/**
 * Runs the comparison over `files`; `reference(file, X, n, d)` returns the runtime's outputs (row-major n x m).
 * Exits 1 when a relative difference is beyond 1e-5.
 */
export async function crossCheck(files, name, reference) {
  let worstAll = 0;
  for (const file of files) {
    const net = readNetworkFile(file);
    const n = 200;
    const rng = new Rng(7);
    // inputs float32-exact, so both evaluate the same points
    const X = Float64Array.from({ length: n * net.d }, () => Math.fround(rng.normal()));
    const mine = net.forward(X, n);
    const theirs = await reference(file, X, n, net.d);
    let scale = 0;
    let worst = 0;
    for (let i = 0; i < mine.length; i++) {
      scale = Math.max(scale, Math.abs(mine[i]));
      worst = Math.max(worst, Math.abs(mine[i] - theirs[i]));
    }
    worstAll = Math.max(worstAll, worst / scale);
    // the comparison can fail: a network with one first-layer bias moved by 1e-3 differs beyond the tolerance
    const [L0, ...rest] = net.layers;
    const moved = mlpNetwork([{ ...L0, biases: L0.biases.map((b, r) => (r === 0 ? b + 1e-3 : b)) }, ...rest], net.activations).forward(X, n);
    const miss = moved.reduce((m, v, i) => Math.max(m, Math.abs(v - theirs[i])), 0) / scale;
    if (!(miss >= 1e-5)) throw new Error(`${file}: a moved bias went unnoticed (${miss})`);
    console.log(`${file}: ${net.description}; ${n} points x ${net.outputs} outputs; max |tool - ${name}| = ${worst.toExponential(2)}, relative to max |f| = ${(worst / scale).toExponential(2)}`);
  }
  if (!(worstAll < 1e-5)) {
    console.error(`FAIL: a relative difference of ${worstAll.toExponential(2)} is beyond float32 rounding`);
    process.exit(1);
  }
  console.log(`ok: the tool and ${name} agree to float32 rounding`);
}
