import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npyBytes, parseNpy } from '../../src/data/npy.js';
import { parseCsvData, readDataFile, rescaleLabels } from '../../src/data/read-data.js';
import { classifierMargin, predictedPair } from '../../src/law/classifier-margin.js';
import { mlpNetwork } from '../../src/models/mlp.js';
import { runCli } from '../cli/helpers.js';
import { thrown } from '../support.js';

const dir = mkdtempSync(join(tmpdir(), 'robustlaw-data-'));
const write = (name: string, content: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** A .npy file with a hand-written header and data (any dtype). */
function npy(descr: string, shape: string, data: Uint8Array, fortran = false): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

describe('--data formats: JSON, CSV and .npy give the same data set', () => {
  it('examples/formats/regressor-data in the three formats: identical X and y', () => {
    const [csv, np, json] = ['csv', 'npy', 'json'].map((e) => readDataFile(`examples/formats/regressor-data.${e}`));
    for (const d of [np, json]) {
      expect([d.n, d.d]).toEqual([40, 3]);
      expect(Array.from(d.X)).toEqual(Array.from(csv.X));
      expect(Array.from(d.y)).toEqual(Array.from(csv.y));
    }
    expect(json.sigma2).toBe(0.01);
  });

  it('CSV: the header row is optional, blank lines and spaces are skipped, the label is the last column', () => {
    const a = parseCsvData('a,b,label\n1, 2 ,0.5\n\n-3,4e-1,-1\n');
    const b = parseCsvData('1,2,0.5\n-3,0.4,-1');
    expect(Array.from(a.X)).toEqual([1, 2, -3, 0.4]);
    expect(Array.from(a.y)).toEqual([0.5, -1]);
    expect(Array.from(b.X)).toEqual(Array.from(a.X));
  });

  it('.npy: float32, float64, int32, big-endian and Fortran-order arrays decode to the same matrix', () => {
    const M = [1, 2, 3, 4, 5, 6]; // 2 x 3, C order
    const f8 = npyBytes(Float64Array.from(M), [2, 3], 'f8');
    const f4 = npyBytes(Float64Array.from(M), [2, 3], 'f4');
    const i4 = npy('<i4', '(2, 3)', new Uint8Array(Int32Array.from(M).buffer));
    const be = new Uint8Array(48);
    M.forEach((v, i) => new DataView(be.buffer).setFloat64(8 * i, v, false));
    const big = npy('>f8', '(2, 3)', be);
    const fortran = npy('<f8', '(2, 3)', new Uint8Array(Float64Array.from([1, 4, 2, 5, 3, 6]).buffer), true);
    for (const b of [f8, f4, i4, big, fortran]) {
      const a = parseNpy(b);
      expect(a.shape).toEqual([2, 3]);
      expect(Array.from(a.values)).toEqual(M);
    }
  });

  it.each([
    ['a ragged CSV row', 'r.csv', '1,2,3\n4,5\n', /r\.csv: data\.X\[2\] must be a row of 3 numbers like row 1 \(got 2 cells on row 2\)/],
    ['a CSV cell that is not a number', 'n.csv', '1,2,3\n4,x,6\n', /n\.csv: data\.X\[2\]\[2\] must be a decimal number \(got "x" on row 2\)/],
    ['a label that is not a number', 'l.csv', '1,2,3\n4,5,NaN\n', /l\.csv: data\.y\[2\] must be a decimal number \(got "NaN" on row 2\)/],
    ['one CSV column', 'one.csv', '1\n2\n', /one\.csv: data\.X must be rows of d \+ 1 >= 2 columns/],
    ['a 1-D .npy array', 'v.npy', npyBytes(Float64Array.from([1, 2, 3]), [3]), /data must be a 2-D \.npy array of shape \(n, d \+ 1\).*\(got shape \(3\) of <f8\)/],
    ['a complex .npy array', 'c.npy', npy('<c8', '(1, 2)', new Uint8Array(16)), /data must be a \.npy array of numbers .* \(got dtype <c8\)/],
    ['a truncated .npy file', 't.npy', npyBytes(Float64Array.from([1, 2, 3, 4]), [2, 2]).subarray(0, 132), /data must be a \.npy file whose data is shape x itemsize = 32 bytes \(got 4 bytes of data\)/],
    ['a huge .npy value', 'h.npy', npyBytes(Float64Array.from([1, 1e200]), [1, 2]), /data\.y\[1\] must be a finite number of magnitude at most 1e\+100 \(got 1e\+200\)/],
  ])('%s is refused naming where', (_, name, content, msg) => {
    expect(thrown(() => readDataFile(write(name, content))).message).toMatch(msg);
  });

  it('labels are rescaled onto [-1, 1] only on request, sigma2 with them', () => {
    const d = { ...parseCsvData('0,0\n1,10\n2,5\n'), sigma2: 4 };
    const r = rescaleLabels(d);
    expect(Array.from(r.y)).toEqual([-1, 1, 0]);
    expect(r.sigma2).toBeCloseTo(4 * 0.2 ** 2, 15);
    expect(thrown(() => rescaleLabels(parseCsvData('0,3\n1,3\n'))).message).toMatch(/data\.y must be labels that are not all equal/);
  });

  it('check-model --data CSV: labels outside [-1, 1] are refused, --rescale-labels accepts them; a wrong column count names both', async () => {
    const csv = write('wide.csv', 'x1,x2,y\n1,0,4\n0,1,10\n-1,0,2\n0,-1,-2\n');
    const refused = await runCli(['check-model', '--model', 'examples/net.json', '--data', csv, '--rounds', '0']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^robustlaw: --data .*wide\.csv \(key y\[1\]\) must be a label in \[-1, 1\] \(the law is stated for labels in \[-1, 1\]\) \(got 4\)$/m);
    const ok = await runCli(['check-model', '--model', 'examples/net.json', '--data', csv, '--rescale-labels', '--rounds', '0', '--json']);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { n: number }).n).toBe(4);
    const cols = await runCli(['check-model', '--model', 'examples/net.json', '--data', 'examples/formats/regressor-data.npy']);
    expect(cols.stderr).toMatch(/^robustlaw: --data must be a data set with d = 2 columns, as examples\/net\.json takes 2 inputs \(got examples\/formats\/regressor-data\.npy, with 3 columns\)$/m);
  });
});

describe('a classifier against the law: the margin of two classes', () => {
  // f = (x1, x2, -x1 - x2): on these points class 0 wins most often, and class 1 is its runner-up
  const net = mlpNetwork([{ weights: Float64Array.from([1, 0, 0, 1, -1, -1]), biases: new Float64Array(3), inputs: 2, outputs: 3 }], []);
  const data = parseCsvData('3,1,0\n2,1,0\n1,3,1\n-2,-2,2\n4,0.5,1\n');

  it('the pair is the class predicted most often and its most frequent runner-up; the points of those classes get labels +1 and -1', () => {
    expect(predictedPair(net, data.X, data.n)).toEqual([0, 1]);
    const t = classifierMargin(net, data, { labels: 'classes' });
    expect(t.pair).toEqual([0, 1]);
    expect(Array.from(t.y)).toEqual([1, 1, -1, -1]);
    expect(Array.from(t.model.predict(t.X, t.n))).toEqual([2, 1, -2, 3.5]);
    expect(t.sentence).toMatch(/judges the margin f_0 - f_1 of the class it predicts most often \(0\) over its most frequent runner-up \(1\), on the 4 points of classes 0 and 1/);
    expect(classifierMargin(net, data, { labels: 'classes', pair: [2, 0] }).n).toBe(3);
  });

  it('labels that are not classes are refused naming the first', () => {
    expect(thrown(() => classifierMargin(net, parseCsvData('1,1,0\n2,2,0.5\n'), { labels: 'classes' }, 'd.csv')).message).toBe('d.csv: data.y[2] must be a class index, an integer in [0, 2] (the network has 3 outputs, so its labels are classes) (got 0.5)');
  });

  it('check-model --dist on a classifier judges the margin against the drawn labels; --json names the pair', async () => {
    const r = await runCli(['check-model', '--model', 'examples/formats/classifier.onnx', '--dist', 'sphere', '--n', '30', '--rounds', '0', '--margin', '2,0', '--json']);
    const j = JSON.parse(r.stdout) as { classifier: { outputs: number; margin: number[]; chosen: string }; n: number; sentences: string[] };
    expect(j.classifier).toEqual({ outputs: 3, margin: [2, 0], chosen: 'given' });
    expect(j.n).toBe(30);
    expect(j.sentences[0]).toMatch(/judges the margin f_2 - f_0 you chose, fitted to the labels in \[-1, 1\]/);
  });

  it('check-model on the trained 784-50-10 example says it judges a margin', async () => {
    const r = await runCli(['check-model', '--model', 'examples/mnist-mlp/model.json', '--data', 'examples/mnist-mlp/digits-200.npy', '--rounds', '0', '--starts', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Your network has 10 outputs \(a classifier\)\. The law is stated for one real output, so this check judges the margin f_\d - f_\d of the class it predicts most often/);
  });
});
