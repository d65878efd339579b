/** Size limits and non-finite refusals in the library's words (issue 13, sections 4 and 5). */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/input-error.js';
import { Streams } from '../../src/core/streams.js';
import { buildInstance } from '../../src/law/instance.js';
import { checkModel } from '../../src/law/check-model.js';
import { informalLaw, parametersNeeded } from '../../src/law/informal.js';
import { MAX_PATH_STEP, requireReplayPath } from '../../src/search/search.js';
import { estimateInstanceMemory, formatBytes, MAX_VERIFY_COUNT, MEMORY_CAP_BYTES, memoryLimit, requireDataFits, requireInstanceFits } from '../../src/law/size-limits.js';
import { theorem3 } from '../../src/law/theorem3.js';
import { verdict } from '../../src/law/verdict.js';
import { verifyRun } from '../../src/sweep/verify-run.js';
import { mlpModel } from '../../src/models/mlp.js';
import { parseMlp } from '../../src/models/formats/robustlaw-mlp.js';
import { thrown } from '../support.js';


describe('memory limit', () => {
  it('is the 8 GiB cap or 80% of the free memory, whichever is smaller', () => {
    expect(memoryLimit(64 * 2 ** 30)).toEqual({ bytes: MEMORY_CAP_BYTES, why: 'the 8 GiB cap' });
    expect(memoryLimit(1e9)).toEqual({ bytes: 8e8, why: '80% of the free memory' });
    expect(memoryLimit().bytes).toBeGreaterThan(0);
    expect(memoryLimit().bytes).toBeLessThanOrEqual(MEMORY_CAP_BYTES);
  });

  it('formats bytes with GB', () => {
    expect(formatBytes(6.4e10)).toBe('6.40e+10 bytes (64 GB)');
    expect(formatBytes(1234)).toBe('1234 bytes (0.00000123 GB)');
    expect(formatBytes(4e19)).toBe('4.00e+19 bytes (4.00e+10 GB)');
  });
});

describe('estimateInstanceMemory', () => {
  it('counts data, the feature map and its Gram matrix, and the parameters in 8-byte floats', () => {
    // linear: p = d + 1; data 2 n d + 4 n; features n p + min(n, p)^2; parameters 4 p
    const lin = estimateInstanceMemory({ className: 'linear', n: 100, d: 10 });
    expect(lin.p).toBe(11);
    expect(lin.k).toBeNull();
    expect(lin.data).toBe(8 * (2 * 100 * 10 + 4 * 100));
    expect(lin.features).toBe(8 * (100 * 11 + 11 * 11));
    expect(lin.parameters).toBe(8 * 4 * 11);
    expect(lin.bytes).toBe(lin.data + lin.features + lin.parameters);
  });

  it('uses the registry width (given or default) and p = k for random features', () => {
    const rf = estimateInstanceMemory({ className: 'random-features', n: 50, d: 3 });
    expect(rf.k).toBe(200); // 4 n
    expect(rf.p).toBe(200);
    expect(rf.features).toBe(8 * (50 * 200 + 50 * 50));
    expect(estimateInstanceMemory({ className: 'random-features', n: 50, d: 3, modelOptions: { k: 7 } }).p).toBe(7);
  });

  it('takes the working set each class declares: n x n matrices for the Gaussian kernel, only the centres for bumps', () => {
    const g = estimateInstanceMemory({ className: 'gaussian-kernel', n: 1000, d: 5 });
    expect(g.features).toBe(8 * (3 * 1000 * 1000 + (1000 * 999) / 2));
    // bumps never hold an n x n matrix: Theorem 3's regime (n ~ 30,000) must fit
    const b = estimateInstanceMemory({ className: 'bumps', n: 30_000, d: 3 });
    expect(b.features).toBe(8 * 2 * 30_000 * 4);
    expect(b.bytes).toBeLessThan(1e8);
    // classes whose count needs the data law fall back to p = n (d + 1)
    const a = estimateInstanceMemory({ className: 'intrinsic-bumps', n: 100, d: 4 });
    expect(a.p).toBe(500);
    expect(a.features).toBe(8 * 3 * 100 * 5);
  });

  it('grows with n, d and k', () => {
    const base = estimateInstanceMemory({ className: 'two-layer', n: 100, d: 10, modelOptions: { k: 10 } }).bytes;
    for (const s of [{ n: 200, d: 10, k: 10 }, { n: 100, d: 20, k: 10 }, { n: 100, d: 10, k: 20 }]) {
      expect(estimateInstanceMemory({ className: 'two-layer', n: s.n, d: s.d, modelOptions: { k: s.k } }).bytes).toBeGreaterThan(base);
    }
  });
});

describe('requireInstanceFits / requireDataFits', () => {
  const limit = { bytes: 1e6, why: 'a test limit' };
  it('passes an instance under the limit and returns its estimate', () => {
    expect(requireInstanceFits('f', { className: 'linear', n: 10, d: 2 }, limit).bytes).toBeLessThan(1e6);
  });

  it.each([
    [{ className: 'random-features' as const, n: 10_000, d: 2 }, 'n', 10_000],
    [{ className: 'linear' as const, n: 10, d: 1_000_000 }, 'd', 1_000_000],
    [{ className: 'random-features' as const, n: 10, d: 2, modelOptions: { k: 1_000_000 } }, 'modelOptions.k', 1_000_000],
  ])('refuses %j naming %s, with the estimate and the limit', (input, parameter, value) => {
    const e = thrown(() => requireInstanceFits('buildInstance', input, limit));
    expect(e.parameter).toBe(parameter);
    expect(e.value).toBe(value);
    expect(e.message).toMatch(/^buildInstance: \S+ must be small enough for the instance to fit in memory \(.* needs about [\d.e+]+ bytes \(.* GB\), over the limit 1\.00e\+6 bytes \(0\.001 GB\), a test limit\)/);
  });

  it('buildInstance refuses before allocating', () => {
    expect(thrown(() => buildInstance({ dist: 'sphere', labels: 'signs', className: 'random-features', n: 1e9, d: 50, seed: 1 })).parameter).toBe('n');
  });

  it('requireDataFits names n, or d when d > n', () => {
    expect(requireDataFits('f', 10, 2, 5, limit)).toBe(8 * (40 + 40 + 20));
    expect(thrown(() => requireDataFits('f', 1e6, 2, 0, limit)).parameter).toBe('n');
    expect(thrown(() => requireDataFits('f', 2, 1e6, 0, limit)).parameter).toBe('d');
  });
});

describe('run sizes and replay paths', () => {
  it('verify draws at most MAX_VERIFY_COUNT instances', () => {
    const e = thrown(() => verifyRun({ profile: 'quick', seed: 1, count: 1e9 }));
    expect([e.parameter, e.rule]).toEqual(['count', `an integer in [1, ${MAX_VERIFY_COUNT}]`]);
  });

  it('a replay path is digits separated by colons, bounded in length and steps', () => {
    expect(requireReplayPath('f', '12:0:3')).toBe('12:0:3');
    expect(requireReplayPath('f', `${MAX_PATH_STEP}:0`)).toBe(`${MAX_PATH_STEP}:0`);
    for (const bad of ['99999999999999999999:0', '1:x', '', ':1', '1::2', `${'1:'.repeat(600)}1`, '-1']) expect(thrown(() => requireReplayPath('f', bad)).parameter).toBe('replayPath');
    expect(thrown(() => requireReplayPath('f', '1000001')).shown).toBe('a step of 1000001');
  });
});

describe('no verdict from a non-finite number', () => {
  const ok = { n: 100, d: 10, p: 10, eps: 0.5, sigma2: 1, lower: 1, upper: 2, c: 1, k: 1, W: 10, J: 10 };
  it.each([['eps', Number.NaN], ['lower', Number.POSITIVE_INFINITY], ['sigma2', Number.POSITIVE_INFINITY], ['W', Number.POSITIVE_INFINITY], ['J', Number.NaN], ['upper', Number.NaN]])('verdict with %s = %s is a bug: a plain Error', (key, value) => {
    let err: unknown;
    try {
      verdict({ ...ok, [key]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(new RegExp(`^verdict: ${key} is`));
  });

  it('verdict still takes an upper bound of Infinity or null (none)', () => {
    expect(verdict({ ...ok, upper: Number.POSITIVE_INFINITY }).law.verdict).toBeDefined();
    expect(verdict({ ...ok, upper: null }).law.verdict).toBeDefined();
  });

  it('theorem3 computes ln(60 W J / eps) in logs: W = J = 1e308 gives a finite bound > 0', () => {
    const r = theorem3({ n: 1e6, d: 100, p: 1000, eps: 0.5, W: 1e308, J: 1e308 });
    expect(r.applies).toBe(true);
    const logTerm = Math.log(60) + 2 * Math.log(1e308) - Math.log(0.5);
    expect(r.bound).toBeCloseTo((0.5 / 512) * Math.sqrt(1e8 / (1000 * logTerm + Math.log(400))), 14);
  });

  it('theorem3 refuses inputs whose bound underflows to 0, naming c (or eps)', () => {
    expect(thrown(() => theorem3({ n: 1e6, d: 100, p: 1000, eps: 1e-200, c: 1e308, W: 10, J: 10 })).parameter).toBe('c');
    expect(thrown(() => theorem3({ n: 1, d: 1, p: 1e15, eps: 5e-324, W: 10, J: 10 })).parameter).toBe('eps');
  });

  it('the law and its inverse refuse an eps (or lip) that overflows them', () => {
    expect(thrown(() => informalLaw(1e6, 1e6, 1, 1e308)).parameter).toBe('eps');
    expect(thrown(() => parametersNeeded(6e4, 15, 1e308, 1)).parameter).toBe('eps');
    expect(thrown(() => parametersNeeded(6e4, 15, 1, 1e-300)).parameter).toBe('lip');
    expect(parametersNeeded(6e4, 15, 1, 1)).toBe(9e5);
  });
});

describe('checkModel refuses up front what would overflow', () => {
  const net = parseMlp({ activation: 'relu', layers: [{ weights: [[3, 4]], biases: [0] }, { weights: [[1]], biases: [0] }] });
  const X = new Float64Array([0.1, 0.2, 0.3, 0.1, 0.2, 0.2]);
  const y = new Float64Array([1, -1, 1]);
  const rng = () => new Streams(1).stream('e');
  it('a given sigma^2 whose eps^2 n d overflows names sigma2', () => {
    const e = thrown(() => checkModel({ model: net, X, y, n: 3, sigma2: 1e308, rng: rng() }));
    expect(e.parameter).toBe('sigma2');
    expect(e.message).toMatch(/sigma2 must be small enough that the train MSE, eps = sigma\^2 - MSE and the law's eps\^2 n d are finite/);
  });

  it('labels too large name data.y (with the data as context)', () => {
    const e = thrown(() => checkModel({ model: net, X, y: new Float64Array([1e308, 0, 1]), n: 3, rng: rng(), source: { model: 'net.json', data: 'd.json' } }));
    expect([e.parameter, e.context]).toEqual(['data.y', 'd.json']);
  });

  it('outputs that overflow name the model', () => {
    const layers = Array.from({ length: 201 }, () => ({ weights: new Float64Array([100]), biases: new Float64Array([0]), inputs: 1, outputs: 1 }));
    const deep = mlpModel(layers, 'relu');
    const e = thrown(() => checkModel({ model: deep, X: new Float64Array([0.5]), y: new Float64Array([1]), n: 1, rng: rng(), source: { model: 'deep.json', data: 'd' } }));
    expect(e.parameter).toBe('model');
  });

  it('parseMlp refuses networks whose activations can pass 1e300, and accepts weights that compensate across layers', () => {
    const e = thrown(() => parseMlp({ layers: Array.from({ length: 201 }, () => ({ weights: [[100]], biases: [0] })) }, 'deep.json'));
    expect([e.parameter, e.shown]).toEqual(['mlp.layers[151].weights', 'a bound of 1e302 after 151 layers']);
    expect(thrown(() => parseMlp({ layers: [{ weights: [[1e308, 1e308]], biases: [0] }] })).shown).toBe('a bound of Infinity after 1 layer');
    // relu(x1) - relu(x2) written with 1e155 and 1e-155 (issue 13's scale repro): finite everywhere, accepted
    expect(parseMlp({ layers: [{ weights: [[1e155, 0], [0, 1e155]], biases: [0, 0] }, { weights: [[1e-155, -1e-155]], biases: [0] }] }).layers).toHaveLength(2);
    expect(parseMlp({ layers: Array.from({ length: 201 }, () => ({ weights: [[1]], biases: [0] })) }).layers).toHaveLength(201);
  });
});
