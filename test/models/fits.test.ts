import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Streams } from '../../src/core/streams.js';
import { fitLinear } from '../../src/models/linear.js';
import { parseMlp } from '../../src/models/formats/robustlaw-mlp.js';
import { monomials, polynomialParameterCount } from '../../src/models/polynomial.js';
import { bumpsModel, fitBumps, minPairwiseDistance, type BumpsModel } from '../../src/models/bumps.js';
import { fitAtomBumps } from '../../src/models/atom-bumps.js';
import { fitIntrinsicBumps } from '../../src/models/intrinsic-bumps.js';
import { InputError } from '../../src/core/input-error.js';
import { norm2 } from '../../src/linalg/gram.js';
import { small } from './helpers.js';
import { buildInstance } from '../../src/law/instance.js';
import { ball, contains } from '../../src/lipschitz/domain.js';

/** The InputError that `f` throws (fails the test if it throws anything else, or nothing). */
function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

const ctx = (seed = 1) => {
  const s = new Streams(seed);
  return { init: s.stream('init'), solver: s.stream('solver'), sigma2: 1 };
};

describe('parameter counts equal the formulas', () => {
  test.prop([fc.integer({ min: 2, max: 8 }), fc.integer({ min: 4, max: 12 }), fc.integer({ min: 1, max: 30 }), fc.nat()], { numRuns: 15 })(
    'linear d+1, random-features k, ntk-features d k, two-layer k(d+2)+1, bumps and gaussian-kernel n(d+1)',
    (d, n, k, seed) => {
      const base = { n, d, seed };
      expect(small({ ...base, className: 'linear' }).fit.model.p).toBe(d + 1);
      expect(small({ ...base, className: 'random-features', modelOptions: { k } }).fit.model.p).toBe(k);
      expect(small({ ...base, className: 'ntk-features', modelOptions: { k } }).fit.model.p).toBe(d * k);
      expect(small({ ...base, className: 'two-layer', modelOptions: { k, maxIter: 1 } }).fit.model.p).toBe(k * (d + 2) + 1);
      expect(small({ ...base, className: 'bumps' }).fit.model.p).toBe(n * (d + 1));
      expect(small({ ...base, className: 'gaussian-kernel' }).fit.model.p).toBe(n * (d + 1));
    },
  );

  test.prop([fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 })])('polynomial C(d+q, q) = number of monomials of degree <= q', (d, q) => {
    const byFormula = polynomialParameterCount(d, q);
    expect(monomials(d, q).length).toBe(byFormula);
    // C(d+q, q) by the factorial definition
    const fact = (m: number): number => (m <= 1 ? 1 : m * fact(m - 1));
    expect(byFormula).toBe(Math.round(fact(d + q) / (fact(d) * fact(q))));
  });

  it('mlp p = sum out (in + 1)', () => {
    const net = parseMlp({ layers: [{ weights: [[1, 2, 3], [4, 5, 6]], biases: [0, 0] }, { weights: [[1, 1]], biases: [0] }] });
    expect(net.p).toBe(2 * 4 + 1 * 3);
  });
});

describe('interpolation', () => {
  it.each([
    ['random-features relu k = 4n', { className: 'random-features', modelOptions: { k: 160 } }],
    ['random-features cos k = 4n', { className: 'random-features', modelOptions: { k: 160, activation: 'cos' } }],
    ['ntk-features square', { className: 'ntk-features', modelOptions: { k: 40 } }],
    ['ntk-features tanh', { className: 'ntk-features', modelOptions: { k: 40, activation: 'tanh' } }],
    ['gaussian-kernel', { className: 'gaussian-kernel' }],
    ['polynomial q = 2', { className: 'polynomial', modelOptions: { degree: 2 } }],
    ['linear with n < d', { className: 'linear', d: 60 }],
    ['bumps', { className: 'bumps' }],
  ] as const)('%s: train residual <= 1e-8 relative', (_name, spec) => {
    const inst = small({ n: 40, d: 10, ...spec });
    expect(inst.fit.model.p).toBeGreaterThanOrEqual(40);
    expect(inst.fit.relResidual).toBeLessThanOrEqual(1e-8);
    expect(inst.fit.interpolates).toBe(true);
    expect(inst.fit.eps).toBeCloseTo(1, 12);
    expect(Number.isFinite(inst.fit.condition)).toBe(true);
  });

  it('an ill-posed fit (k < n asked to interpolate) is reported, not hidden', () => {
    const inst = small({ n: 40, d: 10, className: 'random-features', modelOptions: { k: 10 } });
    expect(inst.fit.interpolates).toBe(false);
    expect(inst.fit.warnings.join()).toMatch(/k = 10 < n = 40: cannot interpolate/);
  });

  test.prop([fc.nat(), fc.constantFrom('hat', 'c1' as const)], { numRuns: 10 })('bumps interpolate exactly, and |grad| = |y| sup|g\'| / r inside each support', (seed, profile) => {
    const inst = small({ n: 30, d: 6, seed, className: 'bumps', modelOptions: { profile } });
    const m = inst.fit.model as BumpsModel;
    expect(inst.fit.trainMse).toBe(0);
    expect(m.disjoint).toBe(true);
    // at distance s r from centre i (s = 1/2 for hat, 1/sqrt(3) for c1) the gradient norm is sup|g'| / r
    const s = profile === 'hat' ? 0.5 : 1 / Math.sqrt(3);
    const sup = profile === 'hat' ? 1 : 8 / (3 * Math.sqrt(3));
    const d = 6;
    const x = new Float64Array(d);
    x.set(inst.X.subarray(0, d));
    x[0] += s * m.r;
    expect(norm2(m.gradient(x, 1))).toBeCloseTo(sup / m.r, 9);
  });
});

describe('min-norm linear least squares', () => {
  it('matches the closed form on X = [e_1; ...; e_n] (n < d): w_i = y_i - sum(y)/(n+1), b = sum(y)/(n+1)', () => {
    const n = 3;
    const d = 5;
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) X[i * d + i] = 1;
    const y = new Float64Array([0.5, -1, 0.25]);
    const fit = fitLinear(X, n, d, y, {}, ctx());
    const sum = 0.5 - 1 + 0.25;
    const w = (fit.model as unknown as { weights: Float64Array }).weights;
    const b = (fit.model as unknown as { bias: number }).bias;
    for (let i = 0; i < n; i++) expect(w[i]).toBeCloseTo(y[i] - sum / (n + 1), 13);
    for (let i = n; i < d; i++) expect(Math.abs(w[i])).toBeLessThan(1e-14);
    expect(b).toBeCloseTo(sum / (n + 1), 13);
  });

  test.prop([fc.integer({ min: 2, max: 6 }), fc.integer({ min: 8, max: 15 }), fc.nat()])(
    'interpolates and is orthogonal to the null space of [X 1] (minimum norm)',
    (n, d, seed) => {
      const s = new Streams(seed);
      const X = s.stream('data').fillNormal(new Float64Array(n * d));
      const y = s.stream('noise').fillNormal(new Float64Array(n));
      const fit = fitLinear(X, n, d, y, {}, ctx(seed));
      expect(fit.relResidual).toBeLessThan(1e-9);
      const w = (fit.model as unknown as { weights: Float64Array }).weights;
      const b = (fit.model as unknown as { bias: number }).bias;
      // Perturb theta along a null-space direction: the norm must grow (theta is the min-norm solution).
      const v = s.stream('init').fillNormal(new Float64Array(d + 1));
      // project v onto null([X 1]) by Gram-Schmidt against the rows
      const rows: Float64Array[] = [];
      for (let i = 0; i < n; i++) {
        const r = new Float64Array(d + 1);
        r.set(X.subarray(i * d, i * d + d));
        r[d] = 1;
        for (const q of rows) {
          const c = r.reduce((acc, val, t) => acc + val * q[t], 0);
          for (let t = 0; t <= d; t++) r[t] -= c * q[t];
        }
        const nr = norm2(r);
        for (let t = 0; t <= d; t++) r[t] /= nr;
        rows.push(r);
      }
      for (const q of rows) {
        const c = v.reduce((acc, val, t) => acc + val * q[t], 0);
        for (let t = 0; t <= d; t++) v[t] -= c * q[t];
      }
      const theta = new Float64Array(d + 1);
      theta.set(w);
      theta[d] = b;
      const dot = theta.reduce((acc, val, t) => acc + val * v[t], 0);
      expect(Math.abs(dot) / (norm2(theta) * norm2(v))).toBeLessThan(1e-9);
    },
  );
});

describe('two-layer training', () => {
  it('is bit-reproducible from the seed (and another seed differs)', () => {
    const spec = { className: 'two-layer' as const, n: 30, d: 6, modelOptions: { maxIter: 300, penalty: 0.001 } };
    const a = small({ ...spec, seed: 4 }).fit.model as unknown as { net: { W: Float64Array; a: Float64Array } };
    const b = small({ ...spec, seed: 4 }).fit.model as unknown as { net: { W: Float64Array; a: Float64Array } };
    const c = small({ ...spec, seed: 5 }).fit.model as unknown as { net: { W: Float64Array; a: Float64Array } };
    expect(Buffer.from(a.net.W.buffer).equals(Buffer.from(b.net.W.buffer))).toBe(true);
    expect(Buffer.from(a.net.a.buffer).equals(Buffer.from(b.net.a.buffer))).toBe(true);
    expect(Buffer.from(a.net.W.buffer).equals(Buffer.from(c.net.W.buffer))).toBe(false);
  });

  it('reaches the target train MSE and reports the iterations; an exhausted budget is a warning', () => {
    const ok = small({ className: 'two-layer', n: 40, d: 10, modelOptions: { targetMse: 1e-3 } }).fit;
    expect(ok.trainMse).toBeLessThanOrEqual(1e-3);
    expect(ok.warnings).toEqual([]);
    const short = small({ className: 'two-layer', n: 40, d: 10, modelOptions: { maxIter: 3 } }).fit;
    expect(short.warnings.join()).toMatch(/iteration budget 3 exhausted/);
  });
});

describe('mlp loader: malformed files name the layer', () => {
  const good = { activation: 'relu', layers: [{ weights: [[1, 2], [3, 4]], biases: [0, 1] }, { weights: [[1, -1]], biases: [0] }] };
  it.each([
    [{ ...good, layers: [] }, 'mlp.layers', /mlp\.layers must be a non-empty array \(got array\(0\)\)/],
    [{ activation: 'relu' }, 'mlp.layers', /mlp\.layers must be a non-empty array \(got missing layers\)/],
    [{ ...good, activation: 'sigmoid' }, 'mlp.activation', /mlp\.activation must be one of relu, tanh \(got "sigmoid"\)/],
    [{ ...good, format: 'robustlaw-mlp/2' }, 'mlp.format', /mlp\.format must be "robustlaw-mlp\/1" \(got "robustlaw-mlp\/2"\)/],
    [{ layers: [{ weights: [[1, 2], [3, 4]], biases: [0, 1] }, { weights: [[1, -1, 2]], biases: [0] }] }, 'mlp.layers[2].weights', /mlp\.layers\[2\]\.weights must be rows of 2 numbers \(the previous layer's output size\) \(got 3 columns\)/],
    [{ layers: [{ weights: [[1, 2], [3]], biases: [0, 1] }, { weights: [[1, -1]], biases: [0] }] }, 'mlp.layers[1].weights[2]', /mlp\.layers\[1\]\.weights\[2\] must be a row of 2 numbers like row 1 \(got 1 numbers\)/],
    [{ layers: [{ weights: [[1, Number.NaN], [3, 4]], biases: [0, 1] }, { weights: [[1, -1]], biases: [0] }] }, 'mlp.layers[1].weights[1][2]', /mlp\.layers\[1\]\.weights\[1\]\[2\] must be a finite number \(got NaN\)/],
    [{ layers: [{ weights: [[1, 2], [3, 4]], biases: [0, 1] }, { weights: [[1, 'x']], biases: [0] }] }, 'mlp.layers[2].weights[1][2]', /must be a finite number \(got "x"\)/],
    [{ layers: [{ weights: [[1, 2], [3, 4]], biases: [0] }, { weights: [[1, -1]], biases: [0] }] }, 'mlp.layers[1].biases', /mlp\.layers\[1\]\.biases must be 2 numbers \(one per weights row\) \(got 1 numbers\)/],
    [{ layers: [{ weights: [[1, 2], [3, 4]] }, { weights: [[1, -1]], biases: [0] }] }, 'mlp.layers[1].biases', /mlp\.layers\[1\]\.biases must be an array of 2 numbers \(got missing biases\)/],
    [{ layers: [{ weights: [[1, 2], [3, 4]], biases: [0, Infinity] }, { weights: [[1, -1]], biases: [0] }] }, 'mlp.layers[1].biases[2]', /must be a finite number \(got Infinity\)/],
    [{ layers: [{ weights: [[1, 2], [3, 4]], biases: [0, 1] }] }, 'mlp.layers[1]', /mlp\.layers\[1\] must be a last layer with 1 output row \(got 2 rows\)/],
    [{ layers: [{ biases: [0] }] }, 'mlp.layers[1].weights', /mlp\.layers\[1\]\.weights must be a non-empty array of rows \(got missing weights\)/],
    [{ layers: [{ weights: [[]], biases: [0] }] }, 'mlp.layers[1].weights[1]', /must be a non-empty row \(got an empty row\)/],
    [{ layers: [3] }, 'mlp.layers[1]', /mlp\.layers\[1\] must be an object with "weights" and "biases" \(got 3\)/],
  ])('%j', (json, parameter, msg) => {
    const e = inputError(() => parseMlp(json, 'net.json'));
    expect(e.parameter).toBe(parameter);
    expect(e.context).toBe('net.json');
    expect(e.message).toMatch(/^net\.json: /);
    expect(e.message).toMatch(msg);
  });
  it('rejects non-objects with an InputError on the whole file', () => {
    for (const json of [[1, 2], null, 'net']) {
      const e = inputError(() => parseMlp(json));
      expect(e.parameter).toBe('mlp');
      expect(e.message).toMatch(/^mlp: mlp must be a JSON object with "activation" and "layers"/);
    }
  });
  it('a good file loads and evaluates by hand: f(x) = relu(x1 + 2 x2) - relu(3 x1 + 4 x2 + 1)', () => {
    const net = parseMlp(good);
    expect(Array.from(net.predict(new Float64Array([1, 1, -1, 0]), 2))).toEqual([3 - 8, 0 - 0]);
  });
});

describe('bumps fits refuse coinciding points with an InputError', () => {
  const y = new Float64Array([1, -1, 1]);
  it('fitBumps: X with a repeated row', () => {
    const X = new Float64Array([0, 0, 1, 0, 0, 0]);
    const e = inputError(() => fitBumps(X, 3, 2, y, {}, ctx()));
    expect(e.parameter).toBe('X');
    expect(e.message).toBe('fitBumps: X must be 3 distinct points (bumps need a positive minimum distance) (got minimum pairwise distance 0)');
  });
  it('fitIntrinsicBumps: X whose projections onto the subspace coincide', () => {
    // U = e1 in R^2 (m = 1): (0, 0) and (0, 5) both project to 0
    const X = new Float64Array([0, 0, 1, 0, 0, 5]);
    const e = inputError(() => fitIntrinsicBumps(X, 3, 2, y, new Float64Array([1, 0]), 1, 'hat', ctx()));
    expect(e.parameter).toBe('X');
    expect(e.message).toMatch(/^fitIntrinsicBumps: X must be 3 points with distinct projections onto the subspace .* \(got projected points at minimum distance 0\)$/);
  });
  it('fitAtomBumps: a law whose atoms coincide', () => {
    const X = new Float64Array([0, 0, 1, 0, 0, 1]);
    const e = inputError(() => fitAtomBumps(X, 3, 2, y, new Float64Array([1, 1, 1, 1]), 2, 'hat', ctx()));
    expect(e.parameter).toBe('dist');
    expect(e.message).toMatch(/^fitAtomBumps: dist must be a law with 2 distinct atoms .* \(got atoms at minimum distance 0\)$/);
  });
});

describe('bumpsModel with the minimum centre distance given', () => {
  it('is the model it builds when it computes the distance itself (disjoint or not)', () => {
    const inst = small({ n: 30, d: 6, seed: 3, className: 'bumps' });
    const m = inst.fit.model as BumpsModel;
    const dmin = minPairwiseDistance(m.centres, 30, 6);
    expect(inst.fit.details).toMatchObject({ minDistance: dmin });
    expect(m.disjoint).toBe(true);
    for (const r of [m.r, dmin]) {
      const own = bumpsModel(m.centres, m.heights, 6, r, 'hat');
      const given = bumpsModel(m.centres, m.heights, 6, r, 'hat', 'bumps', dmin);
      expect(given.disjoint).toBe(own.disjoint);
      expect(given.upperLipschitz({ kind: 'Rd' }, new Streams(1).stream('estimator'))).toEqual(own.upperLipschitz({ kind: 'Rd' }, new Streams(1).stream('estimator')));
      expect(given.exactLipschitz({ kind: 'Rd' })).toEqual(own.exactLipschitz({ kind: 'Rd' }));
    }
    expect(bumpsModel(m.centres, m.heights, 6, dmin, 'hat', 'bumps', dmin).disjoint).toBe(false);
  });
});

describe('a fit that reuses its own feature map for the training error', () => {
  it('random features: the fit\'s predictions are model.predict at the data, bit for bit (every activation)', () => {
    for (const activation of ['relu', 'tanh', 'softplus', 'square', 'cos'] as const) {
      const inst = buildInstance({ dist: 'sphere', labels: 'signs', className: 'random-features', n: 24, d: 5, seed: 4, modelOptions: { k: 60, activation } });
      expect(Array.from(inst.fit.predictions)).toEqual(Array.from(inst.fit.model.predict(inst.X, 24)));
    }
  });
});

describe('every fitted model\'s domain contains its data (docs/science.md section 3, "Witnesses inside the domain")', () => {
  it('atom-bumps on mixture data: the ball covers the points outside the supports, not only the supports', () => {
    const inst = buildInstance({ dist: 'mixture', labels: 'signs', className: 'atom-bumps', n: 200, d: 4, seed: 2 });
    const { X } = inst;
    const m = inst.fit.model;
    // the ball of the supports alone (the old domain): max(1, max_l ||a_l|| + r)
    const atoms = inst.dist.centres!;
    let supports = 1;
    for (let l = 0; l < atoms.length / 4; l++) supports = Math.max(supports, norm2(atoms.subarray(l * 4, l * 4 + 4)) + (m as BumpsModel).r);
    let outsideSupports = 0;
    for (let i = 0; i < 200; i++) {
      const x = X.subarray(i * 4, i * 4 + 4);
      expect(contains(ball(m.radius), x)).toBe(true);
      if (norm2(x) > supports) outsideSupports++;
    }
    expect(outsideSupports).toBeGreaterThan(0);
  });
  it.each(['linear', 'random-features', 'gaussian-kernel', 'polynomial', 'bumps', 'two-layer', 'ntk-features'] as const)('%s: every data point passes the domain test of ball(model.radius)', (className) => {
    const inst = buildInstance({ dist: 'gaussian', labels: 'signs', className, n: 20, d: 3, seed: 4 });
    for (let i = 0; i < 20; i++) expect(contains(ball(inst.fit.model.radius), inst.X.subarray(i * 3, i * 3 + 3))).toBe(true);
  });
});
