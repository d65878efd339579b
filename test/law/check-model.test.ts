import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Streams } from '../../src/core/streams.js';
import { parseDataFile } from '../../src/data/data-file.js';
import { checkModel } from '../../src/law/check-model.js';
import { buildInstance } from '../../src/law/instance.js';
import { InputError } from '../../src/core/input-error.js';
import { parseMlp } from '../../src/models/formats/robustlaw-mlp.js';
import { dataRadius } from '../../src/models/model.js';
import { runCli } from '../cli/helpers.js';

// model files the CLI must refuse, naming --model and the key inside the file
const dir = mkdtempSync(join(tmpdir(), 'robustlaw-check-model-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const broken = write('broken-net.json', JSON.stringify({ activation: 'relu', layers: [{ weights: [[3, 'x']], biases: [0] }, { weights: [[1]], biases: [0] }] }));
const shallow = write('shallow-net.json', JSON.stringify({ layers: [{ weights: [[1, 0], [0, 1]], biases: [0, 0] }] }));
const notJson = write('not-json.json', '{"layers": [');

// f(x) = relu(3 x1 + 4 x2): p = 1 (2 + 1) + 1 (1 + 1) = 5; Lip = ||(3, 4)|| = 5 on any ball (the
// gradient is (3, 4) wherever 3 x1 + 4 x2 > 0, 0 elsewhere). On X = +-e1, +-e2 it predicts 3, 4, 0, 0;
// with y = 2, 5, 1, -1 the residuals are 1, -1, -1, 1: MSE 1. sigma^2 = 2 gives eps = 1, the law
// eps sqrt(n d / p) = sqrt(8 / 5), R = 5 / sqrt(8 / 5), and eps^2 n d = 8 parameters for Lip 1.
const net = parseMlp({ activation: 'relu', layers: [{ weights: [[3, 4]], biases: [0] }, { weights: [[1]], biases: [0] }] });
const data = parseDataFile({ X: [[1, 0], [0, 1], [-1, 0], [0, -1]], y: [2, 5, 1, -1], sigma2: 2 });

describe('checkModel on a hand-made network', () => {
  const r = checkModel({ model: net, X: data.X, y: data.y, n: data.n, sigma2: data.sigma2, rng: new Streams(1).stream('estimator') });

  it('gives the numbers computed by hand', () => {
    expect(r.p).toBe(5);
    expect(r.trainMse).toBe(1);
    expect(r.eps).toBe(1);
    expect(r.lower).toBeCloseTo(5, 12);
    expect(r.upper).toBeCloseTo(5, 12);
    expect(r.law).toBeCloseTo(Math.sqrt(8 / 5), 12);
    expect(r.R).toBeCloseTo(5 / Math.sqrt(8 / 5), 10);
    expect(r.parametersForLip1).toBeCloseTo(8, 12);
    expect(r.parametersForObserved).toBeCloseTo(8 / 25, 12);
    expect(r.verdict.law.verdict).toBe('holds');
    expect(r.inLawRegime).toBe(false); // n eps^2 = 4 < 8: outside the tested regime, and it says so
  });

  it('speaks a practitioner\'s language', () => {
    const text = r.sentences.join(' ');
    expect(text).toContain('Your network has p = 5 parameters and fits n = 4 points in dimension d = 2 with train MSE 1.');
    expect(text).toContain('To be O(1)-Lipschitz at this fit, the law asks for about 8 parameters (eps^2 n d); you have 5');
    expect(text).toContain('certified to lie between 5 and 5');
    expect(text).toMatch(/Caveat: .*outside the regime/);
  });

  it('without sigma^2 the label variance stands in, and says so', () => {
    const v = checkModel({ model: net, X: data.X, y: data.y, n: 4, rng: new Streams(1).stream('estimator') });
    // y = 2, 5, 1, -1: mean 7/4, variance (0.0625 + 10.5625 + 0.5625 + 7.5625) / 4 = 4.6875
    expect(v.sigma2).toBeCloseTo(4.6875, 12);
    expect(v.sigma2Source).toBe('label variance');
    expect(v.eps).toBeCloseTo(3.6875, 12);
    expect(v.sentences.join(' ')).toMatch(/label variance 4\.688 stands in/);
  });

  it('a fit above the noise level: no claim, in words', () => {
    const v = checkModel({ model: net, X: data.X, y: data.y, n: 4, sigma2: 0.5, rng: new Streams(1).stream('estimator') });
    expect(v.eps).toBe(-0.5);
    expect(v.law).toBeNull();
    expect(v.verdict.law.verdict).toBe('not-applicable');
    expect(v.sentences.join(' ')).toMatch(/does not fit below the noise level .* the law makes no claim/);
  });

  it('a shape mismatch is refused before any work', () => {
    expect(() => checkModel({ model: net, X: new Float64Array(9), y: new Float64Array(3), n: 3, rng: new Streams(1).stream('e') })).toThrow(/checkModel: X must be n x d with d = 2, the model's number of inputs \(got 3 columns\)/);
  });
});

describe('robustlaw-data/1 files', () => {
  it.each([
    [{ y: [1] }, /d\.json: data\.X must be a non-empty array of rows \(got missing X\)/],
    [{ X: [[1, 2], [3]], y: [1, 2] }, /data\.X\[2\] must be a row of 2 numbers like row 1 \(got 1\)/],
    [{ X: [[1, 'a']], y: [1] }, /X\[1\]\[2\] must be a finite number of magnitude at most 1e\+100 \(got "a"\)/],
    [{ X: [[1, 2]], y: [1e308] }, /d\.json: data\.y\[1\] must be a finite number of magnitude at most 1e\+100 \(got 1e\+308\)/],
    [{ X: [[1, 2]], y: [1, 2] }, /y must be an array of n = 1 numbers \(got 2 values\)/],
    [{ X: [[1, 2]], y: [1], sigma2: -1 }, /sigma2 must be a number in \[0, 1e\+100\] \(got -1\)/],
    [{ format: 'csv', X: [[1]], y: [1] }, /format must be "robustlaw-data\/1"/],
  ])('%j is refused with a clear error', (json, msg) => {
    expect(() => parseDataFile(json, 'd.json')).toThrow(msg);
  });
});

describe('robustlaw check-model', () => {
  it('prints the hand-made numbers for examples/net.json on examples/data.json', async () => {
    const r = await runCli(['check-model', '--model', 'examples/net.json', '--data', 'examples/data.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    // examples/: f(x) = relu(0.6 x1 + 0.8 x2), p = 5, Lip = ||(0.6, 0.8)|| = 1; on +-e1, +-e2 it predicts
    // 0.6, 0.8, 0, 0 against labels 0.4, 1, 0.2, -0.2 (all in [-1, 1]): residuals +-0.2, MSE 0.04; with
    // sigma^2 = 0.54, eps = 0.5, the law 0.5 sqrt(8 / 5) = sqrt(2 / 5), and eps^2 n d = 2 parameters for Lip 1
    const j = JSON.parse(r.stdout) as { p: number; lower: number; upper: number; law: number; eps: number; trainMse: number };
    expect(j.p).toBe(5);
    expect(j.trainMse).toBeCloseTo(0.04, 12);
    expect(j.eps).toBeCloseTo(0.5, 12);
    expect(j.lower).toBeCloseTo(1, 12);
    expect(j.upper).toBeCloseTo(1, 12);
    expect(j.law).toBeCloseTo(Math.sqrt(2 / 5), 12);
    const text = await runCli(['check-model', '--model', 'examples/net.json', '--data', 'examples/data.json']);
    expect(text.stdout).toMatch(/the law asks for about 2 parameters/);
  });

  it('draws data from a built-in law with the model\'s d and the label model\'s sigma^2', async () => {
    const j = JSON.parse((await runCli(['check-model', '--model', 'examples/net.json', '--dist', 'sphere', '--labels', 'signs', '--n', '50', '--json'])).stdout) as { n: number; d: number; sigma2: number; sigma2Source: string };
    expect(j.n).toBe(50);
    expect(j.d).toBe(2);
    expect(j.sigma2).toBe(1);
    expect(j.sigma2Source).toBe('label model');
  });

  it.each([
    [['--model', 'examples/net.json'], /give exactly one of --data FILE or --dist NAME \(got neither\)/],
    [['--model', 'examples/net.json', '--data', 'examples/data.json', '--dist', 'sphere'], /\(got both\)/],
    [['--model', 'examples/data.json', '--dist', 'sphere'], /^robustlaw: --model examples\/data\.json \(key format\) must be "robustlaw-mlp\/1" \(got "robustlaw-data\/1"\)$/m],
    [['--model', broken, '--dist', 'sphere'], /^robustlaw: --model .*broken-net\.json \(key layers\[1\]\.weights\[1\]\[2\]\) must be a finite number \(got "x"\)$/m],
    // a network with 2 outputs is a classifier: its data file's labels must be classes 0 and 1
    [['--model', shallow, '--data', 'examples/data.json'], /^robustlaw: --data examples\/data\.json \(key y\[1\]\) must be a class index, an integer in \[0, 1\] \(the network has 2 outputs, so its labels are classes\) \(got 0\.4\)$/m],
    [['--model', notJson, '--dist', 'sphere'], /^robustlaw: --model must be a readable JSON file \(got .*not-json\.json is not valid JSON \(/m],
    [['--model', 'examples/net.json', '--data', 'test/fixtures/nonneg-mlp.json'], /--data test\/fixtures\/nonneg-mlp\.json \(key format\) must be "robustlaw-data\/1" \(got "robustlaw-mlp\/1"\)/],
    [['--model', 'test/fixtures/nonneg-mlp.json', '--data', 'examples/data.json'], /--data must be a data set with d = 3 columns, as .*nonneg-mlp\.json takes 3 inputs \(got examples\/data\.json, with 2 columns\)/],
  ])('bad input %j exits 2 with one line', async (args, msg) => {
    const r = await runCli(['check-model', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('checkModel states Theorem 3\'s J for the data\'s ball, not the unit ball', () => {
  it('data of norm 4: J is the network\'s J on the ball of radius max ||x_i|| (J = R (rho p)^D grows with R)', () => {
    const far = parseDataFile({ X: [[4, 0], [0, 4], [-4, 0], [0, -4]], y: [2, 5, 1, -1], sigma2: 2 });
    const r = checkModel({ model: net, X: far.X, y: far.y, n: far.n, sigma2: far.sigma2, rng: new Streams(1).stream('estimator') });
    expect(net.radius).toBe(1);
    const R0 = dataRadius(far.X, far.n, 2);
    expect(R0).toBeGreaterThan(4);
    expect(r.record.J).toBeCloseTo(R0 * net.J, 6);
    expect(net.withRadius!(R0).J).toBeCloseTo(R0 * net.J, 6);
  });
});

describe('checkModel on a model fitted to the same data', () => {
  it.each(['bumps', 'random-features', 'intrinsic-bumps'] as const)('%s on sphere data (radius 1 up to rounding): its stated ball contains the data, no restatement needed', (className) => {
    const inst = buildInstance({ dist: className === 'intrinsic-bumps' ? 'subspace' : 'sphere', labels: 'signs', className, n: 30, d: 6, seed: 3 });
    const r = checkModel({ model: inst.fit.model, X: inst.X, y: inst.y, n: 30, sigma2: 1, rng: new Streams(1).stream('estimator') });
    expect(r.record.J).toBe(inst.fit.model.J);
  });
  it('a model whose ball does not contain the data and that cannot restate it is refused as bad input', () => {
    const inst = buildInstance({ dist: 'sphere', labels: 'signs', className: 'bumps', n: 10, d: 3, seed: 1 });
    const X = inst.X.map((v) => 5 * v);
    expect(() => checkModel({ model: inst.fit.model, X, y: inst.y, n: 10, sigma2: 1, rng: new Streams(1).stream('estimator') })).toThrow(InputError);
  });
});
