import { readFileSync, statSync } from 'node:fs';
import { parseDocument, type YAMLError } from 'yaml';
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
 * `context` (the caller, e.g. `loadSweepSpec`) is its context. YAML is read as plain data: a tag outside
 * the YAML 1.2 core schema (`!!binary`, `!!set`, `!!js/function`, `!foo`) is refused as an InputError on
 * `path` naming the tag and its line, and a warning of the YAML reader like an error (no Node warning).
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
    return asYaml ? yamlData(text, path, context, refuse) : JSON.parse(text);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof RangeError) refuse(`${path} nests too deeply to parse`);
    refuse(`${path} is not valid ${asYaml ? 'YAML' : 'JSON'} (${firstLine(e)})`);
  }
}

/** The YAML tags an input file may use: those of the YAML 1.2 core schema, whose values are JSON's. */
const YAML_TAGS = ['!!str', '!!int', '!!float', '!!bool', '!!null', '!!seq', '!!map'] as const;
const CORE_TAG_URIS = new Set(YAML_TAGS.map((t) => `tag:yaml.org,2002:${t.slice(2)}`));

/** The first line of an error's message, without the trailing colon of the yaml library's pretty errors. */
function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].replace(/:$/, '');
}

/**
 * The plain data of a one-document YAML text, read with the YAML 1.2 core schema only (string keys; no
 * `!!binary`, `!!set`, `!!js/...`, local or unknown tags, even under `%YAML 1.1`). The yaml library's
 * warnings (an unresolved tag, an unsupported directive) are refused like its errors, as one
 * {@link InputError} on `path` with the line and column, instead of being printed as Node warnings.
 */
function yamlData(text: string, path: string, context: string, refuse: (why: string) => never): unknown {
  // logLevel 'error': the library never calls process.emitWarning; its warnings are refused below
  const doc = parseDocument(text, { schema: 'core', resolveKnownTags: false, stringKeys: true, logLevel: 'error' });
  const problem: YAMLError | undefined = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) {
    const at = problem.linePos ? ` at line ${problem.linePos[0].line}, column ${problem.linePos[0].col}` : '';
    const unresolved = problem.code === 'TAG_RESOLVE_FAILED' ? /^Unresolved tag: (\S+)/.exec(problem.message)?.[1] : undefined;
    if (unresolved !== undefined && CORE_TAG_URIS.has(unresolved)) refuse(`${path} is not valid YAML (the value${at} is not a ${text.slice(problem.pos[0], problem.pos[1])})`);
    if (unresolved !== undefined) {
      throw new InputError('path', `a JSON or YAML file of plain data (the only YAML tags allowed: ${YAML_TAGS.join(', ')})`, path, {
        context,
        shown: `${path} uses the tag ${text.slice(problem.pos[0], problem.pos[1])}${at}`,
      });
    }
    // two messages worded in the library's API (its options, its functions) say it in the file's terms
    const why = problem.code === 'NON_STRING_KEY' ? `a key${at} is not a string` : problem.code === 'MULTIPLE_DOCS' ? `a second document starts${at}` : firstLine(problem);
    refuse(`${path} is not valid YAML (${why})`);
  }
  return doc.toJS();
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
