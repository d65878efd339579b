/**
 * The files the CLI takes (--model, --data, --spec): read once, parsed by the library; a missing,
 * unreadable or malformed file is bad input named by its flag.
 * @module
 */
import { InputError } from '../core/input-error.js';
import { readStructuredFile } from '../core/read-file.js';
import { naming } from './errors.js';

/**
 * Reads the JSON (or, with `yaml`, YAML for `.yaml`/`.yml`) file at `path` given by `flag` and parses it
 * with `parse`, whose InputErrors the CLI names after the flag (`--data (key X[1][2])`). The reader's
 * InputError on `path` (missing file, syntax error) is named `flag`.
 */
export function readFileFlag<T>(flag: string, path: string, parse: (raw: unknown) => T, yaml = false): T {
  const raw = naming({ path: flag }, () => readStructuredFile(path, 'readFileFlag', yaml));
  return parse(raw);
}

/**
 * The RangeError/TypeError of a library reader or parser that documents them as its input errors (and
 * does not throw InputError yet) as an InputError of `flag`; other errors (an InputError included) are
 * returned unchanged.
 */
export function asInputError(e: unknown, flag: string, path: string, rule: string): unknown {
  if (!(e instanceof RangeError || e instanceof TypeError)) return e;
  const reason = e.message.startsWith(`${flag}: `) ? e.message.slice(flag.length + 2) : e.message;
  return new InputError(flag, rule, path, { shown: reason.includes(path) ? reason : `${JSON.stringify(path)}: ${reason}` });
}

/**
 * Checks a --bench file before any work (the report reads it only at the end): a regular file within the
 * reader's size cap holding robustlaw-bench/1 JSON. `false` (--no-bench) and undefined (the default file)
 * pass as they are.
 */
export function checkBenchFlag(path: string | false | undefined): void {
  if (path === undefined || path === false) return;
  const raw = readFileFlag('--bench', path, (r) => r);
  const format = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>).format : undefined;
  if (format !== 'robustlaw-bench/1') throw new InputError('--bench', 'a robustlaw-bench/1 JSON file', path, { shown: `${JSON.stringify(path)}, format ${JSON.stringify(format ?? null)}` });
}
