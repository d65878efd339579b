import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/**
 * Reads and parses a JSON file (or YAML, `.yaml`/`.yml`, when `yaml` is true) given by a flag: a missing or
 * unreadable file and a syntax error each give one RangeError naming the flag, the path and the reason.
 */
export function readStructuredFile(path: string, flag: string, yaml = false): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RangeError(`${flag}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const asYaml = yaml && /\.ya?ml$/i.test(path);
  try {
    return asYaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new RangeError(`${flag}: ${path} is not valid ${asYaml ? 'YAML' : 'JSON'} (${(e as Error).message.split('\n')[0]})`);
  }
}
