/**
 * Nets from an adversarial audit of decisions that depended on the scale (docs/science.md section 3, "Scale
 * safety"): each reported a bound on the wrong side of the truth before its fix. The truths are worked by hand
 * in the comments; every bound must lie on its side, and no result may contradict itself.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { Domain } from '../../src/lipschitz/domain.js';
import { certainInterval } from '../../src/lipschitz/estimate.js';
import { lipschitz } from '../../src/estimators/lipschitz.js';
import { formSignOnBall, unitForm } from '../../src/lipschitz/relu-patterns.js';
import { contains, project } from '../../src/lipschitz/domain.js';
import { secant } from '../../src/estimators/secant.js';
import { vectorLipschitz } from '../../src/estimators/vector-lipschitz.js';
import { parseMlpNetwork } from '../../src/models/formats/robustlaw-mlp.js';
import { type MlpModel } from '../../src/models/mlp.js';

const net = (layers: { weights: number[][]; biases: number[] }[]) => parseMlpNetwork({ format: 'robustlaw-mlp/1', activation: 'relu', layers });
const ballOf = (radius: number): Domain => ({ kind: 'ball', radius });
const Rd: Domain = { kind: 'Rd' };

/** Every certified bound of the report on its side of the truth [lo, hi] (targetRatio 1: the ascent always runs). */
function expectAround(model: MlpModel, D: Domain, lo: number, hi: number) {
  const r = lipschitz(model, { domain: D, rng: new Rng(5), targetRatio: 1, rounds: 2, starts: 8, steps: 40 });
  for (const e of r.estimates) {
    const iv = certainInterval(e);
    if (e.kind === 'lower' || e.kind === 'exact') expect(iv.lo, `${e.kind} ${e.method}`).toBeLessThanOrEqual(hi);
    if (e.kind === 'upper' || e.kind === 'exact') expect(iv.hi, `${e.kind} ${e.method}`).toBeGreaterThanOrEqual(lo);
  }
  return r;
}

describe('decisions that depended on the scale: each net once gave a bound on the wrong side', () => {
  it('a later unit fixed off on the ball by a norm rounded in the subnormal range (lipsdp-bnb reported 1e-323 for sqrt 2)', () => {
    // layer 2 x 2^-1074, layers 3 and 4 x 2^1023 and 2^51: f(x) = relu(x1 + x2 - 2) up to the exact scaling, on in
    // the part of the ball of radius 1.45 where x1 + x2 > 2: Lip = sqrt 2 there
    const n = net([{ weights: [[1, 1]], biases: [0] }, { weights: [[5e-324]], biases: [-1e-323] }, { weights: [[2 ** 1023]], biases: [0] }, { weights: [[2 ** 51]], biases: [0] }]);
    const r = expectAround(n.scalar(), ballOf(1.45), Math.SQRT2 * (1 - 1e-12), Math.SQRT2 * (1 + 1e-12));
    expect(r.upper!.value).toBeGreaterThanOrEqual(Math.SQRT2 * (1 - 1e-12));
    // the sign decision itself: c . x + c0 with ||c|| = sqrt 2 2^-1074 and c0 = -2^-1073 changes sign on the ball
    const f = unitForm([{ weights: Float64Array.from([5e-324, 5e-324]), biases: Float64Array.from([-1e-323]), inputs: 2, outputs: 1 }], 0, 0, null, null);
    expect(formSignOnBall(f, 1.45)).toBe(0);
    expect(formSignOnBall(f, 1.41)).toBe(-1);
  });

  it('an output map whose products underflow to 0 is not the zero map (lipsdp-neuron reported 0 for 2^-90)', () => {
    const n = net([{ weights: [[2 ** 990], [2 ** -40]], biases: [0, 2 ** -39] }, { weights: [[0, 2 ** -50], [1, 0]], biases: [2 ** -70, 0] }, { weights: [[1, 0]], biases: [0] }]);
    expectAround(n.scalar(), ballOf(1), 2 ** -90, 2 ** -90);
  });

  it('secants at distances near 1e-162: the squared distance is subnormal (a secant of 1.22 for relu(x), Lip 1)', () => {
    const n = net([{ weights: [[1]], biases: [0] }, { weights: [[1]], biases: [0] }]);
    expectAround(n.scalar(), ballOf(1.36e-159), 1, 1);
    const s = secant(n.scalar(), Float64Array.from([1e-162]), Float64Array.from([3.7e-162]), 'R^d');
    expect(s.value).toBeLessThanOrEqual(1);
    expect(s.value).toBeGreaterThan(0.99);
  });

  it('a ball of radius 1e-200: a point 2.4 radii out is not inside (a relu-region lower bound of 7.7e199 for a constant f)', () => {
    const n = net([{ weights: [[7.654505172902098e199, 0]], biases: [-1.2] }, { weights: [[1]], biases: [0] }]);
    const R = 1.0355583376e-200;
    const r = expectAround(n.scalar(), ballOf(R), 0, 0);
    expect(r.lower.value).toBe(0);
    expect(contains(ballOf(R), Float64Array.from([2.38 * R, 0]))).toBe(false);
    expect(contains(ballOf(R), Float64Array.from([0.7 * R, 0.7 * R]))).toBe(true);
    expect(contains(ballOf(R), project(ballOf(R), Float64Array.from([2.38 * R, 5 * R])))).toBe(true);
    expect(contains(ballOf(5e-324), project(ballOf(5e-324), Float64Array.from([1e-300, 0])))).toBe(true);
  });

  it('the l2 -> l2 secant at distances near 1e-162 (2.19e30 against the exact sqrt 2 2^100)', () => {
    const n = net([{ weights: [[1]], biases: [0] }, { weights: [[2 ** 100], [2 ** 100]], biases: [0, 0] }]);
    const truth = Math.SQRT2 * 2 ** 100;
    const r = vectorLipschitz(n, { domain: ballOf(1.36e-159), rng: new Rng(3), targetRatio: 1 });
    expect(r.lower.value).toBeLessThanOrEqual(truth * (1 + 1e-12));
    expect(r.upper!.value).toBeGreaterThanOrEqual(truth * (1 - 1e-12));
  });

  it('a margin whose last-layer difference rounds: f_0 - f_1 = 2^-60 relu(x) is not the zero function (upper 1e-323)', () => {
    const n = net([{ weights: [[1], [1]], biases: [0, 0] }, { weights: [[1, -1], [-(2 ** -60), 0]], biases: [0, 0] }]);
    const margin = n.head(Float64Array.from([1, -1]), 'margin f_0 - f_1');
    // the head duplicates the unit whose difference did not round exactly: the same function, exactly
    expect(margin.layers[0].outputs).toBe(3);
    for (const D of [Rd, ballOf(1)]) expectAround(margin, D, 2 ** -60, 2 ** -60);
    const x = Float64Array.from([0.75]);
    expect(margin.predict(x, 1)[0]).toBe(0.75 * 2 ** -60);
    // an output alone is its row, exactly, with no duplicate
    expect(n.head(Float64Array.from([0, 1]), 'output 1').layers[0].outputs).toBe(2);
  });
});
