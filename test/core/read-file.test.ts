/** Input files are read only when they are regular files under the size cap, nested within the depth cap. */
import { closeSync, mkdtempSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, MAX_SHOWN, show, truncate } from '../../src/core/input-error.js';
import { MAX_FILE_BYTES, MAX_FILE_DEPTH, nestingDepth, readStructuredFile } from '../../src/core/read-file.js';

const dir = mkdtempSync(join(tmpdir(), 'robustlaw-read-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error('expected an InputError');
}

describe('readStructuredFile limits', () => {
  it('refuses /dev/zero at once: not a regular file', () => {
    // "at once" without a clock (issue 27: no test on the machine's speed): only the check before the read
    // says "not a regular file"; reading /dev/zero would end, if at all, in "cannot read" or out of memory
    expect(message(() => readStructuredFile('/dev/zero', 'loadThing'))).toBe('loadThing: path must be a readable JSON file (got /dev/zero is not a regular file)');
  });

  it('refuses a file over the 256 MiB cap before reading it', () => {
    const path = join(dir, 'big.json');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, MAX_FILE_BYTES + 1); // sparse: no disk used
    closeSync(fd);
    expect(MAX_FILE_BYTES).toBe(256 * 2 ** 20);
    expect(message(() => readStructuredFile(path))).toMatch(/big\.json has 268435457 bytes, over the 256 MiB limit\)$/);
  });

  it('refuses JSON nested 200,000 levels deep with a clear error, not a stack overflow', () => {
    const path = file('deep.json', `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(message(() => readStructuredFile(path))).toMatch(/deep\.json nests arrays or objects more than 64 levels deep\)$/);
    const yaml = file('deep.yaml', `a: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`);
    expect(message(() => readStructuredFile(yaml, 'loadThing', true))).toMatch(/deep\.yaml nests arrays or objects more than 64 levels deep\)$/);
  });

  it('reads nesting up to the cap, and brackets inside strings do not count', () => {
    const ok = `${'['.repeat(MAX_FILE_DEPTH)}${']'.repeat(MAX_FILE_DEPTH)}`;
    expect(readStructuredFile(file('ok.json', ok))).toBeInstanceOf(Array);
    expect(nestingDepth('{"a": "[[[[\\"[[[", "b": [[1]]}')).toBe(3);
    expect(nestingDepth('[[[[', 2)).toBe(3); // stops once past the limit
    expect(readStructuredFile(file('s.json', JSON.stringify({ s: '['.repeat(1000) })))).toEqual({ s: '['.repeat(1000) });
  });
});

describe('error messages quote at most a bounded piece of a huge value', () => {
  it('show cuts strings to 80 characters with an ellipsis', () => {
    const s = show('x'.repeat(1_000_000));
    expect(s).toHaveLength(MAX_SHOWN);
    expect(s.endsWith('…')).toBe(true);
    expect(s.startsWith('"xxx')).toBe(true);
    expect(show('short')).toBe('"short"');
    expect(truncate('abc', 2)).toBe('a…');
  });

  it('an InputError quoting a huge string stays short', () => {
    const e = new InputError('path', 'a readable JSON file', 'y'.repeat(1_000_000));
    expect(e.message.length).toBeLessThan(200);
    const shown = new InputError('x', 'ok', 1, { shown: 'z'.repeat(10_000) });
    expect(shown.shown).toHaveLength(4 * MAX_SHOWN);
  });
});
