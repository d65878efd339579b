import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { add, cmp, mul, q, qabs, sub, ZERO, type Q } from '../../properties/rational.js';
import { ACTIVATION } from '../../src/activations/activation.js';
import { linearModel } from '../../src/models/linear.js';
import { twoLayerModel, type TwoLayerModel } from '../../src/models/random-features.js';
import { parseMlp } from '../../src/models/formats/robustlaw-mlp.js';
import type { Model } from '../../src/models/model.js';
import { small } from './helpers.js';
import type { NtkModel } from '../../src/models/ntk-features.js';

// Model.evaluationError bounds |predict(x) - f(x)| (docs/science.md section 3, "Rounding"): checked here
// against f evaluated exactly in rationals, for the classes whose f is rational (relu, polynomial-free
// forms), on inputs built to cancel. The transcendental activations rest on the stated 1-ulp behaviour of
// V8's Math functions and are not checked exactly.

const relu = (x: Q): Q => (cmp(x, ZERO) > 0 ? x : ZERO);
const dot = (w: ArrayLike<number>, x: ArrayLike<number>, off = 0, len = x.length): Q => {
  let s = ZERO;
  for (let t = 0; t < len; t++) s = add(s, mul(q(w[off + t]), q(x[t])));
  return s;
};

/** f(x) of a two-layer relu form, exactly. */
function twoLayerExactValue(m: TwoLayerModel, x: ArrayLike<number>): Q {
  const { W, b, a, c, k, d } = m.net;
  let s = q(c);
  for (let j = 0; j < k; j++) s = add(s, mul(q(a[j]), relu(add(dot(W, x, j * d, d), q(b[j])))));
  return s;
}
/** f(x) = scale sum_j relu'(w_j . x) (theta_j . x), exactly (relu'(0) = 0, as the model's df). */
function ntkExactValue(m: NtkModel, x: ArrayLike<number>): Q {
  const { W, Theta, k, d, scale } = m.ntk;
  let s = ZERO;
  for (let j = 0; j < k; j++) if (cmp(dot(W, x, j * d, d), ZERO) > 0) s = add(s, dot(Theta, x, j * d, d));
  return mul(q(scale), s);
}

/** |predict(x) - exact| <= E(x), decided exactly. */
function covered(model: Model, x: Float64Array, exact: Q): boolean {
  const f = model.predict(x, 1)[0];
  const E = model.evaluationError(x, 1)[0];
  return cmp(qabs(sub(q(f), exact)), q(E)) <= 0;
}

const point = (d: number) => fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d }).map((v) => Float64Array.from(v));

describe('evaluation-error bounds cover the true rounding (exact rationals)', () => {
  const rf = small({ className: 'random-features', n: 20, d: 5, modelOptions: { k: 60, activation: 'relu' } }).fit.model as TwoLayerModel;
  const tl = small({ className: 'two-layer', n: 20, d: 5, modelOptions: { k: 12, activation: 'relu' } }).fit.model as TwoLayerModel;
  const ntk = small({ className: 'ntk-features', n: 20, d: 5, modelOptions: { k: 8, activation: 'relu' } }).fit.model as NtkModel;

  test.prop([point(5)], { numRuns: 60 })('random features, two-layer and NTK relu fits at any point', (x) => {
    expect(covered(rf, x, twoLayerExactValue(rf, x))).toBe(true);
    expect(covered(tl, x, twoLayerExactValue(tl, x))).toBe(true);
    expect(covered(ntk, x, ntkExactValue(ntk, x))).toBe(true);
  });

  // cancellation: output weights +-A on pairs of nearly equal units, so f is small while its terms are A-sized
  const cancelling = fc.record({ A: fc.constantFrom(1, 1e8, 1e15), k: fc.integer({ min: 1, max: 6 }), seed: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }), x: point(3) });
  test.prop([cancelling], { numRuns: 60 })('a two-layer form whose terms cancel (a = +-A on units an ulp apart)', ({ A, k, seed, x }) => {
    const d = 3;
    const W = new Float64Array(2 * k * d);
    const b = new Float64Array(2 * k);
    const a = new Float64Array(2 * k);
    for (let j = 0; j < k; j++) {
      for (let t = 0; t < d; t++) {
        W[2 * j * d + t] = seed[j * d + t];
        W[(2 * j + 1) * d + t] = seed[j * d + t] * (1 + 2 ** -50);
      }
      b[2 * j] = b[2 * j + 1] = seed[30 + j];
      a[2 * j] = A;
      a[2 * j + 1] = -A;
    }
    const m = twoLayerModel('random-features', { W, b, a, c: 0, k: 2 * k, d, act: ACTIVATION.relu }, 1, a, 1, {});
    expect(covered(m, x, twoLayerExactValue(m, x))).toBe(true);
  });

  test.prop([fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 4, maxLength: 4 }), point(4)], { numRuns: 60 })('linear models with the bias cancelling w . x', (w, x) => {
    const wv = Float64Array.from(w);
    const c = -wv.reduce((s, v, t) => s + v * x[t], 0);
    const m = linearModel(wv, c);
    expect(covered(m, x, add(dot(wv, x), q(c)))).toBe(true);
  });

  test.prop([point(2)], { numRuns: 40 })('a relu mlp file (two hidden layers)', (x) => {
    const m = parseMlp({ format: 'robustlaw-mlp/1', activation: 'relu', layers: [{ weights: [[1e8, -1e8], [0.3, 0.7], [-1, 1]], biases: [0.1, -0.2, 1e-9] }, { weights: [[1, -1, 1e8], [2, 0.5, -1]], biases: [0, 1] }, { weights: [[1e-8, -3]], biases: [0.5] }] });
    const h1 = [[1e8, -1e8, 0.1], [0.3, 0.7, -0.2], [-1, 1, 1e-9]].map(([u, v, c]) => relu(add(add(mul(q(u), q(x[0])), mul(q(v), q(x[1]))), q(c))));
    const h2 = [[1, -1, 1e8, 0], [2, 0.5, -1, 1]].map(([u, v, w, c]) => relu(add(add(add(mul(q(u), h1[0]), mul(q(v), h1[1])), mul(q(w), h1[2])), q(c))));
    const f = add(add(mul(q(1e-8), h2[0]), mul(q(-3), h2[1])), q(0.5));
    expect(covered(m, x, f)).toBe(true);
  });
});

describe('the bound bites (known bad input)', () => {
  it('8 ulps of |f(a)| + |f(b)| (the old secant allowance) is overshot by cancellation; E(a) + E(b) is not', () => {
    // f(x) = w . x + c with c = -(computed w . a): f^(a) ~ 0, while rounding errs by ~ u |w| |x|
    let overshoot = 0;
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (let trial = 0; trial < 500; trial++) {
      const w = Float64Array.from({ length: 4 }, () => rnd() * 1e6);
      const xa = Float64Array.from({ length: 4 }, rnd);
      const xb = xa.map((v, t) => (t === 0 ? v + 2 ** -40 : v));
      const c = -w.reduce((s, v, t) => s + v * xa[t], 0);
      const m = linearModel(w, c);
      const f = m.predict(Float64Array.from([...xa, ...xb]), 2);
      const trueDiff = qabs(sub(add(dot(w, xa), q(c)), add(dot(w, xb), q(c))));
      const old = Math.abs(f[0] - f[1]) - 8 * Number.EPSILON * (Math.abs(f[0]) + Math.abs(f[1]));
      if (old > 0 && cmp(q(old), trueDiff) > 0) overshoot++;
      const E = m.evaluationError(Float64Array.from([...xa, ...xb]), 2);
      const certified = Math.abs(f[0] - f[1]) - (E[0] + E[1]);
      expect(certified <= 0 || cmp(q(certified), trueDiff) <= 0).toBe(true);
    }
    expect(overshoot).toBeGreaterThan(0);
  });
});
