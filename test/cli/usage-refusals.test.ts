/**
 * Usage the CLI refuses, and the smaller things a user meets: no command, the same directory merged twice,
 * empty lists, labels and noise out of range, bad and huge numbers, stray arguments, effort caps, files that
 * are not what a flag takes; flags that do not apply are refused naming the flag and why. Each case runs in
 * this process through main(), with stdout and stderr captured.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';
import { parseList, parseNumber } from '../../src/cli/parse.js';

const NET = fileURLToPath(new URL('../../examples/net.json', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'robustlaw-s6-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (argv: string[]) => runCli(argv);

describe('flags that do not apply are refused, naming the flag and why', () => {
  const data = join(tmp, 'data.json');
  writeFileSync(data, JSON.stringify({ X: [[1, 0], [0, 1]], y: [1, -1] }));
  it.each([
    [['lip', '--model', NET, '--class', 'bumps', '--n', '5'], '--class does not apply with --model (the network is loaded from the file, not fitted to drawn data)'],
    [['lip', '--model', NET, '--n', '5'], '--n does not apply with --model (the network is loaded from the file, not fitted to drawn data)'],
    [['lip', '--model', NET, '--domain', 'Rd', '--radius', '2'], '--radius does not apply with --domain Rd (the whole space has no radius)'],
    [['fit', '--class', 'bumps', '--activation', 'cos'], '--activation does not apply to --class bumps (it reads --profile, --radius-factor)'],
    [['fit', '--class', 'linear', '--k', '10'], '--k does not apply to --class linear (it reads --ridge)'],
    [['fit', '--class', 'two-layer', '--ridge', '0.1'], '--ridge does not apply to --class two-layer (it reads --k, --activation, --penalty, --max-iter, --target-mse, --lr)'],
    [['fit', '--labels', 'signs', '--eta', '0.1'], '--eta does not apply to --labels signs (only --labels flips reads it)'],
    [['fit', '--dist', 'sphere', '--m', '3'], '--m does not apply to --dist sphere (only --dist subspace reads it)'],
    [['check-model', '--model', NET, '--data', data, '--labels', 'flips'], '--labels does not apply with --data (the data and its labels come from the file)'],
    [['check-model', '--model', NET, '--dist', 'sphere', '--noise', '0.2'], '--noise does not apply to --labels signs (only --labels additive reads it)'],
    [['sweep', '--class', 'linear', '--n', '8', '--d', '2', '--eta', '0.1', '--print-spec'], '--eta does not apply to --labels signs (only --labels flips reads it)'],
    [['sweep', '--class', 'bumps', '--n', '8', '--d', '2', '--activation', 'relu', '--print-spec'], '--activation does not apply to --class bumps (no class of the grid reads it)'],
    [['sweep', '--no-report', '--bench', 'b.json', '--print-spec'], '--bench does not apply with --no-report (the bars are drawn in the report)'],
    [['verify', '--replace'], '--replace does not apply without --out (nothing is written)'],
    [['search', '--regime', 'noiseless', '--no-write', '--out', 'x'], '--out does not apply with --no-write (nothing is written)'],
  ])('%j', async (argv, line) => {
    const r = await run(argv);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `robustlaw: ${line}\n` });
  });

  it('defaults do not count as given (a flag left at its default is never refused)', async () => {
    const r = await run(['fit', '--class', 'linear', '--n', '8', '--d', '2', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ class: 'linear', n: 8, d: 2 });
  });

  it('a flag the class reads is accepted', async () => {
    const r = await run(['fit', '--class', 'linear', '--ridge', '0.1', '--labels', 'flips', '--eta', '0.1', '--n', '8', '--d', '2', '--json']);
    expect(r.code).toBe(0);
  });
});

describe('no command, merge, bench, labels, noise and numbers', () => {
  it('robustlaw with no command prints the usage on stderr and exits 2', async () => {
    for (const argv of [[], ['--debug']]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^Usage: robustlaw \[options\] \[command\]/);
      expect(r.stderr).toContain('check-model');
    }
  });

  it('robustlaw --help still prints the usage and exits 0', async () => {
    expect((await run(['--help'])).code).toBe(0);
  });

  it('merge sw1 sw1 (the same directory twice, however spelled) is refused', async () => {
    const sw = join(tmp, 'sw1');
    mkdirSync(sw, { recursive: true });
    for (const second of [sw, `${sw}/`, join(sw, '..', 'sw1')]) {
      const r = await run(['merge', sw, second, '--out', join(tmp, 'merged')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`robustlaw: <dirs...> must be distinct shard directories (got ${JSON.stringify(second)} as item 2, the same directory as item 1)\n`);
    }
  });

  it("bench --backend '' and --kernel '' are refused before any work", async () => {
    expect(await run(['bench', '--backend', '', '--out', join(tmp, 'b')])).toEqual({ code: 2, stdout: '', stderr: 'robustlaw: --backend must list at least one name, comma-separated (got "")\n' });
    expect((await run(['bench', '--kernel', ' , ', '--out', join(tmp, 'b')])).stderr).toBe('robustlaw: --kernel must list at least one name, comma-separated (got " , ")\n');
    expect(() => parseList(',')).toThrow(/at least one name/);
  });

  it('--data labels outside [-1, 1] are refused naming the key', async () => {
    const big = join(tmp, 'big.json');
    writeFileSync(big, JSON.stringify({ X: [[1, 0], [0, 1]], y: [0.5, 1e6] }));
    const r = await run(['check-model', '--model', NET, '--data', big]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `robustlaw: --data ${big} (key y[2]) must be a label in [-1, 1] (the law is stated for labels in [-1, 1]) (got 1000000)\n` });
  });

  it('--noise -1 is refused with --noise\'s own range', async () => {
    for (const v of ['-1', '0', '1', '2']) {
      const r = await run(['fit', '--labels', 'additive', '--noise', v, '--n', '8', '--d', '2']);
      expect(r.stderr).toBe(`robustlaw: --noise must be in (0, 1) (got ${v})\n`);
    }
  });

  it('a bad number names the flag and the range it takes', async () => {
    expect((await run(['fit', '--n', 'abc'])).stderr).toBe('robustlaw: --n must be a decimal number such as 3, 0.5 or 6e4 (got "abc"); --n takes an integer >= 1\n');
    expect((await run(['fit', '--n', '1e400'])).stderr).toBe('robustlaw: --n must be a finite number; "1e400" is beyond the largest double (1.8e308); --n takes an integer >= 1\n');
    expect((await run(['fit', '--labels', 'flips', '--eta', '0x10'])).stderr).toBe('robustlaw: --eta must be a decimal number such as 3, 0.5 or 6e4 (got "0x10"); --eta takes a number in [0, 1]\n');
    expect((await run(['bound', '--n', '1', '--d', '1', '--p', '1', '--eps', 'NaN'])).stderr).toBe('robustlaw: --eps must be a decimal number such as 3, 0.5 or 6e4 (got "NaN"); --eps takes a number in (0, 1)\n');
    expect(() => parseNumber('Infinity')).toThrow(/decimal number/);
    expect(parseNumber('-0')).toBe(-0);
  });

  it('a huge value is cut short in the one line', async () => {
    const r = await run(['fit', '--n', 'x'.repeat(1_000_000)]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr.length).toBeLessThan(600);
  });

  it('a stray argument names the command and --help', async () => {
    const r = await run(['fit', 'extra']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^robustlaw: fit takes no such argument \(too many arguments for 'fit'.*see --help\)\n$/);
  });

  it('the effort flags have caps (no runaway)', async () => {
    expect((await run(['check-model', '--model', NET, '--dist', 'sphere', '--steps', '1e9'])).stderr).toBe('robustlaw: --steps must be an integer in [0, 100000] (got 1000000000)\n');
    expect((await run(['lip', '--starts', '1e9'])).stderr).toBe('robustlaw: --starts must be an integer in [1, 10000] (got 1000000000)\n');
    expect((await run(['lip', '--fresh', '1e9'])).stderr).toBe('robustlaw: --fresh must be an integer in [0, 1000000] (got 1000000000)\n');
    expect((await run(['bench', '--iterations', '1e9', '--out', join(tmp, 'b')])).stderr).toBe('robustlaw: --iterations must be an integer in [1, 1000] (got 1000000000)\n');
    expect((await run(['search', '--regime', 'noiseless', '--budget', '1e9', '--no-write'])).stderr).toBe('robustlaw: --budget must be an integer in [1, 100000] (got 1000000000)\n');
    expect((await run(['fit', '--class', 'two-layer', '--max-iter', '1e9'])).stderr).toBe('robustlaw: --max-iter must be an integer in [1, 1000000] (got 1000000000)\n');
  });

  it('a --bench that is not a bench file is refused before any work (the fuzzer found it refused after the run)', async () => {
    const out = join(tmp, 'verify-bench');
    const r = await run(['verify', '--count', '1', '--seed', '1', '--backend', 'cpu', '--bench', tmp, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^robustlaw: --bench must be /);
    expect(r.stderr.split('\n')).toHaveLength(2);
    const notBench = join(tmp, 'not-bench.json');
    writeFileSync(notBench, '{"format": "robustlaw-mlp/1"}');
    expect((await run(['sweep', '--class', 'linear', '--n', '8', '--d', '2', '--bench', notBench, '--out', join(tmp, 'sw-bench')])).stderr).toBe(`robustlaw: --bench must be a robustlaw-bench/1 JSON file (got ${JSON.stringify(notBench)}, format "robustlaw-mlp/1")\n`);
  });

  it('values whose fit overflows are refused up front, naming the flag (they were internal errors, exit 70)', async () => {
    expect((await run(['fit', '--dist', 'mixture', '--scale', '1e300', '--n', '8', '--d', '2'])).stderr).toBe('robustlaw: --scale must be in (0, 1e+100] (got 1e+300)\n');
    expect((await run(['fit', '--class', 'gaussian-kernel', '--bandwidth', '1e-300', '--n', '8', '--d', '2'])).stderr).toBe('robustlaw: --bandwidth must be in [1e-100, 1e+100] (got 1e-300)\n');
    expect((await run(['fit', '--dist', 'mixture', '--scale', '1e100', '--n', '8', '--d', '2'])).code).toBe(0);
  });

  it('an error about the fitted data names the flags that drew it, not the fitting function', async () => {
    const r = await run(['fit', '--class', 'bumps', '--dist', 'mixture', '--scale', '1e-300', '--n', '8', '--d', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^robustlaw: the data drawn by --dist, --n, --d and their options: X must be 8 distinct points/);
    expect(r.stderr).not.toMatch(/fitBumps/);
  });

  it('bench --compare /dev/zero is refused through the capped reader (it aborted the process with bad_alloc)', async () => {
    const r = await run(['bench', '--compare', '/dev/zero', '--backend', 'cpu', '--kernel', 'matmul', '--out', join(tmp, 'b')]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'robustlaw: --compare must be a readable JSON file (got /dev/zero is not a regular file)\n' });
    expect((await run(['bench', '--compare', NET, '--backend', 'cpu', '--kernel', 'matmul', '--out', join(tmp, 'b')])).stderr).toMatch(/^robustlaw: --compare must be a readable robustlaw-bench\/1 JSON file \(got .*net\.json with format "robustlaw-mlp\/1"\)\n$/);
  });

  it('a bad --backend is refused before verify prints or writes anything', async () => {
    const out = join(tmp, 'verify-out');
    const r = await run(['verify', '--count', '1', '--seed', '1', '--backend', 'nope', '--out', out]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'robustlaw: --backend must be one of auto, cpu, tfjs-tensorflow, tfjs-wasm (got "nope")\n' });
  });
});
