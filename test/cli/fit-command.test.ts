import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const base = ['--dist', 'sphere', '--labels', 'signs', '--n', '200', '--d', '50', '--seed', '1'];

describe('robustlaw fit', () => {
  it.each(['linear', 'random-features', 'ntk-features', 'two-layer', 'bumps', 'gaussian-kernel', 'polynomial'])(
    '--class %s fits n = 200, d = 50 with the default options and reports p, trainMse, eps, sigma2, condition',
    async (cls) => {
      const r = await runCli(['fit', '--class', cls, ...base, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as { sigma2: number; eps: number; trainMse: number };
      for (const key of ['p', 'trainMse', 'eps', 'sigma2', 'condition', 'params']) expect(j).toHaveProperty(key);
      expect(j.sigma2).toBe(1);
      expect(j.eps).toBeCloseTo(1 - j.trainMse, 12);
      const text = await runCli(['fit', '--class', cls, ...base]);
      expect(text.stdout).toMatch(/^p\s+\d+$/m);
      expect(text.stdout).toMatch(/^train MSE/m);
    },
  );

  it('bumps at n = 200, d = 100 reports exact interpolation', async () => {
    const j = JSON.parse((await runCli(['fit', '--class', 'bumps', '--dist', 'sphere', '--labels', 'signs', '--n', '200', '--d', '100', '--seed', '1', '--json'])).stdout) as { trainMse: number; interpolates: boolean; p: number; condition: number };
    expect(j.trainMse).toBe(0);
    expect(j.interpolates).toBe(true);
    expect(j.p).toBe(200 * 101);
    expect(j.condition).toBe(1);
  });

  it.each([
    [['--class', 'nope'], /--class must be one of linear/],
    [['--class', 'random-features', '--k', '0'], /--k must be an integer >= 1 \(got 0\)/],
    [['--class', 'polynomial', '--degree', '2.5'], /--degree must be an integer in \[1, 12\]/],
    [['--class', 'bumps', '--profile', 'box'], /--profile must be one of hat, c1/],
    [['--class', 'random-features', '--activation', 'gelu'], /--activation must be one of relu/],
    [['--class', 'two-layer', '--activation', 'square'], /^robustlaw: --activation must be one of relu, tanh, softplus \(got "square"\)$/m],
    [['--class', 'mlp'], /^robustlaw: --class must be one of .* \(got "mlp"\)$/m],
    [['--seed', '-1'], /--seed must be an integer in \[0, 4294967295\]/],
    // clusters this tight repeat their atoms exactly: bumps cannot separate the points
    [['--class', 'bumps', '--dist', 'clusters', '--components', '2', '--scale', '1e-300'], /^robustlaw: the data drawn by --dist, --n, --d and their options: X must be 200 distinct points \(bumps need a positive minimum distance\) \(got minimum pairwise distance 0\)$/m],
  ])('bad input %j exits 2 with one line', async (args, msg) => {
    const r = await runCli(['fit', ...base, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
