/**
 * `npm run docs:regen`: runs every example of README.md and docs/*.md (test/docs/doc-commands.ts) and
 * rewrites the output each shows from the run, keeping its elisions; prints which examples changed.
 * Review the diff: a changed number is a changed result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOC_FILES, docExamples, matches, rewrite, ROOT, runCommand, scratch, writeDoc } from './doc-commands.js';

let changed = 0;
for (const file of DOC_FILES) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const examples = docExamples(file, text);
  const runs = examples.map((ex) => {
    if (ex.notRun !== null) return ex.commands.map(() => null);
    const cwd = scratch();
    return ex.commands.map((c) => {
      if (c.elided) return null;
      const actual = runCommand(c.line, cwd);
      if (!matches(c.expected, actual)) {
        changed++;
        process.stdout.write(`docs:regen: ${file}:${ex.start} $ ${c.line}\n`);
      }
      return actual;
    });
  });
  const next = rewrite(text, examples, runs);
  if (next !== text) writeDoc(file, next);
}
process.stdout.write(`docs:regen: ${changed} example(s) rewritten\n`);
