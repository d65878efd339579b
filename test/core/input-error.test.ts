import { describe, expect, it } from 'vitest';
import { InputError, inOptionGroup, show } from '../../src/core/input-error.js';
import { requireClosed, requireFiniteArray, requireInt, requireNonNegative, requireOneOf, requireOpen, requirePositive } from '../../src/core/validate.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInstance } from '../../src/law/instance.js';
import { readStructuredFile } from '../../src/core/read-file.js';
import { deriveSeed } from '../../src/core/streams.js';
import { lawRatio } from '../../src/law/informal.js';
import { theorem3 } from '../../src/law/theorem3.js';
import { verdict } from '../../src/law/verdict.js';
import { thrown } from '../support.js';


describe('InputError', () => {
  it('carries the parameter, the rule and the value, and says them in one line', () => {
    const e = new InputError('modelOptions.k', 'an integer >= 1', 0, { context: 'fitModel' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('InputError');
    expect([e.parameter, e.rule, e.value, e.context]).toEqual(['modelOptions.k', 'an integer >= 1', 0, 'fitModel']);
    expect(e.message).toBe('fitModel: modelOptions.k must be an integer >= 1 (got 0)');
    expect(e.describe('--k')).toBe('--k must be an integer >= 1 (got 0)');
    expect(new InputError('outDir', 'a new directory', 'x', { shown: '"x", which holds another sweep' }).message).toBe('outDir must be a new directory (got "x", which holds another sweep)');
  });

  it('shows -0, NaN, Infinity, strings and arrays so they can be told apart', () => {
    expect([show(-0), show(Number.NaN), show(Number.POSITIVE_INFINITY), show('3'), show([1, 2]), show(null), show(undefined)]).toEqual(['-0', 'NaN', 'Infinity', '"3"', 'array(2)', 'null', 'undefined']);
  });
});

describe('every checker of validate.ts throws an InputError in the library\'s words', () => {
  it.each([
    [() => requireInt('fitModel', 'k', 0, 1), 'k', 'an integer >= 1', 0],
    [() => requireInt('Rng', 'seed', 1.5, 0, 10), 'seed', 'an integer in [0, 10]', 1.5],
    [() => requireInt('f', 'n', '3', 1), 'n', 'a number >= 1', '3'],
    [() => requireInt('f', 'n', Number.NaN, 1), 'n', 'a finite number >= 1', Number.NaN],
    [() => requireOpen('theorem3', 'eps', 1.5, 0, 1), 'eps', 'in (0, 1)', 1.5],
    [() => requireClosed('flips', 'eta', -0.5, 0, 1), 'eta', 'in [0, 1]', -0.5],
    [() => requirePositive('f', 'lip', 0), 'lip', 'a finite number > 0', 0],
    [() => requireNonNegative('f', 'ridge', -1), 'ridge', 'a finite number >= 0', -1],
    [() => requireOneOf('fitTwoLayer', 'activation', 'gelu', ['relu', 'tanh']), 'activation', 'one of relu, tanh', 'gelu'],
    [() => requireFiniteArray('f', 'x', new Float64Array([1, Number.NaN]), 2), 'x[1]', 'finite', Number.NaN],
  ])('%#', (f, parameter, rule, value) => {
    const e = thrown(f);
    expect(e.parameter).toBe(parameter);
    expect(e.rule).toBe(rule);
    expect(e.value).toEqual(value);
    expect(e.message).toBe(`${e.context}: ${parameter} must be ${rule} (got ${show(value)})`);
  });

  it('reaches the library\'s callers: a class with k = 0 names modelOptions.k, its path in the spec, not a flag', () => {
    const e = thrown(() => buildInstance({ dist: 'sphere', labels: 'signs', className: 'random-features', n: 10, d: 3, seed: 1, modelOptions: { k: 0 } }));
    expect(e.parameter).toBe('modelOptions.k');
    expect(e.message).not.toMatch(/--/);
    // the same for the data law's and the labels' options; an input outside them (d) keeps its name
    expect(thrown(() => buildInstance({ dist: 'mixture', labels: 'signs', className: 'linear', n: 10, d: 3, seed: 1, distOptions: { k: 0 } })).parameter).toBe('distOptions.k');
    expect(thrown(() => buildInstance({ dist: 'sphere', labels: 'flips', className: 'linear', n: 10, d: 3, seed: 1, labelOptions: { eta: 2 } })).parameter).toBe('labelOptions.eta');
    expect(thrown(() => buildInstance({ dist: 'sphere', labels: 'signs', className: 'linear', n: 10, d: 1, seed: 1 })).parameter).toBe('d');
  });

  it('inOptionGroup names only keys the caller set, and passes other errors through', () => {
    const bad = (parameter: string) => () => {
      throw new InputError(parameter, 'ok', 0, { context: 'inner' });
    };
    expect(thrown(() => inOptionGroup('g', { k: 1 }, bad('k'))).parameter).toBe('g.k');
    expect(thrown(() => inOptionGroup('g', { k: 1 }, bad('k[2]'))).parameter).toBe('g.k[2]');
    expect(thrown(() => inOptionGroup('g', { k: undefined }, bad('k'))).parameter).toBe('k');
    expect(thrown(() => inOptionGroup('g', { k: 1 }, bad('d'))).parameter).toBe('d');
    expect(thrown(() => inOptionGroup('g', { k: 1 }, bad('toString'))).parameter).toBe('toString');
    expect(() => inOptionGroup('g', {}, () => { throw new TypeError('bug'); })).toThrow(TypeError);
    expect(inOptionGroup('g', {}, () => 7)).toBe(7);
  });
});

describe('checks outside validate.ts throw InputError too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'robustlaw-input-'));
  const okVerdict = { n: 100, d: 10, p: 10, eps: 0.5, sigma2: 1, lower: 1, upper: 2, c: 1, k: 1, W: 10, J: 10 };
  const okTheorem = { n: 100, d: 10, p: 10, eps: 0.5, W: 10, J: 10 };
  it.each([
    [() => readStructuredFile(join(dir, 'missing.json'), 'loadThing'), 'path', 'a readable JSON file', /^loadThing: path must be a readable JSON file \(got cannot read .*missing\.json \(ENOENT\)\)$/],
    [() => readStructuredFile(dir), 'path', 'a readable JSON file', /^readStructuredFile: path must be a readable JSON file \(got .* is not a regular file\)$/],
    [() => readStructuredFile(file('bad.json', '{"a": '), 'loadThing', true), 'path', 'a readable JSON or YAML file', /\(got .*bad\.json is not valid JSON \(/],
    [() => readStructuredFile(file('bad.yaml', 'a: [1\n'), 'loadThing', true), 'path', 'a readable JSON or YAML file', /\(got .*bad\.yaml is not valid YAML \(/],
    [() => deriveSeed(1, ''), 'name', 'a non-empty string', /^deriveSeed: name must be a non-empty string \(got ""\)$/],
    [() => verdict({ ...okVerdict, lower: -1 }), 'lower', 'a number >= 0', /^verdict: lower must be a number >= 0 \(got -1\)$/],
    [() => theorem3({ ...okTheorem, sigma2: Number.POSITIVE_INFINITY }), 'sigma2', 'a finite number', /^theorem3: sigma2 must be a finite number \(got Infinity\)$/],
    [() => theorem3({ ...okTheorem, sigma2: '1' as unknown as number }), 'sigma2', 'a finite number', /^theorem3: sigma2 must be a finite number \(got "1"\)$/],
    [() => lawRatio(Number.NaN, 100, 10, 10, 0.5), 'lip', 'a number >= 0', /^lawRatio: lip must be a number >= 0 \(got NaN\)$/],
  ])('%#', (f, parameter, rule, message) => {
    const e = thrown(f);
    expect(e.parameter).toBe(parameter);
    expect(e.rule).toBe(rule);
    expect(e.message).toMatch(message);
  });

  it('readStructuredFile still reads JSON and YAML', () => {
    expect(readStructuredFile(file('ok.json', '{"a": [1, 2]}'))).toEqual({ a: [1, 2] });
    expect(readStructuredFile(file('ok.yaml', 'a: [1, 2]\n'), 'loadThing', true)).toEqual({ a: [1, 2] });
  });

  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }
});
