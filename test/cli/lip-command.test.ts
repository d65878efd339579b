import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

/** What `lip --json` prints (the fields read here). */
interface LipJson {
  lower: number;
  upper: number;
  exact: number | null;
  ratio: number;
}

const fixture = fileURLToPath(new URL('../fixtures/nonneg-mlp.json', import.meta.url));

describe('robustlaw lip', () => {
  it('--json gives lower, upper, exact, ratio, witness, seconds (bumps: exact, ratio 1)', async () => {
    const r = await runCli(['lip', '--class', 'bumps', '--n', '60', '--d', '20', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as LipJson;
    for (const key of ['lower', 'upper', 'exact', 'ratio', 'witness', 'seconds']) expect(j).toHaveProperty(key);
    expect(j.lower).toBeLessThanOrEqual(j.upper * (1 + 1e-9));
    expect(j.exact).toBeCloseTo(j.upper, 12);
    expect(j.ratio).toBeLessThanOrEqual(1.5);
  });

  it('reports exact = null where unknown, and the text output says what each number is', async () => {
    const j = JSON.parse((await runCli(['lip', '--class', 'gaussian-kernel', '--n', '30', '--d', '5', '--json'])).stdout) as LipJson;
    expect(j.exact).toBeNull();
    expect(j.upper).toBeGreaterThanOrEqual(j.lower);
    const text = (await runCli(['lip', '--class', 'gaussian-kernel', '--n', '30', '--d', '5'])).stdout;
    expect(text).toMatch(/NOT a Lipschitz bound/);
    expect(text).toMatch(/^lower\s+[\d.]+\s+\(/m);
  });

  it('--model loads an mlp; a nonnegative net gets its exact value by hand: ||[1 2] W1|| = ||[0.7, 1.0, 0.6]||', async () => {
    const j = JSON.parse((await runCli(['lip', '--model', fixture, '--json'])).stdout) as LipJson;
    const exact = Math.hypot(0.7, 1.0, 0.6);
    expect(j.exact).toBeCloseTo(exact, 12);
    expect(j.lower).toBeGreaterThanOrEqual(exact * 0.999);
    expect(j.ratio).toBeLessThanOrEqual(1.5);
  });

  it.each([
    [['--model', '/nonexistent.json'], /--model must be a readable network file \(.*\) \(got cannot read \/nonexistent.json \(ENOENT\)\)/],
    [['--model', '/nonexistent.json', '--class', 'bumps'], /^robustlaw: --class does not apply with --model \(the network is loaded from the file, not fitted to drawn data\)$/m],
    [['--domain', 'cube'], /--domain must be one of Rd, ball, sphere, data-ball/],
    [['--starts', '0'], /--starts must be an integer in \[1, 10000\] \(got 0\)/],
    [['--target-ratio', '-1'], /--target-ratio must be a finite number > 0/],
  ])('bad input %j exits 2', async (args, msg) => {
    // a --model run takes no instance flags: those are refused (section 6 of issue 13)
    const r = await runCli(['lip', ...(args[0] === '--model' && args.length === 2 ? [] : ['--class', 'linear', '--n', '10', '--d', '3']), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
  });
});
