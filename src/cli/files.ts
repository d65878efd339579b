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
