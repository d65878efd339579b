/**
 * The YAML and JSON blocks of the README and docs/ parse: a reader copies them (a spec, a workflow, a record),
 * so a block that is not valid YAML or JSON is a bug in the docs. Blocks marked `yaml` or `json` are parsed
 * whole; a JSON block whose text elides with `...` is skipped, as it says it is abridged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');
const FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`), 'benchmarks/README.md'];

/** The fenced blocks of a Markdown text with their language and first line number. */
export function fencedBlocks(text: string): { lang: string; line: number; body: string }[] {
  const blocks: { lang: string; line: number; body: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j])) j++;
    blocks.push({ lang: open[1], line: start + 1, body: lines.slice(start + 1, j).join('\n') });
    i = j;
  }
  return blocks;
}

describe('the docs\' YAML and JSON blocks parse', () => {
  const blocks = FILES.flatMap((file) => fencedBlocks(readFileSync(join(ROOT, file), 'utf8')).map((b) => ({ ...b, file })));

  it('there are blocks to check (the reader finds them)', () => {
    expect(blocks.filter((b) => b.lang === 'yaml').length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.filter((b) => b.lang === 'yaml').map((b) => [`${b.file}:${b.line}`, b.body] as const))('%s is valid YAML', (_where, body) => {
    expect(() => void parse(body)).not.toThrow();
  });

  it.each(blocks.filter((b) => b.lang === 'json' && !/\.\.\./.test(b.body)).map((b) => [`${b.file}:${b.line}`, b.body] as const))('%s is valid JSON', (_where, body) => {
    expect(() => JSON.parse(body) as unknown).not.toThrow();
  });

  it('a flow mapping holding a GitHub expression, the docs\' old mistake, is caught', () => {
    expect(() => void parse('with: { name: shard-${{ matrix.shard }}, path: out }')).toThrow();
    expect(fencedBlocks('text\n```yaml\na: 1\n```\n')).toEqual([{ lang: 'yaml', line: 2, body: 'a: 1' }]);
  });
});
