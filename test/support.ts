import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { InputError } from '../src/core/input-error.js';

/** Runs f, which must throw an InputError, and returns it (the test fails otherwise). */
export function thrown(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

/** Every file under `dir` (relative path -> contents), to check that a refused run changed nothing. */
export function snapshot(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, snapshot(dir, r));
    else out[r] = readFileSync(join(dir, r), 'utf8');
  }
  return out;
}
