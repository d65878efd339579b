/**
 * The independent checker (src/check/, docs/science.md, "The independent checker"): its interval arithmetic
 * against exact rational arithmetic (BigInt) with a rounding that is only to nearest caught; its re-check of
 * real `lip --model --json` results (every lower bound checked); tampered results rejected; and its
 * independence: it imports nothing from the library outside its folder, within a line budget (800).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { add, div, dotIntervals, mul, sqrt, sub, type Interval } from '../../src/check/interval.js';
import { checkLipResult } from '../../src/check/lip-record.js';
import { inDomain } from '../../src/check/domain.js';
import { cholesky } from '../../src/check/cholesky.js';
import { readNetworkFile } from '../../src/models/formats/read-network.js';
import { buildInstance } from '../../src/law/instance.js';
import { runCli } from '../cli/helpers.js';

/** x 2^1074 as an exact integer. */
function scaled(x: number): bigint {
  const f = new Float64Array([Math.abs(x)]);
  const bits = new BigUint64Array(f.buffer)[0];
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const v = exp === 0 ? frac : (frac | (1n << 52n)) << BigInt(exp - 1);
  return x < 0 ? -v : v;
}
const P = (x: number): Interval => ({ lo: x, hi: x });
/** Whether the exact x op y lies in r, decided in integers. */
function contains(op: string, x: number, y: number, r: Interval): boolean {
  const [X, Y, L, H] = [x, y, r.lo, r.hi].map(scaled);
  const S = 1n << 1074n;
  if (op === 'add') return L <= X + Y && X + Y <= H;
  if (op === 'sub') return L <= X - Y && X - Y <= H;
  if (op === 'mul') return L * S <= X * Y && X * Y <= H * S;
  if (op === 'div') return Y > 0n ? L * Y <= X * S && X * S <= H * Y : L * Y >= X * S && X * S >= H * Y;
  // sqrt(x): lo^2 <= x <= hi^2
  return L * L <= X * S && X * S <= H * H;
}
const ops: Record<string, (x: number, y: number) => Interval> = { add: (x, y) => add(P(x), P(y)), sub: (x, y) => sub(P(x), P(y)), mul: (x, y) => mul(P(x), P(y)), div: (x, y) => div(P(x), P(y)), sqrt: (x) => sqrt(P(Math.abs(x))) };
const dbl = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }), fc.integer({ min: -1000, max: 1000 }).map((v) => v / 8));

describe('interval arithmetic', () => {
  test.prop([fc.constantFrom('add', 'sub', 'mul', 'div', 'sqrt'), dbl, dbl], { numRuns: 600 })('every result contains the exact value, and is a point where the operation is exact', (op, x, y) => {
    if (op === 'div' && y === 0) return;
    const a = op === 'sqrt' ? Math.abs(x) : x;
    const r = ops[op](a, y);
    // an overflow ends in +-Infinity, which holds every larger value: checked on the finite end only
    if (!Number.isFinite(r.lo) || !Number.isFinite(r.hi)) return;
    expect(contains(op, a, y, r), `${op}(${a}, ${y}) = [${r.lo}, ${r.hi}]`).toBe(true);
    expect(r.hi >= r.lo).toBe(true);
  });
  it('exact operations stay points; inexact ones are one ulp wide', () => {
    expect(add(P(1), P(2))).toEqual({ lo: 3, hi: 3 });
    expect(mul(P(0.5), P(6))).toEqual({ lo: 3, hi: 3 });
    expect(sqrt(P(9))).toEqual({ lo: 3, hi: 3 });
    const third = div(P(1), P(3));
    expect(third.hi - third.lo).toBe(2 ** -54);
  });
  it('the known bad input: rounding to nearest without widening misses the exact value (the containment check fails)', () => {
    const nearest = (x: number, y: number): Interval => ({ lo: x / y, hi: x / y });
    expect(contains('div', 1, 3, nearest(1, 3))).toBe(false);
    expect(contains('div', 1, 3, div(P(1), P(3)))).toBe(true);
  });
  it('ball membership is decided exactly (a point 1 ulp outside the unit ball is outside)', () => {
    expect(inDomain({ kind: 'ball', radius: 1 }, [1, 0])).toBe(true);
    expect(inDomain({ kind: 'ball', radius: 1 }, [1 + 2 ** -52, 0])).toMatchObject({ refuted: expect.stringMatching(/outside/) as unknown });
    // (1/sqrt 2 rounded up)^2 * 2 > 1
    expect(inDomain({ kind: 'ball', radius: 1 }, [Math.SQRT1_2, Math.SQRT1_2])).toMatchObject({ refuted: expect.stringMatching(/outside/) as unknown });
    expect(inDomain({ kind: 'Rd' }, [1e300])).toBe(true);
  });
});

describe('checking lip --model results from their files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-check-'));
  const lip = async (args: string[]) => {
    const r = await runCli(['lip', ...args, '--json', '--rounds', '1', '--starts', '4', '--steps', '30']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };
  it('every lower bound of a relu classifier (l2 -> l2 and per output, relu-region and secant witnesses) and of a tanh/sigmoid regressor is checked', async () => {
    for (const args of [['--model', 'examples/formats/classifier.json'], ['--model', 'examples/formats/classifier.json', '--margin', '0,2'], ['--model', 'examples/formats/regressor.onnx'], ['--model', 'examples/digits-bn-classifier/model.onnx', '--output', '3']]) {
      const json = await lip(args);
      const checks = checkLipResult(json, readNetworkFile(json.model as string));
      const lowers = checks.filter((c) => c.bound === 'lower');
      expect(lowers.length).toBeGreaterThan(0);
      for (const c of lowers) expect(c.status, `${args.join(' ')}: ${c.record} ${c.detail}`).toBe('checked');
      expect(checks.some((c) => c.status === 'rejected')).toBe(false);
    }
  });
  it('tampering is rejected: a lower bound raised by 1e-9, the last layer shrunk by 1%; the CLI names the record and exits 1', async () => {
    const json = await lip(['--model', 'examples/formats/classifier.json']);
    const net = readNetworkFile('examples/formats/classifier.json');
    const raised = structuredClone(json);
    raised.lower = (json.lower as number) * (1 + 1e-9);
    expect(checkLipResult(raised, net)[0]).toMatchObject({ bound: 'lower', status: 'rejected' });
    // a witness moved out of the domain, and a relu region's pattern contradicted at its point
    const moved = structuredClone(json) as { witness: { a: number[] } };
    moved.witness.a = moved.witness.a.map((v) => v * 3);
    expect(checkLipResult(moved as unknown as typeof json, net)[0]).toMatchObject({ status: 'rejected', detail: expect.stringMatching(/outside the ball/) as unknown });
    const perOutput = json.perOutput as { witness: { region?: { pattern: string } } }[];
    const withRegion = perOutput.findIndex((r) => r.witness.region !== undefined);
    expect(withRegion).toBeGreaterThanOrEqual(0);
    const flipped = structuredClone(json) as { perOutput: { witness: { region: { pattern: string } } }[] };
    const pat = flipped.perOutput[withRegion].witness.region.pattern;
    flipped.perOutput[withRegion].witness.region.pattern = (pat[0] === '1' ? '0' : '1') + pat.slice(1);
    const lowerOf = checkLipResult(flipped as unknown as typeof json, net).find((x) => x.record === `f_${withRegion}` && x.bound === 'lower')!;
    expect(lowerOf, lowerOf.detail).toMatchObject({ status: 'rejected', detail: expect.stringMatching(/as its pattern says/) as unknown });
    // the model file with its last layer times 0.99: every witness's value falls by 1%
    const file = JSON.parse(readFileSync('examples/formats/classifier.json', 'utf8')) as { layers: { weights: number[][]; biases: number[] }[] };
    const last = file.layers[file.layers.length - 1];
    last.weights = last.weights.map((row) => row.map((v) => v * 0.99));
    const model = join(dir, 'shrunk.json');
    writeFileSync(model, JSON.stringify(file));
    const shrunk = checkLipResult(json, readNetworkFile(model));
    for (const c of shrunk.filter((x) => x.bound === 'lower')) expect(c.status, c.record).toBe('rejected');
    // through the CLI: the result file names the model as lip was given it
    const result = join(dir, 'result.json');
    writeFileSync(result, JSON.stringify({ ...json, model }));
    const r = await runCli(['check', result]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/f \(l2 -> l2\) {2}lower [0-9.e-]+ {2}rejected: the vector-pair witness gives only/);
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, JSON.stringify(json));
    const good = await runCli(['check', ok]);
    expect(good.code, good.stdout).toBe(0);
    expect(good.stdout).toMatch(/4 records: 1 checked, 0 rejected, 3 not checkable \(5 bounds and verdicts checked, 0 rejected, 3 not checkable\)/);
  });
});

describe('checking LipSDP-Neuron certificates from their data', () => {
  const lipFull = async (model: string, ...more: string[]) => {
    const r = await runCli(['lip', '--model', model, ...more, '--json', '--rounds', '1', '--starts', '4', '--steps', '30', '--backend', 'cpu']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown> & { estimates: { kind: string; value: number; witness: { data?: { rho: number; t: number[]; half: number[] } } }[] };
  };
  it('the l2 -> l2 certificate of a one-hidden-layer classifier and an output of examples/mnist-mlp are checked (nothing left unchecked there)', async () => {
    const c = await lipFull('examples/formats/classifier.json');
    const top = checkLipResult(c, readNetworkFile('examples/formats/classifier.json')).find((x) => x.bound === 'upper' && x.record === 'f (l2 -> l2)')!;
    expect(top.status, top.detail).toBe('checked');
    // one output (the whole result, 22 bounds, is checked the same way: docs/cli.md, "check")
    const m = await lipFull('examples/mnist-mlp/model.json', '--output', '3');
    const all = checkLipResult(m, readNetworkFile('examples/mnist-mlp/model.json'));
    expect(all.length).toBe(2);
    for (const x of all) expect(x.status, `${x.record} ${x.bound}: ${x.detail}`).toBe('checked');
  });
  it('tampered certificates are rejected: rho lowered, a multiplier collapsed, a slope interval narrowed, the bound lowered, the network changed', async () => {
    const json = await lipFull('examples/formats/classifier.json');
    const net = readNetworkFile('examples/formats/classifier.json');
    const upperOf = (j: typeof json) => checkLipResult(j, net).find((x) => x.bound === 'upper' && x.record === 'f (l2 -> l2)')!;
    const data = () => {
      const j = structuredClone(json);
      return { j, d: j.estimates.find((e) => e.kind === 'upper')!.witness.data! };
    };
    const a = data();
    a.d.rho *= 0.8;
    expect(upperOf(a.j).status).toBe('rejected');
    const b = data();
    b.d.t[0] *= 1e-6;
    expect(upperOf(b.j).status).toBe('rejected');
    const c = data();
    c.d.half = c.d.half.map((h) => h / 2);
    expect(upperOf(c.j)).toMatchObject({ status: 'rejected' });
    expect(upperOf(c.j).detail).toMatch(/leave the certificate's interval/);
    const lowered = structuredClone(json);
    const less = (json.upper as number) * (1 - 1e-9);
    lowered.upper = less;
    lowered.estimates.find((e) => e.kind === 'upper')!.value = less;
    expect(upperOf(lowered)).toMatchObject({ status: 'rejected' });
    expect(upperOf(lowered).detail).toMatch(/proves only/);
    // the output layer 1% larger: the certificate no longer holds for this network
    const file = JSON.parse(readFileSync('examples/formats/classifier.json', 'utf8')) as { layers: { weights: number[][] }[] };
    file.layers[1].weights = file.layers[1].weights.map((row) => row.map((v) => v * 1.01));
    const model = join(mkdtempSync(join(tmpdir(), 'rl-check-')), 'larger.json');
    writeFileSync(model, JSON.stringify(file));
    const larger = checkLipResult(json, readNetworkFile(model)).find((x) => x.bound === 'upper' && x.record === 'f (l2 -> l2)')!;
    expect(larger.status, larger.detail).toBe('rejected');
  });
});

describe('spectral-product bounds of a network from a file (the TF.js batch-normalised classifier)', () => {
  type Factor = { kind: string; norm?: number; certificate?: { rho: number } | null };
  let json: Record<string, unknown>;
  const net = () => readNetworkFile('examples/digits-bn-classifier/model.json');
  /** The spectral-product estimate of the l2 -> l2 result: its factors. */
  const factorsOf = (j: Record<string, unknown>) => ((j.estimates as { method: string; kind: string; witness: { data?: { factors: Factor[] } } }[]).find((e) => e.kind === 'upper' && e.method === 'spectral-product')!.witness.data!.factors);
  it('every bound checked: groups with weight errors (folded normalisation), pairs by their certificates', async () => {
    const r = await runCli(['lip', '--model', 'examples/digits-bn-classifier/model.json', '--json', '--backend', 'cpu', '--rounds', '1', '--starts', '2', '--steps', '20']);
    json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(json.upperMethod).toBe('spectral-product');
    expect(factorsOf(json).map((f) => f.kind)).toContain('pair');
    const checks = checkLipResult(json, net());
    expect(checks.length).toBe(22);
    for (const c of checks) expect(c.status, `${c.record} ${c.bound}: ${c.detail}`).toBe('checked');
  }, 60_000);
  it("tampered: the bound lowered, a pair certificate's rho or a group's norm halved, a factor dropped, a layer grown: rejected", () => {
    const upper = (j: Record<string, unknown>, layers = net()) => checkLipResult(j, layers)[1];
    const copy = () => JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
    const lowered = copy();
    const est = (lowered.estimates as { method: string; kind: string; value: number }[]).find((e) => e.kind === 'upper' && e.method === 'spectral-product')!;
    est.value = lowered.upper = (lowered.upper as number) * (1 - 1e-9);
    expect(upper(lowered).status).toBe('rejected');
    const pair = copy();
    const p = factorsOf(pair).find((f) => f.kind === 'pair')!;
    p.certificate!.rho *= 0.8;
    expect(upper(pair).status).toBe('rejected');
    const dropped = copy();
    factorsOf(dropped).pop();
    expect(upper(dropped).status).toBe('rejected');
    const grown = net();
    const last = grown.layers[grown.layers.length - 1];
    last.weights.forEach((v, i) => (last.weights[i] = v * 1.01));
    expect(upper(json, grown).status).toBe('rejected');
    // the pair's groups carry the folded normalisation's errors, so their stated norms are proven: one halved
    const norms = copy();
    const q = factorsOf(norms).find((f) => f.kind === 'pair') as unknown as { norms: number[] };
    q.norms[0] *= 0.5;
    expect(upper(norms).status).toBe('rejected');
  });
});

describe('residual blocks inside a spectral product (a PyTorch export with two residual blocks)', () => {
  const file = 'test/fixtures/torch-residual-mlp.onnx';
  it('1 + Lip(F) with the branch re-proven: every bound checked; a branch grown 5% in the file is rejected', async () => {
    const r = await runCli(['lip', '--model', file, '--json', '--backend', 'cpu', '--rounds', '1', '--starts', '2', '--steps', '20']);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    const est = (json.estimates as { kind: string; method: string; witness: { data?: { factors: { kind: string }[] } } }[]).find((e) => e.kind === 'upper' && e.method === 'spectral-product')!;
    expect(est.witness.data!.factors.filter((f) => f.kind === 'block').length).toBeGreaterThanOrEqual(1);
    for (const c of checkLipResult(json, readNetworkFile(file))) expect(c.status, `${c.record} ${c.bound}: ${c.detail}`).toBe('checked');
    // the blocks' branches as the reader gives them, each weight grown 5%: the reported bounds no longer hold
    const grown = readNetworkFile(file);
    for (const L of grown.layers) for (const B of L.block?.branch?.layers ?? []) B.weights.forEach((v, i) => (B.weights[i] = v * 1.05));
    expect(checkLipResult(json, grown)[1].status).toBe('rejected');
  });
});

describe('LipSDP certificates of several hidden layers', () => {
  type Deep = { kind: string; e: number[]; rho: number; t: number[]; mid: number[][] };
  const deepOf = (j: Record<string, unknown>) => (j.estimates as { kind: string; method: string; value: number; witness: { data?: Deep } }[]).find((e) => e.kind === 'upper' && e.method === 'lipsdp-neuron' && e.value === j.upper)!.witness.data!;
  const results: { file: string; json: Record<string, unknown> }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'rl-deep-'));
  it('the tanh/sigmoid regressor (examples/formats) and a relu net scaled by powers of two: checked', async () => {
    // a relu net of two hidden layers whose weights are far from 1 (the certificate scales them by 2^-e_l)
    const rnd = (i: number) => Math.sin(1e4 * i) * 2;
    const layer = (out: number, inp: number, s: number, o: number) => ({ weights: Array.from({ length: out }, (_, r) => Array.from({ length: inp }, (_, c) => s * rnd(o + r * inp + c))), biases: Array.from({ length: out }, (_, r) => 0.1 * s * rnd(o + 5000 + r)) });
    // 80 hidden units: past the branch and bound's budget, so the plain certificate bounds it
    const relu = join(dir, 'deep-relu.json');
    writeFileSync(relu, JSON.stringify({ format: 'robustlaw-mlp/1', activation: 'relu', layers: [layer(40, 3, 8, 0), layer(40, 40, 0.05, 1000), layer(1, 40, 300, 3000)] }));
    for (const file of ['examples/formats/regressor.onnx', relu]) {
      const r = await runCli(['lip', '--model', file, '--json', '--backend', 'cpu', '--rounds', '1', '--starts', '2', '--steps', '20']);
      const json = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(deepOf(json).kind).toBe('lipsdp-deep');
      for (const c of checkLipResult(json, readNetworkFile(file))) expect(c.status, `${file} ${c.bound}: ${c.detail}`).toBe('checked');
      results.push({ file, json });
    }
    expect(deepOf(results[1].json).e.some((v) => v !== 0)).toBe(true);
  }, 60_000);
  it('tampered: rho x 0.8, the multipliers halved, a slope interval moved, a weight grown: rejected or not checked', () => {
    for (const { file, json } of results) {
      const upper = (mut: (d: Deep) => void, net = readNetworkFile(file)) => {
        const j = JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
        mut(deepOf(j));
        return checkLipResult(j, net)[1].status;
      };
      expect(upper((d) => (d.rho *= 0.8))).toBe('rejected');
      expect(upper((d) => (d.t = d.t.map((v) => v / 2)))).toBe('rejected');
      expect(upper((d) => (d.mid[0] = d.mid[0].map((v) => v + 0.5)))).not.toBe('checked');
      const grown = readNetworkFile(file);
      grown.layers[0].weights.forEach((v, i) => (grown.layers[0].weights[i] = v * 1.05));
      expect(upper(() => undefined, grown)).not.toBe('checked');
    }
  });
});

describe('the exact value of a nonnegative relu network (examples/net.json)', () => {
  it('is checked from the weights (lower and upper), a raised bound is rejected, a negative weight leaves it not checkable', async () => {
    const r = await runCli(['lip', '--model', 'examples/net.json', '--json', '--backend', 'cpu']);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(json.upperMethod).toBe('nonnegative-all-active');
    const net = readNetworkFile('examples/net.json');
    for (const c of checkLipResult(json, net)) expect(c.status, c.detail).toBe('checked');
    const raised = checkLipResult({ ...json, lower: (json.lower as number) * (1 + 1e-9), upper: (json.upper as number) * (1 - 1e-9) }, net);
    expect(raised.map((c) => c.status)).toEqual(['rejected', 'rejected']);
    const negative = { ...net, layers: [{ ...net.layers[0], weights: Float64Array.of(0.6, -0.8) }, net.layers[1]] };
    for (const c of checkLipResult(json, negative)) expect(c.status).not.toBe('checked');
  });
});

describe('fitted models saved by fit --save, bounded by lip --model and checked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-save-'));
  it.each([
    ['random-features', 'relu'],
    ['random-features', 'tanh'],
    ['two-layer', 'relu'],
  ])('%s (%s): the saved network computes the fit, and every bound of its lip result is checked', async (cls, act) => {
    const file = join(dir, `${cls}-${act}.json`);
    // 80 units: past the branch and bound's 64 (whose bounds are not checkable yet), so the plain LipSDP certificate
    const fit = await runCli(['fit', '--class', cls, '--activation', act, '--n', '30', '--d', '4', '--k', '80', '--save', file, '--json']);
    expect(fit.code, fit.stderr).toBe(0);
    const r = await runCli(['lip', '--model', file, '--json', '--rounds', '1', '--starts', '4', '--steps', '30', '--backend', 'cpu']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    const checks = checkLipResult(json, readNetworkFile(file));
    for (const c of checks) expect(c.status, `${c.bound}: ${c.detail}`).toBe('checked');
    // the file holds the fitted numbers: the network computes the fitted model at its data (to rounding)
    const inst = buildInstance({ className: cls as 'random-features', dist: 'sphere', labels: 'signs', n: 30, d: 4, seed: 1, modelOptions: { k: 80, activation: act as 'relu' } });
    const want = inst.fit.model.predict(inst.X, 30);
    const got = readNetworkFile(file).forward(inst.X, 30);
    want.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))));
  });
  it('refuses a class or activation that is no network file, and a missing folder, before fitting (exit 2, naming --save)', async () => {
    for (const args of [['--class', 'bumps'], ['--class', 'random-features', '--activation', 'square'], ['--class', 'random-features']]) {
      const save = args.length === 2 && args[1] === 'random-features' ? join(dir, 'no', 'x.json') : join(dir, 'x.json');
      const r = await runCli(['fit', ...args, '--n', '10', '--d', '3', '--save', save]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^robustlaw: --save must be/);
    }
    expect(readdirSync(dir).includes('x.json')).toBe(false);
  });
});

describe('dot products in midpoint-radius form (Dot2 for the midpoints)', () => {
  /** Whether the exact sum_i a_i b_i (any a_i in c_i) lies in r: checked at the ends of each c_i, in integers. */
  const inside = (c: Interval[], w: number[], r: Interval) => {
    const S = 1n << 1074n;
    let lo = 0n;
    let hi = 0n;
    c.forEach((ci, i) => {
      const [x, y] = [scaled(ci.lo) * scaled(w[i]), scaled(ci.hi) * scaled(w[i])];
      lo += x < y ? x : y;
      hi += x < y ? y : x;
    });
    return scaled(r.lo) * S <= lo && hi <= scaled(r.hi) * S;
  };
  // numbers in the transformations' range (tiny and subnormal ones take the operation-by-operation path, tested above)
  const num = fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 1e-100);
  const terms = fc.array(fc.tuple(num, num, fc.double({ min: 0, max: 1e-6, noNaN: true })), { minLength: 1, maxLength: 40 });
  test.prop([terms])('encloses the exact dot product, and under cancellation is far tighter than the terms', (t) => {
    // a cancelling copy: each term and its negative plus one small term
    const c = [...t.map(([a, , r]) => ({ lo: a - r, hi: a + r })), ...t.map(([a]) => ({ lo: a, hi: a }))];
    const w = [...t.map(([, b]) => b), ...t.map(([, b]) => -b)];
    const r = dotIntervals(c.length, (i) => c[i], (i) => w[i]);
    expect(inside(c, w, r)).toBe(true);
    // the inputs' own radii (a + r and a - r as doubles: at least half an ulp of a when r is smaller)
    const radius = c.reduce((s, ci, i) => s + ((ci.hi - ci.lo) / 2) * Math.abs(w[i]), 0);
    // the radii, 4 u |result|, 4 gamma_n^2 sum |a b| and the 2^-1000 n floor, with room for their own rounding
    const big = t.reduce((s, [a, b]) => s + Math.abs(a * b), 0) * 2;
    const g = c.length * 2 ** -53;
    expect(r.hi - r.lo).toBeLessThanOrEqual((2 * radius + 8 * 2 ** -53 * Math.max(Math.abs(r.lo), Math.abs(r.hi)) + 8 * g * g * big) * (1 + 1e-6) + 1e-290);
  });
  it('plain f64 summation would not enclose it: the compensation matters', () => {
    const c = [1e16, 1, -1e16].map((x) => ({ lo: x, hi: x }));
    const w = [1, 1, 1];
    expect(c.reduce((s, ci, i) => s + ci.lo * w[i], 0)).toBe(0);
    const r = dotIntervals(3, (i) => c[i], (i) => w[i]);
    expect(r.lo <= 1 && 1 <= r.hi && r.hi - r.lo < 1e-10).toBe(true);
  });
});

/** Q diag(lambda) Q^T for a random orthogonal Q (Gram-Schmidt of seeded columns), as point intervals (lower triangle). */
function withEigenvalues(lambda: readonly number[], seed: number, radius = 0): Interval[][] {
  const n = lambda.length;
  let x = seed || 1;
  const rand = () => ((x = (x * 48271) % 2147483647) / 2147483647) * 2 - 1;
  const Q: number[][] = [];
  for (let c = 0; c < n; c++) {
    const v = Array.from({ length: n }, rand);
    for (const q of Q) {
      const dot = q.reduce((s, qi, i) => s + qi * v[i], 0);
      q.forEach((qi, i) => (v[i] -= dot * qi));
    }
    const nv = Math.hypot(...v);
    Q.push(v.map((vi) => vi / nv));
  }
  return Array.from({ length: n }, (_, i) => Array.from({ length: i + 1 }, (_, j) => {
    const m = lambda.reduce((s, l, c) => s + l * Q[c][i] * Q[c][j], 0);
    return { lo: m - radius, hi: m + radius };
  }));
}

describe('the matrix inequalities: positive semidefiniteness proven, never for an indefinite matrix', () => {
  test.prop([fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true })])('a margin of 1e-6 is proven; -1e-12 (or a radius past the margin) never is', (n, seed, scale) => {
    const spread = Array.from({ length: n }, (_, i) => scale * (1 + i));
    expect(cholesky(withEigenvalues([1e-6 * scale, ...spread.slice(1)], seed))).toBe(true);
    expect(cholesky(withEigenvalues([-1e-12 * scale, ...spread.slice(1)], seed))).not.toBe(true);
    // every matrix within 1e-5 scale of a margin-1e-6 one: some are indefinite
    expect(cholesky(withEigenvalues([1e-6 * scale, ...spread.slice(1)], seed, 1e-5 * scale))).not.toBe(true);
  });
  it('a certainly negative pivot refutes', () => {
    expect(cholesky(withEigenvalues([-1, 2, 3], 7))).toMatchObject({ refuted: expect.stringMatching(/pivot/) as unknown });
  });
});

describe('independence', () => {
  // every file of the folder, its models/ included
  const files = (readdirSync('src/check', { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  it('src/check imports nothing outside its folder (no estimator, model, linear algebra or backend code)', () => {
    expect(files.filter((f) => f.startsWith('models')).length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join('src/check', f), 'utf8');
      const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
      // within src/check: ./x from the folder, ./x or ../x from models/ (never ../../)
      for (const i of imports) expect(i.startsWith('./') || (f.startsWith('models') && i.startsWith('../') && !i.startsWith('../../')), `${f} imports ${i}`).toBe(true);
    }
  });
  it('is small enough to read in about an hour: at most 2,000 lines', () => {
    const lines = files.reduce((n, f) => n + readFileSync(join('src/check', f), 'utf8').split('\n').length, 0);
    expect(lines).toBeLessThanOrEqual(2000);
  });
});
