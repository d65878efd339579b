import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { ball, type Domain } from '../../src/lipschitz/domain.js';
import { certainInterval, type LipEstimate } from '../../src/lipschitz/estimate.js';
import { lipschitz } from '../../src/estimators/lipschitz.js';
import { topSingular, vectorLipschitz, vectorSecant } from '../../src/estimators/vector-lipschitz.js';
import { mlpNetwork, type DenseLayer, type MlpNetwork } from '../../src/models/mlp.js';
import { type NetworkActivation } from '../../src/models/network-activations.js';
import { runCli } from '../cli/helpers.js';

const dense = (rows: number[][], biases?: number[]): DenseLayer => ({ weights: Float64Array.from(rows.flat()), biases: Float64Array.from(biases ?? rows.map(() => 0)), inputs: rows[0].length, outputs: rows.length });

/** ||M||_2 of a small matrix by 2000 power steps on M^T M (independent of the code under test). */
function opNorm(M: number[][]): number {
  const cols = M[0].length;
  let v = Array.from({ length: cols }, (_, i) => 1 + i / 7);
  for (let it = 0; it < 2000; it++) {
    const Mv = M.map((r) => r.reduce((s, x, j) => s + x * v[j], 0));
    const w = Array.from({ length: cols }, (_, j) => M.reduce((s, r, i) => s + r[j] * Mv[i], 0));
    const n = Math.hypot(...w);
    v = w.map((x) => x / n);
  }
  return Math.hypot(...M.map((r) => r.reduce((s, x, j) => s + x * v[j], 0)));
}
const matmul = (A: number[][], B: number[][]) => A.map((r) => B[0].map((_, j) => r.reduce((s, x, k) => s + x * B[k][j], 0)));

/** Re-evaluates a lower bound's witness on the network itself: the value it certifies. */
function recheck(net: MlpNetwork, e: LipEstimate): number {
  const w = e.witness;
  if (w.type === 'vector-pair') {
    const P = Float64Array.from([...w.a, ...w.b]);
    const F = net.forward(P, 2);
    const m = net.outputs;
    return Math.hypot(...Array.from({ length: m }, (_, i) => F[i] - F[m + i])) / Math.hypot(...w.a.map((x, t) => x - w.b[t]));
  }
  if (w.type === 'jacobian') {
    const J = net.jacobian(Float64Array.from(w.x));
    const d = net.d;
    return Math.hypot(...Array.from({ length: net.outputs }, (_, i) => w.v.reduce((s, v, t) => s + J[i * d + t] * v, 0)));
  }
  throw new Error(`no re-checkable witness: ${w.type}`);
}

const run = (net: MlpNetwork, domain: Domain = ball(1)) => vectorLipschitz(net, { rng: new Rng(3), domain, starts: 12, steps: 60, rounds: 3 });

describe('vector outputs: l2 -> l2 Lipschitz bounds of f: R^d -> R^m (lower <= exact <= upper on nets with known values)', () => {
  it('nonnegative relu net (exact ||W2 W1||_2): the exact interval holds the independent value; lower <= it <= upper; lower within 1%', () => {
    const W1 = [[0.5, 1, 0.2], [0.1, 0.3, 0.9], [1.2, 0, 0.4], [0.7, 0.7, 0.7]];
    const W2 = [[1, 0.5, 0, 0.2], [0.3, 0.3, 0.3, 0.3], [0, 1, 2, 0]];
    const net = mlpNetwork([dense(W1, [0.1, 0, 0.2, 0]), dense(W2, [0, 0.5, 0])], 'relu');
    const truth = opNorm(matmul(W2, W1));
    const r = run(net);
    const iv = certainInterval(r.exact!);
    expect(iv.lo).toBeLessThanOrEqual(truth);
    expect(iv.hi).toBeGreaterThanOrEqual(truth);
    expect(iv.hi - iv.lo).toBeLessThan(1e-6 * truth);
    expect(r.lower.value).toBeLessThanOrEqual(iv.hi);
    expect(r.lower.value).toBeGreaterThan(0.99 * truth);
    expect(r.upper!.value).toBeGreaterThanOrEqual(iv.lo);
    expect(recheck(net, r.lower)).toBeGreaterThanOrEqual(r.lower.value);
  });

  it('linear units with mixed signs: Lip = ||W2 W1||_2; the secant along the top singular vector certifies it to 1e-9', () => {
    const W1 = [[1, -2, 0.5], [0.3, 0.4, -1]];
    const W2 = [[2, -1], [0.5, 0.5], [-1, 3]];
    const net = mlpNetwork([dense(W1), dense(W2)], ['linear']);
    const truth = opNorm(matmul(W2, W1));
    const r = run(net, { kind: 'Rd' });
    expect(r.lower.witness.type).toBe('vector-pair');
    expect(r.lower.value).toBeLessThanOrEqual(truth * (1 + 1e-12));
    expect(r.lower.value).toBeGreaterThan(truth * (1 - 1e-9));
    expect(r.upper!.value).toBeGreaterThanOrEqual(truth);
    expect(recheck(net, r.lower)).toBeGreaterThanOrEqual(r.lower.value);
  });

  it('(relu(x1), relu(-x1)): Lip 1 although the product of norms is sqrt 2; lower is 1 up to rounding, upper >= 1', () => {
    const net = mlpNetwork([dense([[1], [-1]]), dense([[1, 0], [0, 1]])], 'relu');
    const r = run(net);
    expect(r.lower.witness.type).toBe('vector-pair');
    expect(r.lower.value).toBeLessThanOrEqual(1);
    expect(r.lower.value).toBeGreaterThan(1 - 1e-9);
    expect(r.upper!.value).toBeGreaterThanOrEqual(1);
  });

  it('f = (x1 + x2, x1 + x2): the l2 constant 2 is above every output constant (sqrt 2), so "the largest output constant" is no upper bound: the check lower <= upper catches it', () => {
    const net = mlpNetwork([dense([[1, 1]]), dense([[1], [1]])], ['linear']);
    const r = run(net);
    expect(r.lower.value).toBeGreaterThan(2 * (1 - 1e-9));
    expect(r.lower.value).toBeLessThanOrEqual(r.upper!.value);
    const perOutput = [0, 1].map((i) => lipschitz(net.head(Float64Array.from([i === 0 ? 1 : 0, i === 1 ? 1 : 0]), `output ${i}`), { rng: new Rng(1), rounds: 1 }));
    const wrongUpper = Math.max(...perOutput.map((p) => p.upper!.value));
    expect(wrongUpper).toBeCloseTo(Math.SQRT2, 9);
    expect(r.lower.value <= wrongUpper).toBe(false);
  });

  it('tanh nets: lower <= upper, witnesses re-check on f itself, and a tampered witness does not', () => {
    const rng = new Rng(8);
    const layer = (o: number, i: number) => dense(Array.from({ length: o }, () => Array.from({ length: i }, () => rng.normal() / Math.sqrt(i))), Array.from({ length: o }, () => 0.1 * rng.normal()));
    const acts: NetworkActivation[] = ['tanh', 'sigmoid'];
    const net = mlpNetwork([layer(6, 4), layer(5, 6), layer(3, 5)], acts);
    const r = run(net);
    expect(r.lower.value).toBeLessThanOrEqual(r.upper!.value);
    expect(recheck(net, r.lower)).toBeGreaterThanOrEqual(r.lower.value);
    // smooth networks are certified by a secant too (a Jacobian's norm carries unbounded rounding)
    expect(r.lower.witness.type).toBe('vector-pair');
    const w = r.lower.witness as Extract<LipEstimate['witness'], { type: 'vector-pair' }>;
    const tampered = { ...r.lower, witness: { ...w, a: w.a.map((v) => v + 0.5) } };
    expect(recheck(net, tampered)).toBeLessThan(r.lower.value);
  });

  it('secants are certified against cancellation: f = (relu(x1 + 1e16) - relu(1e16), 0) has Lip 1, its computed values jump by 2', () => {
    const net = mlpNetwork([dense([[1], [0]], [1e16, 1e16]), dense([[1, -1], [0, 0]])], 'relu');
    const x = Float64Array.from([1]);
    const F = net.forward(Float64Array.from([1 - 1e-3, 1 + 1e-3]), 2);
    // the bad input for an allowance of a few ulps of ||f||: the computed difference is 2 over a distance of 2e-3
    const raw = Math.abs(F[0] - F[2]) / 2e-3;
    expect(raw).toBeGreaterThan(100);
    const s = vectorSecant(net, { kind: 'Rd' }, x, Float64Array.from([1]), 1, 1, 'R^d');
    expect(s.value).toBeLessThanOrEqual(1);
    const r = run(net, { kind: 'Rd' });
    expect(r.lower.value).toBeLessThanOrEqual(1);
  });

  it('heads: output i and the margin f_i - f_j are the network outputs; p counts the whole network', () => {
    const rng = new Rng(2);
    const round = (v: number) => Math.fround(v);
    const layer = (o: number, i: number) => dense(Array.from({ length: o }, () => Array.from({ length: i }, () => round(rng.normal()))), Array.from({ length: o }, () => round(rng.normal())));
    const net = mlpNetwork([layer(7, 3), layer(4, 7)], 'relu');
    const X = rng.fillNormal(new Float64Array(30));
    const F = net.forward(X, 10);
    const margin = net.head(Float64Array.from([0, 1, 0, -1]), 'margin');
    const out2 = net.head(Float64Array.from([0, 0, 1, 0]), 'output 2');
    expect(Array.from(out2.predict(X, 10))).toEqual(Array.from({ length: 10 }, (_, k) => F[k * 4 + 2]));
    // the margin head's last layer is w_1 - w_3, b_1 - b_3: exact for float32 weights (so it is f_1 - f_3 as a
    // function); its evaluation rounds in another order than f_1 - f_3, within a few ulps
    const last = net.layers[1];
    const hl = margin.layers[1];
    for (let r = 0; r < 7; r++) expect(hl.weights[r] + last.weights[3 * 7 + r]).toBe(last.weights[7 + r]);
    const pm = margin.predict(X, 10);
    for (let k = 0; k < 10; k++) expect(Math.abs(pm[k] - (F[k * 4 + 1] - F[k * 4 + 3]))).toBeLessThan(1e-13 * (1 + Math.abs(F[k * 4 + 1]) + Math.abs(F[k * 4 + 3])));
    expect(margin.p).toBe(net.p);
    expect(topSingular(Float64Array.from([3, 0, 0, 4]), 2, 2).sigma).toBe(4);
  });

  it('lip --model on a classifier reports the l2 constant and each output; --margin one scalar', async () => {
    const j = JSON.parse((await runCli(['lip', '--model', 'examples/formats/classifier.onnx', '--json', '--rounds', '1'])).stdout) as { outputs: number; lower: number; upper: number; perOutput: { lower: number; upper: number }[] };
    expect(j.outputs).toBe(3);
    expect(j.lower).toBeLessThanOrEqual(j.upper);
    expect(j.perOutput).toHaveLength(3);
    // each output is a 1-Lipschitz projection of f: its lower bound cannot pass f's upper bound
    for (const p of j.perOutput) expect(p.lower).toBeLessThanOrEqual(Math.min(p.upper, j.upper));
    const m = JSON.parse((await runCli(['lip', '--model', 'examples/formats/classifier-tfjs/model.json', '--margin', '0,2', '--json', '--rounds', '1'])).stdout) as { of: string; lower: number; upper: number };
    expect(m.of).toBe('f_0 - f_2');
    expect(m.lower).toBeLessThanOrEqual(m.upper);
    const bad = await runCli(['lip', '--model', 'examples/formats/classifier.json', '--margin', '1,1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^robustlaw: --margin must be two different outputs i,j \(got "1,1"\)$/m);
  });
});
