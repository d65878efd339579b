/**
 * `robustlaw check` on run directories written with --certificates (docs/science.md section 11): every record
 * of a real run of each checkable class checked (lower bound, upper bound, law verdict), and tamper evidence as
 * a mutation property over those records: a reported bound moved, the model's output weights scaled down or
 * up, a witness moved out of the domain, a certificate's multiplier changed or the verdict flipped each make
 * the checker reject that record, naming the field; through the CLI, exit 1 naming the record.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRecord, parseCertificate } from '../../src/check/record.js';
import { checkedActivation } from '../../src/check/activations.js';
import { runCli } from '../cli/helpers.js';

type Obj = Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'rl-records-'));
/** The runs: every class and activation whose bounds the checker re-verifies. */
const RUNS: readonly (readonly string[])[] = [
  ['--class', 'random-features,ntk-features', '--activation', 'cos,square,tanh,relu', '--p', '60,150'],
  ['--class', 'two-layer', '--activation', 'relu,tanh', '--p', '60'],
  ['--class', 'bumps,gaussian-kernel,linear', '--profile', 'hat,c1', '--p', '60'],
  // degree 2 in d = 5: 21 monomials (< n, explicit); degree 3: 56 (kernel form)
  ['--class', 'polynomial', '--degree', '2,3'],
  ['--class', 'atom-bumps', '--dist', 'clusters'],
  // (k + 1) d^2 past the fitted models' LipSDP budget: the two-layer spectral bound
  ['--class', 'random-features', '--activation', 'relu', '--p', '12000', '--d', '30'],
];
const records: { run: string; record: Obj; cert: Obj }[] = [];

beforeAll(async () => {
  for (const [i, args] of RUNS.entries()) {
    const out = join(dir, `run${i}`);
    const r = await runCli(['sweep', ...args, '--n', '30', ...(args.includes('--d') ? [] : ['--d', '5']), '--seeds', '1', '--starts', '2', '--steps', '20', '--out', out, '--certificates', '--no-report']);
    expect(r.code, r.stderr).toBe(0);
    for (const line of readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n')) {
      const record = JSON.parse(line) as Obj;
      records.push({ run: out, record, cert: parseCertificate(readFileSync(join(out, record.certificate as string), 'utf8')) as Obj });
    }
  }
}, 120_000);

/** A deep copy (the certificate's arrays stay base64 strings). */
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
/** An `{ f64 }` array with every number multiplied by c. */
function scaledF64(v: { f64: string }, c: number): { f64: string } {
  const b = Buffer.from(v.f64, 'base64');
  for (let i = 0; i < b.length; i += 8) b.writeDoubleLE(b.readDoubleLE(i) * c, i);
  return { f64: b.toString('base64') };
}
/** Sets the first number of an `{ f64 }` array obj[key] to x. */
function setFirst(obj: Obj, key: string, x: number): void {
  const b = Buffer.from((obj[key] as { f64: string }).f64, 'base64');
  b.writeDoubleLE(x, 0);
  obj[key] = { f64: b.toString('base64') };
}
/** The model's output-side numbers (f is linear in them): the last layer, Theta, alpha, heights, w and b. */
function scaleOutput(model: Obj, c: number): void {
  const kind = model.kind;
  if (kind === 'network') {
    const layers = model.layers as Obj[];
    const last = layers[layers.length - 1];
    last.weights = scaledF64(last.weights as { f64: string }, c);
    last.biases = scaledF64(last.biases as { f64: string }, c);
  } else if (kind === 'ntk-features') model.Theta = scaledF64(model.Theta as { f64: string }, c);
  else if (kind === 'gaussian-kernel') model.alpha = scaledF64(model.alpha as { f64: string }, c);
  else if (kind === 'bumps') model.heights = scaledF64(model.heights as { f64: string }, c);
  else if (kind === 'polynomial') model.coefficients = scaledF64(model.coefficients as { f64: string }, c);
  else {
    model.w = scaledF64(model.w as { f64: string }, c);
    model.b = (model.b as number) * c;
  }
}

interface Mutation {
  readonly name: string;
  /** The field the rejection must name: lower, upper or verdict. */
  readonly field: 'lower' | 'upper' | 'verdict';
  readonly applies: (r: Obj, c: Obj) => boolean;
  readonly apply: (r: Obj, c: Obj) => void;
}
const witness = (e: unknown) => (e as { witness: Obj }).witness;
const terms = (e: unknown) => witness(e).terms as Obj;
const MUTATIONS: readonly Mutation[] = [
  { name: 'lower bound raised by 1e-6', field: 'lower', applies: (r) => (r.lower as number) > 0, apply: (r) => (r.lower = (r.lower as number) * (1 + 1e-6)) },
  { name: 'upper bound lowered by 1e-6', field: 'upper', applies: (r) => typeof r.upper === 'number', apply: (r) => (r.upper = (r.upper as number) * (1 - 1e-6)) },
  { name: 'output weights x 0.99', field: 'lower', applies: (r) => (r.lower as number) > 0, apply: (_r, c) => scaleOutput(c.model as Obj, 0.99) },
  { name: 'output weights x 1.01', field: 'upper', applies: (r) => typeof r.upper === 'number', apply: (_r, c) => scaleOutput(c.model as Obj, 1.01) },
  {
    name: 'pair witness moved out of the ball',
    field: 'lower',
    applies: (r, c) => witness(c.lower).type === 'pair' && !String(r.lowerMethod).startsWith('exact'),
    apply: (_r, c) => ((witness(c.lower).a as number[])[0] = 2 * ((c.domain as Obj).radius as number)),
  },
  {
    name: "trust-region point moved out of the ball",
    field: 'lower',
    applies: (r) => r.upperMethod === 'quadratic-trust-region',
    apply: (_r, c) => (((witness(c.exact).data as Obj).x as number[])[0] = 2 * ((c.domain as Obj).radius as number)),
  },
  { name: 'LipSDP rho x 0.8', field: 'upper', applies: (r) => r.upperMethod === 'lipsdp-neuron', apply: (_r, c) => ((witness(c.upper).data as Obj).rho = ((witness(c.upper).data as Obj).rho as number) * 0.8) },
  { name: 'LipSDP multipliers x 0.5', field: 'upper', applies: (r, c) => r.upperMethod === 'lipsdp-neuron' && ((witness(c.upper).data as Obj).t as number[]).length > 0, apply: (_r, c) => ((witness(c.upper).data as Obj).t = ((witness(c.upper).data as Obj).t as number[]).map((v) => v * 0.5)) },
  { name: 'dual V x 0.9', field: 'upper', applies: (r) => r.upperMethod === 'quadratic-trust-region', apply: (_r, c) => (terms(c.upper).V = (terms(c.upper).V as number) * 0.9) },
  { name: 'spectral norm of W x 0.5', field: 'upper', applies: (r) => r.upperMethod === 'ntk-spectral', apply: (_r, c) => (terms(c.upper).normW = (terms(c.upper).normW as number) * 0.5) },
  { name: 'spectral norm of the first layer x 0.5', field: 'upper', applies: (r) => r.upperMethod === 'two-layer-spectral', apply: (_r, c) => (terms(c.upper).opNormW = (terms(c.upper).opNormW as number) * 0.5) },
  { name: "another record's certificate", field: 'upper', applies: () => true, apply: (_r, c) => (c.record = 'another record') },
  { name: 'verdict flipped', field: 'verdict', applies: (r) => r.lawVerdict === 'holds', apply: (r) => (r.lawVerdict = 'counterexample') },
  {
    name: 'a training point moved out of the domain',
    field: 'verdict',
    applies: (r) => r.lawVerdict !== 'not-applicable',
    apply: (_r, c) => setFirst(c.data as Obj, 'X', 2 * ((c.domain as Obj).radius as number)),
  },
];

describe('robustlaw check on runs written with --certificates', () => {
  it('checks every record of every class and activation: lower, upper and verdict', () => {
    expect(records.length).toBeGreaterThanOrEqual(20);
    const forms = new Set(records.map((r) => (r.cert.model as Obj | null)?.form).filter((f) => f !== undefined));
    expect([...forms].sort()).toEqual(['kernel', 'monomials']);
    for (const { record, cert } of records) {
      for (const c of checkRecord(record, cert)) expect(c.status, `${c.record} ${c.bound}: ${c.detail}`).toBe('checked');
    }
    const methods = new Set(records.map((r) => `${String(r.record.upperMethod)}`));
    for (const m of ['lipsdp-neuron', 'two-layer-spectral', 'ntk-spectral', 'quadratic-trust-region', 'bumps-disjoint', 'kernel-sum', 'linear-norm', 'polynomial-frobenius']) expect([...methods]).toContain(m);
  });

  test.prop([fc.nat(), fc.nat()], { numRuns: 60 })('tamper evidence: a mutated record or certificate is rejected, naming the field', (a, b) => {
    const pairs = records.flatMap((r, i) => MUTATIONS.filter((m) => m.applies(r.record, r.cert)).map((m) => [i, m] as const));
    const [i, m] = pairs[(a * 7919 + b) % pairs.length];
    const record = copy(records[i].record);
    const cert = copy(records[i].cert);
    m.apply(record, cert);
    const checks = checkRecord(record, cert);
    const hit = checks.find((c) => c.bound === m.field);
    expect(hit?.status, `${String(record.id)}, ${m.name}: ${JSON.stringify(checks)}`).toBe('rejected');
  });

  it('every mutation applies to some record (none is vacuous), and every pair of record and mutation is rejected', () => {
    for (const m of MUTATIONS) expect(records.some((r) => m.applies(r.record, r.cert)), m.name).toBe(true);
    for (const { record: r0, cert: c0 } of records)
      for (const m of MUTATIONS.filter((x) => x.applies(r0, c0))) {
        const [record, cert] = [copy(r0), copy(c0)];
        m.apply(record, cert);
        const hit = checkRecord(record, cert).find((c) => c.bound === m.field);
        expect(hit?.status, `${String(record.id)}, ${m.name}: ${hit?.detail}`).toBe('rejected');
      }
  });

  it('through the CLI: a run checks with exit 0; a tampered certificate file exits 1 naming the record and field; a record without one is not checkable', async () => {
    const ok = await runCli(['check', join(dir, 'run2')]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/^(\d+) records: \1 checked, 0 rejected, 0 not checkable/m);
    const bad = join(dir, 'tampered');
    cpSync(join(dir, 'run2'), bad, { recursive: true });
    const file = readdirSync(join(bad, 'certificates'))[0];
    const cert = JSON.parse(readFileSync(join(bad, 'certificates', file), 'utf8')) as Obj;
    scaleOutput(cert.model as Obj, 1.01);
    writeFileSync(join(bad, 'certificates', file), JSON.stringify(cert));
    const r = await runCli(['check', bad]);
    expect(r.code).toBe(1);
    const id = String((JSON.parse(readFileSync(join(bad, 'results.jsonl'), 'utf8').split('\n')[0]) as Obj).id);
    expect(r.stdout).toContain(`${id}  upper`);
    expect(r.stdout).toMatch(/ rejected: /);
    writeFileSync(join(bad, 'results.jsonl'), `${readFileSync(join(bad, 'results.jsonl'), 'utf8').split('\n').map((l) => l.replace(/,"certificate":"[^"]*"/, '')).join('\n')}`);
    const none = await runCli(['check', bad]);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/not checkable: the record has no certificate \(run with --certificates\)/);
  });
});

describe('the checker activations of record models', () => {
  test.prop([fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 0, max: 8, noNaN: true })])('cos, its slope -sin and curvature -cos enclose sampled values on every interval (extrema inside included)', (lo, w) => {
    const s = checkedActivation('cos')!;
    const z = { lo, hi: lo + w };
    const [v, sl, cv] = [s.value(z)!, s.slope(z)!, s.curvatures!(z)];
    for (let q = 0; q <= 64; q++) {
      const t = z.lo + ((z.hi - z.lo) * q) / 64;
      expect(Math.cos(t)).toBeGreaterThanOrEqual(v.lo);
      expect(Math.cos(t)).toBeLessThanOrEqual(v.hi);
      expect(-Math.sin(t)).toBeGreaterThanOrEqual(sl.lo);
      expect(-Math.sin(t)).toBeLessThanOrEqual(sl.hi);
      expect(-Math.cos(t)).toBeGreaterThanOrEqual(cv.lo);
    }
  });
  it('an interval around pi reaches -1, around pi/2 the slope reaches -1: the extrema are not only the ends', () => {
    const s = checkedActivation('cos')!;
    expect(s.value({ lo: 3, hi: 3.3 })!.lo).toBe(-1);
    expect(s.slope({ lo: 1.5, hi: 1.7 })!.lo).toBe(-1);
    // tanh's curvature peaks inside [0.5, 0.8] at -4 / (3 sqrt 3)
    expect(checkedActivation('tanh')!.curvatures!({ lo: 0.5, hi: 0.8 }).lo).toBeLessThanOrEqual(-4 / (3 * Math.sqrt(3)));
  });
});

describe('a search counterexample written with --certificates', () => {
  it('re-checks the minimal instance: its bounds and its counterexample verdict; a flipped verdict is rejected; --certificates without files is refused', async () => {
    const out = join(dir, 'search');
    const r = await runCli(['search', '--regime', 'noiseless', '--budget', '20', '--out', out, '--certificates']);
    expect(r.code, r.stderr).toBe(0);
    const file = join(out, 'noiseless.json');
    const ok = await runCli(['check', file, '--verbose']);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/verdict - {2}checked: counterexample/);
    expect(ok.stdout).toMatch(/^1 records: 1 checked/m);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { record: Obj };
    doc.record.lawVerdict = 'holds';
    writeFileSync(file, JSON.stringify(doc));
    const bad = await runCli(['check', file]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/verdict - {2}rejected: the checked bounds give counterexample, the record says holds/);
    const refused = await runCli(['search', '--regime', 'noiseless', '--budget', '5', '--no-write', '--certificates']);
    expect(refused.code).toBe(2);
  }, 60_000);
});

describe('check-model --json with its certificate inline', () => {
  it('a network of one output on its data: lower, upper (LipSDP of two hidden layers) and verdict checked; a flipped verdict rejected', async () => {
    const r = await runCli(['check-model', '--model', 'examples/formats/regressor.onnx', '--data', 'examples/formats/regressor-data.csv', '--json', '--backend', 'cpu', '--rounds', '1', '--starts', '4', '--steps', '30']);
    expect(r.code, r.stderr).toBe(0);
    const file = join(dir, 'check-model.json');
    writeFileSync(file, r.stdout);
    const ok = await runCli(['check', file]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/^1 records: 1 checked, 0 rejected, 0 not checkable \(3 bounds/m);
    const doc = JSON.parse(r.stdout) as { record: Obj };
    doc.record.lawVerdict = doc.record.lawVerdict === 'holds' ? 'counterexample' : 'holds';
    writeFileSync(file, JSON.stringify(doc));
    expect((await runCli(['check', file])).code).toBe(1);
  }, 60_000);
});
