/**
 * examples/digits-cnn/tfjs: the PyTorch CNN's architecture as a functional TF.js model saved by TF.js
 * (scripts/make-digits-cnn-tfjs.mjs), read as dense layers: TF.js's own logits
 * (test/fixtures/digits-cnn-tfjs-reference.json) and the 3x between the certified bounds. A file of its
 * own: after the random conv graphs of convolution.test.ts in one process the same run took 5x longer.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNetworkFile } from '../../src/models/formats/read-network.js';
import { runCli } from '../cli/helpers.js';

describe('the TF.js digits CNN', () => {
  it("examples/digits-cnn/tfjs (the PyTorch CNN's architecture, saved by TF.js) computes TF.js's logits, and its bounds are within 3x", async () => {
    const ref = JSON.parse(readFileSync('test/fixtures/digits-cnn-tfjs-reference.json', 'utf8')) as { inputs: number[][]; logits: number[][] };
    const net = readNetworkFile('examples/digits-cnn/tfjs/model.json');
    expect([net.d, net.p, net.outputTransform]).toEqual([64, 40 + 296 + 330, 'softmax']);
    const out = net.forward(Float64Array.from(ref.inputs.flat()), ref.inputs.length);
    ref.logits.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(out[i * 10 + j] - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v)))));
    const r = await runCli(['lip', '--model', 'examples/digits-cnn/tfjs/model.json', '--json', '--rounds', '1', '--starts', '4', '--steps', '30', '--backend', 'cpu']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { lower: number; upper: number };
    // measured 2.32 (52.03 against 22.47)
    expect(j.upper / j.lower).toBeLessThanOrEqual(3);
    expect(j.upper).toBeGreaterThanOrEqual(j.lower);
  });
});
