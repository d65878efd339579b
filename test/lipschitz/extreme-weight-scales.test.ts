/**
 * Certificates at extreme weight scales (docs/science.md section 3, "Scale safety"): an audit of 2026-12-07
 * scaled every class's weights by 1e-300 .. 1e300 and found each case below reporting an upper bound under
 * the true Lipschitz constant (or an "exact" value of Infinity) before its fix. The truths are worked by hand
 * in the comments (exact integer arithmetic where a bound sits within an ulp); every certified upper bound
 * must lie at or above them.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { ACTIVATION } from '../../src/activations/activation.js';
import { ball, type Domain } from '../../src/lipschitz/domain.js';
import { certainInterval } from '../../src/lipschitz/estimate.js';
import { exactScaled } from '../../src/linalg/pow2.js';
import { twoLayerUpper } from '../../src/models/two-layer-lipschitz.js';
import { ntkModel } from '../../src/models/ntk-features.js';
import { mlpModel, mlpNetwork } from '../../src/models/mlp.js';
import { parseMlp } from '../../src/models/formats/robustlaw-mlp.js';
import { lipSdpDeepUpper } from '../../src/lipschitz/sdp/lipsdp-neuron.js';
import { reluExactLipschitz } from '../../src/lipschitz/relu-exact.js';
import { linearModel } from '../../src/models/linear.js';
import { bumpsModel } from '../../src/models/bumps.js';
import { gaussianKernelModel } from '../../src/models/gaussian-kernel.js';
import { vectorLipschitz } from '../../src/estimators/vector-lipschitz.js';

const Rd: Domain = { kind: 'Rd' };
const MIN = Number.MIN_VALUE;

describe('certificates at extreme weight scales: each once reported a bound below the truth', () => {
  it('two-layer form: output weights near 1e-170 (their squares underflowed; the bound was 2^-1073 for Lip 1e-170)', () => {
    // f(x) = a relu(x), d = k = 1: Lip = |a| on the unit ball
    for (const a of [1e-170, 3e-200, 1e-300]) {
      const ub = twoLayerUpper({ W: Float64Array.of(1), b: Float64Array.of(0), a: Float64Array.of(a), c: 0, k: 1, d: 1, act: ACTIVATION.relu }, ball(1), 1, new Rng(1))!;
      expect(ub.value, `a = ${a}`).toBeGreaterThanOrEqual(a);
    }
    // |a| in [1e-162, 2e-154]: the squares were subnormal and lost bits (529 of 2000 draws were below |a|)
    const rng = new Rng(5);
    for (let i = 0; i < 300; i++) {
      const a = (1 + rng.uniform()) * 10 ** (-154 - 8 * rng.uniform());
      const ub = twoLayerUpper({ W: Float64Array.of(1), b: Float64Array.of(0), a: Float64Array.of(a), c: 0, k: 1, d: 1, act: ACTIVATION.relu }, ball(1), 1, new Rng(1))!;
      expect(ub.value, `a = ${a}`).toBeGreaterThanOrEqual(a);
    }
  });

  it('NTK features: Theta scaled by 1e-163 .. 1e-300 (the ||W|| term was dropped: bound 0.47 of the truth for cos)', () => {
    // f is linear in Theta: Lip(s Theta) = s Lip(Theta), and the largest gradient norm found on the ball is a lower bound
    const k = 4;
    const d = 2;
    const rng = new Rng(2);
    const W = rng.fillNormal(new Float64Array(k * d), 3);
    const Theta = rng.fillNormal(new Float64Array(k * d));
    for (const act of ['tanh', 'cos'] as const) {
      const base = ntkModel({ W, Theta, k, d, act: ACTIVATION[act], scale: 1 / Math.sqrt(k) }, 1, {});
      let g = 0;
      const r2 = new Rng(9);
      for (let i = 0; i < 4000; i++) {
        const x = r2.fillNormal(new Float64Array(d));
        const scale = Math.sqrt(r2.uniform()) / Math.hypot(...x);
        g = Math.max(g, Math.hypot(...base.gradient(x.map((v) => v * scale), 1)));
      }
      for (const s of [1e-163, 1e-200, 1e-300]) {
        const m = ntkModel({ W, Theta: Theta.map((v) => v * s), k, d, act: ACTIVATION[act], scale: 1 / Math.sqrt(k) }, 1, {});
        expect(m.upperLipschitz(ball(1), new Rng(1))!.value / s, `${act}, Theta x ${s}`).toBeGreaterThanOrEqual(g);
      }
    }
  });

  it('deep LipSDP: a weight 2^-830 below its layer\'s largest was scaled to 0 and the map certified 0 (Lip 1e-125)', () => {
    // f(x) = relu(1e125 relu(1e-250 x2)) (the first layer's other unit, 1e150 x1, does not reach the output): Lip = 1e-125
    const model = parseMlp({ format: 'robustlaw-mlp/1', activation: 'relu', layers: [{ weights: [[1e150, 0], [0, 1e-250]], biases: [0, 0] }, { weights: [[0, 1e125]], biases: [0] }, { weights: [[1]], biases: [0] }] }, 'scaled');
    const truth = 1e125 * 1e-250;
    for (const D of [ball(1), Rd]) {
      const deep = lipSdpDeepUpper(model.layers, ['relu', 'relu'], D, 1).estimate;
      if (deep !== null) expect(deep.value, `lipSdpDeepUpper on ${D.kind}`).toBeGreaterThanOrEqual(truth * (1 - 1e-12));
      expect(model.upperLipschitz(D, new Rng(1))!.value, `upperLipschitz on ${D.kind}`).toBeGreaterThanOrEqual(truth * (1 - 1e-12));
    }
  });

  it('relu enumeration: a unit 2^-600 below the largest was pruned (its ||a_j w_j|| underflowed; "exact" was half the truth)', () => {
    // f(x) = relu(t x) - t relu(-x + 1e-3) + 2^-700 relu(t x + 1000 t), t = 2^-600: on 0 < x < 1e-3 the first two units
    // are on and f' = 2 t (+ 2^-1300, far below an ulp): Lip on R = 2^-599
    const t = 2 ** -600;
    const model = parseMlp({ format: 'robustlaw-mlp/1', activation: 'relu', layers: [{ weights: [[t], [-1], [t]], biases: [0, 1e-3, 1000 * t] }, { weights: [[1, -t, 2 ** -700]], biases: [0] }] }, 'pruned');
    const ex = reluExactLipschitz(model.layers, ['relu']).estimate!;
    const iv = certainInterval(ex);
    expect(iv.hi).toBeGreaterThanOrEqual(2 ** -599);
    expect(iv.lo).toBeLessThanOrEqual(2 ** -599);
  });

  it('closed forms are rounded up: linear ||w||, bumps max|h| sup|g\'| / r, kernel sum|alpha| e^{-1/2} / s', () => {
    // subnormal parameters: the plain formulas gave 5e-324 for sqrt 2 2^-1074, and 0 for 2^-1074 / 2.5
    // (||w|| 2^1074)^2 = 2
    expect(exactScaled(linearModel(Float64Array.of(MIN, MIN), 0).upperLipschitz(Rd, new Rng(1))!.value) ** 2n).toBeGreaterThanOrEqual(2n);
    expect(bumpsModel(Float64Array.of(0), Float64Array.of(MIN), 1, 2.5, 'hat').upperLipschitz(Rd, new Rng(1))!.value).toBeGreaterThan(0);
    expect(gaussianKernelModel(Float64Array.of(0), Float64Array.of(2 * MIN), 1, 4).upperLipschitz(Rd, new Rng(1))!.value).toBeGreaterThan(0);
    // normal scale, checked in exact integer arithmetic (exactScaled(v) = v 2^1074): the plain ||w|| was below the
    // true one in 508 of 1000 draws, h / r below the truth for h = 1, r = 3
    const rng = new Rng(4);
    for (let i = 0; i < 300; i++) {
      const w = rng.fillNormal(new Float64Array(5));
      const v = exactScaled(linearModel(w, 0).upperLipschitz(Rd, rng)!.value);
      expect(v * v >= Array.from(w, exactScaled).reduce((s, x) => s + x * x, 0n), `w = [${Array.from(w).join(', ')}]`).toBe(true);
    }
    expect(exactScaled(bumpsModel(Float64Array.of(0), Float64Array.of(1), 1, 3, 'hat').upperLipschitz(Rd, new Rng(1))!.value) * 3n >= exactScaled(1)).toBe(true);
    // e^{-1/2} to 38 digits: v s >= alpha e^{-1/2} exactly
    const E38 = 60653065971263342360379953499118045344n;
    const r = new Rng(8);
    for (let i = 0; i < 300; i++) {
      const a = 1 + r.uniform();
      const s = 0.5 + r.uniform();
      const v = gaussianKernelModel(Float64Array.of(0), Float64Array.of(a), 1, s).upperLipschitz(Rd, r)!.value;
      expect(exactScaled(v) * exactScaled(s) * 10n ** 38n >= exactScaled(a) * E38 * (1n << 1074n), `alpha = ${a}, s = ${s}`).toBe(true);
    }
  });

  it('an overflowing product is no exact value (it was Infinity with a NaN interval; the l2 -> l2 upper NaN)', () => {
    // nonnegative relu net with weights 1e160: ||W_2 W_1|| ~ 1e320 exceeds the largest double
    const layers = [
      { weights: Float64Array.of(1e160, 2e160, 3e160, 1e160), biases: new Float64Array(2), inputs: 2, outputs: 2 },
      { weights: Float64Array.of(1e160, 1e160), biases: new Float64Array(1), inputs: 2, outputs: 1 },
    ];
    expect(mlpModel(layers, 'relu').exactLipschitz(Rd)).toBeNull();
    const net = mlpNetwork(layers, 'relu');
    expect(net.exactLipschitzL2(ball(1), new Rng(1))).toBeNull();
    const r = vectorLipschitz(net, { rng: new Rng(1), rounds: 0 });
    expect(r.upper === null || r.upper.value === Number.POSITIVE_INFINITY).toBe(true);
  });
});
