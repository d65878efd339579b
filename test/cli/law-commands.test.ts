import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

/** What `bound --json` prints. */
interface BoundJson {
  bound: number | null;
  applies: boolean;
  failedAssumptions: unknown[];
}

describe('robustlaw bound / predict', () => {
  it('prints 0.1008 for the docs/science.md reference case', async () => {
    const r = await runCli(['bound', '--n', '1e6', '--d', '1000', '--p', '1e4', '--eps', '0.5', '--delta', '0.01', '--c', '1', '--W', '10', '--J', '10']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Lip\(f\) >= 0\.1008 /);
  });

  it('says why the theorem does not apply at eps = 0.1, n = 6e4, d = 784, and --json gives null', async () => {
    const text = await runCli(['bound', '--n', '6e4', '--d', '784', '--p', '1e5', '--eps', '0.1']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/does not apply/);
    expect(text.stdout).toMatch(/8\^4 k ln\(8k\/delta\) <= n eps\^2 fails: 27380.2 > 600/);
    const json = JSON.parse((await runCli(['bound', '--n', '6e4', '--d', '784', '--p', '1e5', '--eps', '0.1', '--json'])).stdout) as BoundJson;
    expect(json.bound).toBeNull();
    expect(json.applies).toBe(false);
    expect(json.failedAssumptions).toHaveLength(1);
  });

  it('--json gives bound, applies and failedAssumptions', async () => {
    const json = JSON.parse((await runCli(['bound', '--n', '1e6', '--d', '1000', '--p', '1e4', '--eps', '0.5', '--json'])).stdout) as BoundJson;
    expect(json.applies).toBe(true);
    expect(json.bound).toBeCloseTo(0.10076, 4);
    expect(json.failedAssumptions).toEqual([]);
  });

  it.each([
    [['bound', '--n', '0', '--d', '5', '--p', '5', '--eps', '0.5'], /--n must be an integer >= 1 \(got 0\)/],
    [['bound', '--n', '10.5', '--d', '5', '--p', '5', '--eps', '0.5'], /--n must be an integer >= 1 \(got 10.5\)/],
    [['bound', '--n', 'abc', '--d', '5', '--p', '5', '--eps', '0.5'], /^robustlaw: --n must be a decimal number such as 3, 0.5 or 6e4 \(got "abc"\); --n takes an integer >= 1$/m],
    [['bound', '--n', '10', '--d', '5', '--p', '5', '--eps', '1.5'], /eps must be in \(0, 1\) \(got 1.5\)/],
    [['bound', '--n', '10', '--d', '5', '--p', '5', '--eps', 'Infinity'], /^robustlaw: --eps must be a decimal number such as 3, 0.5 or 6e4 \(got "Infinity"\); --eps takes a number in \(0, 1\)$/m],
    [['bound', '--n', '10', '--d', '5', '--eps', '0.5'], /required option '--p <int>' not specified/],
    [['bound', '--n', '10', '--d', '5', '--p', '5', '--eps', '0.5', '--bogus'], /unknown option '--bogus'/],
    [['predict', '--n', '-3', '--d', '5'], /--n must be an integer >= 1 \(got -3\)/],
    [['predict', '--lip', '0'], /--lip must be a finite number > 0 \(got 0\)/],
  ])('bad input %j exits 2 with one line and no stack trace', async (args, msg) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('predict prints the MNIST/ImageNet table and --json the same rows', async () => {
    const r = await runCli(['predict']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MNIST\s+60000\s+15 /);
    expect(r.stdout).toMatch(/ImageNet/);
    const j = JSON.parse((await runCli(['predict', '--n', '5e4', '--d', '100', '--eps', '0.5', '--json'])).stdout) as { rows: { pSmooth: number }[] };
    expect(j.rows[0].pSmooth).toBe(0.25 * 5e4 * 100);
  });
});
