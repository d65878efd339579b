import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/core/input-error.js';
import { EXIT_INTERNAL, EXIT_USAGE, flagFor } from '../../src/cli/errors.js';
import { cli, runCli } from './helpers.js';

/** Runs main() in this process on a program whose one command throws `err`; returns the code and stderr. */
async function runThrowing(err: unknown, argv: string[] = ['boom']): Promise<{ code: number; stderr: string }> {
  const program = new Command().name('robustlaw').option('--debug').exitOverride().configureOutput({ writeErr: () => {} });
  program.command('boom').exitOverride().action(() => {
    throw err;
  });
  const { code, stderr } = await runCli(argv, { program });
  return { code, stderr };
}

describe('the CLI maps library inputs to flags', () => {
  it.each([
    ['modelOptions.k', 'fitRandomFeatures', '--k'],
    ['k', 'theorem3', '--k'],
    ['distOptions.k', 'mixture', '--components'],
    ['distOptions.m', 'subspace', '--m'],
    ['labelOptions.eta', 'flips', '--eta'],
    ['modelOptions.maxIter', 'fitTwoLayer', '--max-iter'],
    // the checking function's name plays no part: only the library's path of the input
    ['m', 'subspace', undefined],
    ['eta', 'flips', undefined],
    ['modelOptions.activation', undefined, '--activation'],
    ['outDir', 'runSweep', '--out'],
    ['seed', 'buildInstance', '--seed'],
    ['spec.seeds', 'd.json', '--spec d.json (key seeds)'],
    ['data.X[1][2]', 'x.json', '--data x.json (key X[1][2])'],
    ['mlp.layers[2].weights[1][3]', 'net.json', '--model net.json (key layers[2].weights[1][3])'],
    ['mlp', 'net.json', '--model net.json'],
    ['X', 'fitBumps', undefined],
    ['dist', 'fitAtomBumps', '--dist'],
    ['--path', 'robustlaw search', '--path'],
    ['X', 'checkModel', undefined],
  ])('%s (checked in %s) is %s', (parameter, context, flag) => {
    expect(flagFor(parameter, context)).toBe(flag);
  });

  it('a library InputError prints one line naming the flag and exits 2', async () => {
    const r = await runThrowing(new InputError('modelOptions.k', 'an integer >= 1', 0, { context: 'fitRandomFeatures' }));
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toBe('robustlaw: --k must be an integer >= 1 (got 0)\n');
  });

  it('an input without a flag keeps the library message (with its context)', async () => {
    const r = await runThrowing(new InputError('X', 'n x d with d = 2', 0, { context: 'checkModel', shown: '3 columns' }));
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toBe('robustlaw: checkModel: X must be n x d with d = 2 (got 3 columns)\n');
  });

  it('fit --class random-features --k 0 names --k, exits 2, one line, no stack', () => {
    const r = cli(['fit', '--class', 'random-features', '--k', '0', '--n', '20', '--d', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('robustlaw: --k must be an integer >= 1 (got 0)\n');
    expect(r.stdout).toBe('');
  });

  it('fit --dist mixture --components 0 names --components (the library calls it k)', () => {
    const r = cli(['fit', '--dist', 'mixture', '--components', '0', '--n', '20', '--d', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('robustlaw: --components must be an integer >= 1 (got 0)\n');
  });
});

describe('any other exception is a bug: exit 70', () => {
  it.each([
    ['Error', new Error('boom: invariant broken')],
    ['TypeError', new TypeError('boom: x is not a function')],
    ['RangeError', new RangeError('boom: invalid array length')],
  ])('a %s gives one line, exit 70 and no stack', async (_name, err) => {
    const r = await runThrowing(err);
    expect(r.code).toBe(EXIT_INTERNAL);
    expect(r.stderr).toBe(`robustlaw: internal error: ${err.message} (run with --debug for the stack)\n`);
  });

  it('with --debug the stack follows the line', async () => {
    const err = new Error('boom: invariant broken');
    const r = await runThrowing(err, ['boom', '--debug']);
    expect(r.code).toBe(EXIT_INTERNAL);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('robustlaw: internal error: boom: invariant broken');
    expect(lines.length).toBeGreaterThan(2);
    expect(r.stderr).toContain(err.stack!);
  });

  it('a multi-line message prints its first line only', async () => {
    const r = await runThrowing(new Error('first\nsecond'));
    expect(r.stderr).toBe('robustlaw: internal error: first (run with --debug for the stack)\n');
  });
});

describe('the entry', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('importing src/cli/main.ts runs nothing', async () => {
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    const before = process.exitCode;
    vi.resetModules();
    const mod = await import('../../src/cli/main.js');
    await new Promise((r) => setTimeout(r, 50));
    expect(typeof mod.main).toBe('function');
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    expect(process.exitCode).toBe(before);
  });

  it('--debug is a global option: accepted after the command, and the run is unchanged', () => {
    const r = cli(['bound', '--n', '10', '--d', '5', '--p', '5', '--eps', '0.5', '--json', '--debug']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { applies: boolean }).applies).toBe(false);
  });
});
