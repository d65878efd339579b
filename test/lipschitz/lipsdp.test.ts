import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { Rng } from '../../src/core/rng.js';
import { spectralNorm } from '../../src/linalg/spectral-norm.js';
import { hiddenLayerProblem, type HiddenLayerProblem } from '../../src/lipschitz/sdp/hidden-layer-problem.js';
import { lipSdpDeepUpper, lipSdpUpper, type OneHiddenLayerNet } from '../../src/lipschitz/sdp/lipsdp-neuron.js';
import { deepProblem, deepSlopes, verifyDeepLipSdp } from '../../src/lipschitz/sdp/deep-problem.js';
import { solveDeepLipSdp } from '../../src/lipschitz/sdp/deep-solver.js';
import { solveLipSdp } from '../../src/lipschitz/sdp/lipsdp-solver.js';
import { preActivationRanges, slopeInterval } from '../../src/lipschitz/sdp/slope-bounds.js';
import { verifyLipSdp } from '../../src/lipschitz/sdp/verify-certificate.js';
import { verifyDiagMinusGram } from '../../src/lipschitz/sdp/verified-psd.js';
import { reluExactLipschitz } from '../../src/lipschitz/relu-exact.js';
import { ACTIVATION } from '../../src/activations/activation.js';
import { twoLayerUpper } from '../../src/models/two-layer-lipschitz.js';

const Rd = { kind: 'Rd' } as const;

function randomNet(seed: number, d: number, k: number, m: number, opts: { nonneg?: boolean; activation?: string } = {}): OneHiddenLayerNet {
  const rng = new Rng(seed);
  const W = rng.fillNormal(new Float64Array(k * d));
  const b = rng.fillNormal(new Float64Array(k));
  const V = rng.fillNormal(new Float64Array(m * k));
  if (opts.nonneg) {
    W.forEach((v, i) => (W[i] = Math.abs(v)));
    V.forEach((v, i) => (V[i] = Math.abs(v)));
  }
  return { W, b, V, k, d, m, activation: opts.activation ?? 'relu' };
}

/** V W (m x d): the all-active Jacobian. */
function allActive(net: OneHiddenLayerNet): Float64Array {
  const A = new Float64Array(net.m * net.d);
  for (let i = 0; i < net.m; i++) for (let j = 0; j < net.k; j++) for (let t = 0; t < net.d; t++) A[i * net.d + t] += net.V[i * net.k + j] * net.W[j * net.d + t];
  return A;
}

const sdp = (net: OneHiddenLayerNet, maxIterations?: number) => lipSdpUpper(net, Rd, 1, { maxIterations }).estimate!.value;

/** The relu problem of a net on R^d (slopes [0, 1]). */
const reluProblem = (net: OneHiddenLayerNet): HiddenLayerProblem => hiddenLayerProblem(net.W, net.V, net.k, net.d, net.m, new Float64Array(net.k), new Float64Array(net.k).fill(1))!;

describe('LipSDP-Neuron against exact values', () => {
  it('nonnegative relu nets, one output: within 0.5% of ||sum_j a_j w_j|| and never below it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 20 }), fc.nat(), (d, k, seed) => {
        const net = randomNet(seed, d, k, 1, { nonneg: true });
        const exact = Math.hypot(...allActive(net));
        const v = sdp(net);
        expect(v).toBeGreaterThanOrEqual(exact * (1 - 1e-12));
        expect(v / exact).toBeLessThan(1.005);
      }),
    );
  });

  it('nonnegative relu nets, several outputs: within 0.5% of ||V W||_2 (l2 -> l2)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 4 }), fc.nat(), (d, k, m, seed) => {
        const net = randomNet(seed, d, k, m, { nonneg: true });
        const sn = spectralNorm(allActive(net), m, d);
        const v = sdp(net);
        // the exact value lies in [estimate, upper] of the certified spectral norm
        expect(v).toBeGreaterThanOrEqual(sn.estimate * (1 - 1e-9));
        expect(v / sn.upper).toBeLessThan(1.005);
      }),
    );
  });

  it('nonnegative weights, any biases, on R^d: the enumeration finds the all-active value and the certificate is within 0.5% of it', () => {
    for (const [d, k, seed] of [[2, 8, 1], [3, 6, 2], [2, 12, 3]]) {
      const net = randomNet(seed, d, k, 1, { nonneg: true });
      const layers = [
        { weights: net.W, biases: net.b, inputs: d, outputs: k },
        { weights: net.V, biases: new Float64Array(1), inputs: k, outputs: 1 },
      ];
      const exact = reluExactLipschitz(layers, ['relu']).estimate!;
      expect(exact.kind).toBe('exact');
      expect(exact.value / Math.hypot(...allActive(net))).toBeCloseTo(1, 12);
      const v = sdp(net);
      expect(v).toBeGreaterThanOrEqual(exact.interval!.lo);
      expect(v / exact.value).toBeLessThan(1.005);
    }
  });

  it('mixed-sign relu nets (the enumeration exact): the certificate is an upper bound, and loose where the slopes cannot be chosen freely', () => {
    const ratios: number[] = [];
    for (let seed = 0; seed < 6; seed++) {
      const net = randomNet(100 + seed, 2, 6 + seed, 1);
      const layers = [
        { weights: net.W, biases: net.b, inputs: 2, outputs: net.k },
        { weights: net.V, biases: new Float64Array(1), inputs: net.k, outputs: 1 },
      ];
      const exact = reluExactLipschitz(layers, ['relu']).estimate!;
      const v = sdp(net);
      expect(v).toBeGreaterThanOrEqual(exact.interval!.lo);
      ratios.push(v / exact.value);
    }
    expect(Math.min(...ratios)).toBeGreaterThanOrEqual(1 - 1e-12);
    // relu(x) - relu(-x) = x has Lip 1, but each unit's slope may be anything in [0, 1] on its own: 2
    const x = { W: new Float64Array([1, -1]), b: new Float64Array(2), V: new Float64Array([1, -1]), k: 2, d: 1, m: 1, activation: 'relu' };
    expect(sdp(x)).toBeCloseTo(2, 6);
  });
});

describe('the certificate is verified in f64, whatever the solver did', () => {
  it('a solver stopped after 0 or 1 iterations still gives a valid (looser) bound', () => {
    const net = randomNet(7, 3, 10, 1, { nonneg: true });
    const exact = Math.hypot(...allActive(net));
    const full = sdp(net);
    for (const it of [0, 1]) {
      const v = sdp(net, it);
      expect(v).toBeGreaterThanOrEqual(exact);
      expect(v).toBeGreaterThanOrEqual(full * (1 - 1e-9));
    }
  });

  for (const [name, m] of [['reduced form (one output)', 1], ['full form (three outputs)', 3]] as const) {
    it(`${name}: a verified certificate passes; rho 1e-4 too small, a collapsed multiplier, NaN and negative entries are rejected`, () => {
      const net = randomNet(11, 4, 9, m);
      const P = reluProblem(net);
      const sol = solveLipSdp(P)!;
      const t = sol.t.map((v) => v * (1 + 5e-8));
      const good = verifyLipSdp(P, { t, rho: sol.rho * (1 + 1e-7) });
      expect(good.valid).toBe(true);
      expect(good.route).toBe(m === 1 ? 'reduced' : 'full');
      const low = verifyLipSdp(P, { t, rho: sol.rho * (1 - 1e-4) });
      expect(low.valid).toBe(false);
      expect(low.reason).toMatch(/matrix inequality fails/);
      const collapsed = Float64Array.from(t);
      collapsed[0] = 1e-12;
      expect(verifyLipSdp(P, { t: collapsed, rho: sol.rho * 10 }).valid).toBe(false);
      const nan = Float64Array.from(t);
      nan[1] = Number.NaN;
      expect(verifyLipSdp(P, { t: nan, rho: sol.rho * 10 }).reason).toMatch(/not positive and finite/);
      expect(verifyLipSdp(P, { t: t.map((v) => -v), rho: sol.rho * 10 }).valid).toBe(false);
      expect(verifyLipSdp(P, { t, rho: Number.NaN }).valid).toBe(false);
      // both forms agree where both apply
      if (m === 1) expect(verifyLipSdp(P, { t, rho: sol.rho * (1 + 1e-7) }, 'full').valid).toBe(true);
    });
  }

  it('verifyDiagMinusGram: diagonal and rank-one cases pass or fail with their smallest eigenvalue', () => {
    const z = Float64Array.from([3, -1, 0.5, 2]);
    const Z = new Float64Array(16);
    z.forEach((v, i) => (Z[i * 4 + i] = v));
    expect(verifyDiagMinusGram(z.map((v) => v * v + 1e-6), Z, 4, 4, 0).psd).toBe(true);
    // singular (c = z^2) or slightly indefinite: refused, the margin covers rounding in the safe direction
    expect(verifyDiagMinusGram(z.map((v) => v * v), Z, 4, 4, 0).psd).toBe(false);
    expect(verifyDiagMinusGram(z.map((v, i) => v * v * (i === 3 ? 1 - 1e-12 : 2)), Z, 4, 4, 0).psd).toBe(false);
    // a rank-one Z: c I - u u^T is PSD iff c >= ||u||^2 = 9
    const u = Float64Array.from([1, 2, 2]);
    expect(verifyDiagMinusGram(new Float64Array(3).fill(9.001), u, 1, 3, 0).psd).toBe(true);
    expect(verifyDiagMinusGram(new Float64Array(3).fill(8.999), u, 1, 3, 0).psd).toBe(false);
    // the rounding allowance for Z's entries: a large one makes a PSD matrix fail the check (conservative)
    expect(verifyDiagMinusGram(new Float64Array(3).fill(9.001), u, 1, 3, 0.01).psd).toBe(false);
  });

  it('exactly equivariant: layer 1 times 2^j, layer 2 times 2^-j gives the same bound (relu, R^d)', () => {
    const net = randomNet(5, 3, 7, 2);
    const base = sdp(net);
    for (const j of [-300, -7, 9, 400]) {
      const s = 2 ** j;
      expect(sdp({ ...net, W: net.W.map((v) => v * s), b: net.b.map((v) => v * s), V: net.V.map((v) => v / s) })).toBe(base);
    }
  });
});

describe('slope intervals and the two-layer form', () => {
  it('every difference quotient of each activation on [zlo, zhi] lies in its interval; a narrower interval is caught by the same sampler', () => {
    const acts: Record<string, (t: number) => number> = { relu: (t) => ACTIVATION.relu.f(t), tanh: Math.tanh, softplus: (t) => ACTIVATION.softplus.f(t), cos: Math.cos, square: (t) => ACTIVATION.square.f(t), sigmoid: (t) => 1 / (1 + Math.exp(-t)), gelu: (t) => ACTIVATION.gelu.f(t), 'elu(0.5)': (t) => (t > 0 ? t : 0.5 * Math.expm1(t)), 'leaky-relu(0.2)': (t) => (t > 0 ? t : 0.2 * t) };
    const rng = new Rng(3);
    const worst = (f: (t: number) => number, lo: number, hi: number) => {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < 400; i++) {
        const a = lo + (hi - lo) * rng.uniform();
        const b = a + (hi - a) * rng.uniform() * 0.01 + 1e-7;
        if (b > hi) continue;
        const q = (f(b) - f(a)) / (b - a);
        min = Math.min(min, q);
        max = Math.max(max, q);
      }
      return [min, max];
    };
    for (const [name, f] of Object.entries(acts)) {
      for (const [lo, hi] of [[-3, 2], [0.5, 4], [-6, -1], [-0.2, 0.3]]) {
        const [a, b] = slopeInterval(name, lo, hi)!;
        const [qmin, qmax] = worst(f, lo, hi);
        expect(qmin).toBeGreaterThanOrEqual(a - 1e-6);
        expect(qmax).toBeLessThanOrEqual(b + 1e-6);
        // the bad input: the interval shrunk by a tenth of its width misses some quotient
        if (b - a > 1e-3) expect(qmin < a + (b - a) / 10 || qmax > b - (b - a) / 10).toBe(true);
      }
    }
    expect(slopeInterval('square', Number.NEGATIVE_INFINITY, 1)).toBeNull();
    expect(slopeInterval('swish', -1, 1)).toBeNull();
    expect(slopeInterval('elu(0)', -1, 1)).toBeNull();
    const { lo, hi } = preActivationRanges(new Float64Array([3, 4, 0, 0]), new Float64Array([1, -2]), 2, 2, 2);
    expect(lo[0]).toBeLessThanOrEqual(-9);
    expect(hi[0]).toBeGreaterThanOrEqual(11);
    expect([lo[1], hi[1]]).toEqual([-2, -2]);
  });

  it('random features (cos): the certificate is at most the spectral and sum bounds and at least every sampled gradient', () => {
    const net = randomNet(9, 8, 120, 1, { activation: 'cos' });
    const a = net.V.map((v) => v / Math.sqrt(120));
    const tl = { W: net.W, b: net.b, a, c: 0, k: 120, d: 8, act: ACTIVATION.cos };
    const est = twoLayerUpper(tl, { kind: 'ball', radius: 1 }, 1, new Rng(1))!;
    expect(est.method).toBe('lipsdp-neuron');
    expect(est.witness.type === 'certificate' && est.witness.terms.verifiedInF64).toBe(1);
    // the spectral bound ||W||_op ||a|| and the sum bound sum |a_j| ||w_j|| (cos' reaches +-1 on these ranges)
    let sum = 0;
    for (let j = 0; j < 120; j++) sum += Math.abs(a[j]) * Math.hypot(...net.W.subarray(j * 8, j * 8 + 8));
    const spec = spectralNorm(net.W, 120, 8).upper * Math.hypot(...a);
    expect(est.value).toBeLessThan(Math.min(spec, sum));
    const rng = new Rng(2);
    let best = 0;
    for (let i = 0; i < 2000; i++) {
      const x = rng.fillNormal(new Float64Array(8));
      const n = Math.hypot(...x);
      const g = new Float64Array(8);
      for (let j = 0; j < 120; j++) {
        let z = net.b[j];
        for (let t = 0; t < 8; t++) z += (net.W[j * 8 + t] * x[t]) / n;
        for (let t = 0; t < 8; t++) g[t] -= a[j] * Math.sin(z) * net.W[j * 8 + t];
      }
      best = Math.max(best, Math.hypot(...g));
    }
    expect(est.value).toBeGreaterThanOrEqual(best);
  });
});

describe('several hidden layers (docs/science.md section 9.5)', () => {
  const deepNet = (seed: number, dims: number[], nonneg = false) => {
    const rng = new Rng(seed);
    return dims.slice(1).map((o, l) => {
      const weights = rng.fillNormal(new Float64Array(o * dims[l]));
      if (nonneg) weights.forEach((v, i) => (weights[i] = Math.abs(v)));
      return { weights, biases: rng.fillNormal(new Float64Array(o)), inputs: dims[l], outputs: o };
    });
  };
  const relus = (layers: unknown[]) => layers.slice(1).map(() => 'relu');

  it('nonnegative relu nets: within 0.5% of the all-active ||W_3 W_2 W_1||; mixed nets: above the enumeration, below the product of norms', () => {
    for (const [seed, dims] of [[1, [3, 5, 4, 1]], [2, [2, 4, 4, 3, 1]], [3, [4, 6, 5, 2]]] as const) {
      const layers = deepNet(seed, [...dims], true);
      let A = Float64Array.from(layers[layers.length - 1].weights);
      let rows = layers[layers.length - 1].outputs;
      for (let l = layers.length - 2; l >= 0; l--) {
        const L = layers[l];
        const next = new Float64Array(rows * L.inputs);
        for (let i = 0; i < rows; i++) for (let r = 0; r < L.outputs; r++) for (let c = 0; c < L.inputs; c++) next[i * L.inputs + c] += A[i * L.outputs + r] * L.weights[r * L.inputs + c];
        A = next;
      }
      rows = layers[layers.length - 1].outputs;
      const sn = spectralNorm(A, rows, dims[0]);
      const v = lipSdpDeepUpper(layers, relus(layers), Rd, 1).estimate!.value;
      expect(v).toBeGreaterThanOrEqual(sn.estimate * (1 - 1e-9));
      expect(v / sn.upper).toBeLessThan(1.005);
    }
    for (const [seed, dims] of [[4, [2, 6, 5, 1]], [5, [3, 5, 5, 1]], [6, [2, 4, 4, 4, 1]]] as const) {
      const layers = deepNet(seed, [...dims]);
      const exact = reluExactLipschitz(layers, relus(layers)).estimate!;
      const v = lipSdpDeepUpper(layers, relus(layers), Rd, 1).estimate!.value;
      const product = layers.reduce((p, L) => p * spectralNorm(L.weights, L.outputs, L.inputs).upper, 1);
      expect(v).toBeGreaterThanOrEqual(exact.interval!.lo);
      expect(v).toBeLessThan(product);
    }
  });

  it('a verified deep certificate passes; rho 1e-4 too small and a collapsed multiplier are rejected; an exactly zero output map gives 0', () => {
    const layers = deepNet(7, [3, 5, 4, 2]);
    const P = deepProblem(layers, deepSlopes(layers, ['relu', 'relu'], Number.POSITIVE_INFINITY)!);
    const sol = solveDeepLipSdp(P)!;
    const t = sol.t.map((v) => v * (1 + 5e-8));
    expect(verifyDeepLipSdp(P, t, sol.rho * (1 + 1e-7))).not.toBeNull();
    expect(verifyDeepLipSdp(P, t, sol.rho * (1 - 1e-4))).toBeNull();
    const collapsed = Float64Array.from(t);
    collapsed[collapsed.length - 1] = 1e-12;
    expect(verifyDeepLipSdp(P, collapsed, sol.rho * 10)).toBeNull();
    expect(verifyDeepLipSdp(P, t.map((v) => -v), sol.rho * 10)).toBeNull();
    // on the unit ball, a second-layer unit that is always off: f is constant there
    const off = [
      { weights: new Float64Array([0.3, 0.1]), biases: new Float64Array([-0.2]), inputs: 2, outputs: 1 },
      { weights: new Float64Array([0.1]), biases: new Float64Array([-1]), inputs: 1, outputs: 1 },
      { weights: new Float64Array([2]), biases: new Float64Array([0]), inputs: 1, outputs: 1 },
    ];
    expect(lipSdpDeepUpper(off, ['relu', 'relu'], { kind: 'ball', radius: 1 }, 1).estimate!.value).toBe(0);
    expect(lipSdpDeepUpper(off, ['relu', 'relu'], Rd, 1).estimate!.value).toBeGreaterThan(0);
  });
});
