import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError } from './input-error.js';

/** The largest input file read (bytes): 256 MiB. A larger file, or anything not a regular file (a device such
 * as /dev/zero, a directory, a FIFO), is refused before a byte is read. */
export const MAX_FILE_BYTES = 256 * 2 ** 20;
/** The deepest nesting of arrays and objects an input file may have (the formats need 3 to 4 levels). */
export const MAX_FILE_DEPTH = 64;

/**
 * The deepest nesting of `[`/`{` outside strings in a JSON (or YAML flow) text, counted without recursion,
 * stopping as soon as it exceeds `limit`.
 */
export function nestingDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"') quote = ch;
    else if (ch === '[' || ch === '{') {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (ch === ']' || ch === '}') depth--;
  }
  return max;
}

/**
 * Reads and parses a JSON file (or YAML, `.yaml`/`.yml`, when `yaml` is true): a missing or unreadable
 * file, one that is not a regular file or is larger than {@link MAX_FILE_BYTES}, one nested deeper than
 * {@link MAX_FILE_DEPTH}, and a syntax error each give one {@link InputError} on `path` (the rule `a
 * readable JSON file`, or `a readable JSON or YAML file` with `yaml`), shown with the path and the reason;
 * `context` (the caller, e.g. `loadSweepSpec`) is its context.
 */
export function readStructuredFile(path: string, context = 'readStructuredFile', yaml = false): unknown {
  const rule = `a readable ${yaml ? 'JSON or YAML' : 'JSON'} file`;
  const refuse: (why: string) => never = (why) => {
    throw new InputError('path', rule, path, { context, shown: why });
  };
  let text = '';
  try {
    const st = statSync(path);
    if (!st.isFile()) refuse(`${path} is not a regular file`);
    if (st.size > MAX_FILE_BYTES) refuse(`${path} has ${st.size} bytes, over the ${MAX_FILE_BYTES / 2 ** 20} MiB limit`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    refuse(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // a file that grew between the stat and the read
  if (text.length > MAX_FILE_BYTES) refuse(`${path} has more than ${MAX_FILE_BYTES / 2 ** 20} MiB`);
  const depth = nestingDepth(text, MAX_FILE_DEPTH);
  if (depth > MAX_FILE_DEPTH) refuse(`${path} nests arrays or objects more than ${MAX_FILE_DEPTH} levels deep`);
  const asYaml = yaml && /\.ya?ml$/i.test(path);
  try {
    return asYaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    if (e instanceof RangeError) refuse(`${path} nests too deeply to parse`);
    refuse(`${path} is not valid ${asYaml ? 'YAML' : 'JSON'} (${(e as Error).message.split('\n')[0]})`);
  }
}

/**
 * The bytes of a regular file of at most {@link MAX_FILE_BYTES} (binary formats: ONNX, .npy, weight
 * shards). A missing or unreadable file, one that is not a regular file, or one too large gives one
 * {@link InputError} on `parameter` with `rule`, shown with the path and the reason; `context` is its context.
 */
export function readFileBytes(path: string, parameter: string, rule: string, context?: string): Uint8Array {
  const refuse = (why: string): never => {
    throw new InputError(parameter, rule, path, { context, shown: why });
  };
  try {
    const st = statSync(path);
    if (!st.isFile()) refuse(`${path} is not a regular file`);
    if (st.size > MAX_FILE_BYTES) refuse(`${path} has ${st.size} bytes, over the ${MAX_FILE_BYTES / 2 ** 20} MiB limit`);
    const bytes = readFileSync(path);
    if (bytes.length > MAX_FILE_BYTES) refuse(`${path} has more than ${MAX_FILE_BYTES / 2 ** 20} MiB`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (e) {
    if (e instanceof InputError) throw e;
    return refuse(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
