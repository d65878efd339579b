/**
 * The documents' `$ robustlaw ...` examples, run and compared with what they show (test/docs/doc-commands.ts
 * says how). Behind ROBUSTLAW_DOCS=1: a step of .ci/run after the default tests (about a minute), so that a
 * changed output fails CI until `npm run docs:regen` rewrites the documents from a run. The rules themselves
 * (parsing, masking, elision, regeneration) are tested here always, each shown able to fail.
 */
import { describe, expect, it } from 'vitest';
import { allExamples, docExamples, mask, matches, regenerated, rewrite, runCommand, scratch } from './doc-commands.js';

describe('the rules of executable examples', () => {
  const text = ['intro', '', '<!-- docs: not run (a file that does not exist) -->', '```', '$ robustlaw lip --model cnn/model.json', 'robustlaw: no', '```', '', '```', '$ robustlaw bound --n 1', 'a', '...', 'z', '$ robustlaw sweep ... --shard 2/2', '```'].join('\n');

  it('finds the examples, their commands, outputs and markers', () => {
    const ex = docExamples('x.md', text);
    expect(ex).toHaveLength(2);
    expect(ex[0]).toMatchObject({ notRun: 'a file that does not exist', start: 5, end: 6 });
    expect(ex[1].commands).toEqual([
      { line: 'robustlaw bound --n 1', expected: ['a', '...', 'z'], elided: false, gap: 0 },
      { line: 'robustlaw sweep ... --shard 2/2', expected: [], elided: true, gap: 0 },
    ]);
  });

  it('masks times; matches line for line, or in order where ... elides; a changed line fails', () => {
    expect(mask('12 instances in 0.6 s; time 0.03 s, 12 ms  ')).toBe('12 instances in <time>; time <time>, <time>');
    expect(matches(['a', 'b 1.5 s'], ['a', 'b 0.2 s'])).toBe(true);
    expect(matches(['a', 'b'], ['a', 'b', 'c'])).toBe(false);
    expect(matches(['a', '...', 'z'], ['a', 'x', 'y', 'z'])).toBe(true);
    expect(matches(['a', '...', 'z'], ['a', 'x', 'y', 'w'])).toBe(false);
    expect(matches(['a', '...'], ['a', 'x'])).toBe(true);
    expect(matches(['W, J 40, 37.09'], ['W, J 40, 741.8'])).toBe(false);
    expect(matches(['  0  1.2', '      ...', '  9  1.3'], ['  0  1.2', '  1  1.5', '  9  1.3'])).toBe(true);
    expect(matches(['slope -0.5: d^(-1/2): ...'], ['slope -0.5: d^(-1/2): Lip = 1/r depends on ...'])).toBe(true);
    expect(matches(['slope -0.5: d^(-1/2): ...'], ['slope -0.4: d^(-1/2): Lip'])).toBe(false);
  });

  it('regenerates the shown output from a run, keeping the elisions', () => {
    expect(regenerated(['a', 'b'], ['a', 'c', 'd'])).toEqual(['a', 'c', 'd']);
    expect(regenerated(['in 0.6 s', 'x'], ['in 0.5 s', 'y'])).toEqual(['in 0.6 s', 'y']);
    expect(regenerated(['a', 'time 0.6 s'], ['new first line', 'a', 'time 0.5 s'])).toEqual(['new first line', 'a', 'time 0.6 s']);
    expect(regenerated(['a', '...', 'z'], ['new', 'a', 'b', 'z'])).toEqual(['new', 'a', '...', 'z']);
    expect(regenerated(['a', '...', 'c'], ['a', 'b', 'c', 'd', 'e'])).toEqual(['a', '...', 'c', '...']);
    expect(regenerated(['1 x', '...', '12 y'], ['1 x', '2 q', '12 z'])).toEqual(['1 x', '...', '12 z']);
    const ex = docExamples('x.md', text);
    expect(rewrite(text, ex, [[null], [['a', 'm', 'z 2'], null]]).split('\n').slice(9)).toEqual(['$ robustlaw bound --n 1', 'a', '...', 'z 2', '$ robustlaw sweep ... --shard 2/2', '```']);
    // a blank line between two commands separates them: kept, not compared
    const two = docExamples('y.md', '```\n$ robustlaw a\nx\n\n$ robustlaw b\ny\n```');
    expect(two[0].commands.map((c) => [c.expected, c.gap])).toEqual([[['x'], 1], [['y'], 0]]);
    expect(rewrite('```\n$ robustlaw a\nx\n\n$ robustlaw b\ny\n```', two, [[['x2'], ['y']]])).toBe('```\n$ robustlaw a\nx2\n\n$ robustlaw b\ny\n```');
  });
});

const run = process.env.ROBUSTLAW_DOCS === '1';

describe.skipIf(!run)('the documents\' examples show what the program prints (ROBUSTLAW_DOCS=1)', () => {
  const examples = allExamples();

  it('every example is run or says why not', () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
    for (const ex of examples) if (ex.notRun !== null) expect(ex.notRun.length).toBeGreaterThan(3);
  });

  it.each(examples.filter((ex) => ex.notRun === null).map((ex) => [`${ex.file}:${ex.start}`, ex] as const))('%s', (_where, ex) => {
    const cwd = scratch();
    for (const c of ex.commands) {
      if (c.elided) continue;
      const actual = runCommand(c.line, cwd);
      expect(matches(c.expected, actual), `$ ${c.line}\n--- the document shows\n${c.expected.join('\n')}\n--- the program printed\n${actual.join('\n')}\n(npm run docs:regen rewrites it)`).toBe(true);
    }
  }, 300_000);
});
