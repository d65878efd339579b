import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError } from './input-error.js';

/**
 * Reads and parses a JSON file (or YAML, `.yaml`/`.yml`, when `yaml` is true): a missing or unreadable
 * file and a syntax error each give one {@link InputError} on `path` (the rule `a readable JSON file`,
 * or `a readable JSON or YAML file` with `yaml`), shown with the path and the reason; `context` (the
 * caller, e.g. `loadSweepSpec`) is its context.
 */
export function readStructuredFile(path: string, context = 'readStructuredFile', yaml = false): unknown {
  const rule = `a readable ${yaml ? 'JSON or YAML' : 'JSON'} file`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError('path', rule, path, { context, shown: `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
  }
  const asYaml = yaml && /\.ya?ml$/i.test(path);
  try {
    return asYaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new InputError('path', rule, path, { context, shown: `${path} is not valid ${asYaml ? 'YAML' : 'JSON'} (${(e as Error).message.split('\n')[0]})` });
  }
}
