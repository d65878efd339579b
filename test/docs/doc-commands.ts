/**
 * Executable documentation: the `$ robustlaw ...` (and `$ npm start`) examples of README.md and docs/*.md,
 * run and compared with what they show. Used by test/docs/commands.test.ts (ROBUSTLAW_DOCS=1, a step of
 * .ci/run) and by `npm run docs:regen`, which rewrites the shown output from a run.
 *
 * Rules. A fenced block whose first line starts with `$ robustlaw` or `$ npm start` is an example; each `$`
 * line starts a command and the lines after it, up to the next `$` line, are its output (stdout and stderr
 * as a terminal shows them, in order). A line `...` in the output elides any number of lines; without one the
 * output must match line for line. Times (`0.6 s`, `12 ms`) are masked. A command whose own line elides
 * (`robustlaw sweep ... --shard 2/2`) is not run but keeps its place; a block preceded by
 * `<!-- docs: not run (why) -->` is not run at all (an illustration: a file that does not exist, another
 * machine's hardware). Commands run in a scratch directory that links the checkout's examples/, so that what
 * they write (`--out runs/a`) stays out of the checkout.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
/** The documents whose examples are run. */
export const DOC_FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** One `$` command of an example and the output the document shows for it. */
export interface DocCommand {
  readonly line: string;
  readonly expected: readonly string[];
  /** Its own line elides arguments: shown, not run. */
  readonly elided: boolean;
  /** Blank lines after its output that separate it from the next command (kept, not compared). */
  readonly gap: number;
}

/** One example block: where it is, whether it is run, its commands. */
export interface DocExample {
  readonly file: string;
  /** Line numbers (1-based) of the block's first and last content lines. */
  readonly start: number;
  readonly end: number;
  readonly notRun: string | null;
  readonly commands: readonly DocCommand[];
}

/** The examples of a document's text. */
export function docExamples(file: string, text: string): DocExample[] {
  const lines = text.split('\n');
  const out: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```\w*\s*$/.test(lines[i])) continue;
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j])) j++;
    const body = lines.slice(i + 1, j);
    if (body.length > 0 && /^\$ (robustlaw|npm start)\b/.test(body[0])) {
      let k = i - 1;
      while (k >= 0 && lines[k].trim() === '') k--;
      const marker = k >= 0 ? /^<!-- docs: not run \((.+)\) -->$/.exec(lines[k].trim()) : null;
      const commands: { line: string; expected: string[]; elided: boolean; gap: number }[] = [];
      for (const l of body) {
        if (l.startsWith('$ ')) commands.push({ line: l.slice(2), expected: [], elided: / \.\.\.( |$)/.test(l), gap: 0 });
        else commands[commands.length - 1].expected.push(l);
      }
      for (const c of commands) {
        while (c.expected.length > 0 && c.expected[c.expected.length - 1].trim() === '') {
          c.expected.pop();
          c.gap++;
        }
      }
      out.push({ file, start: i + 2, end: j, notRun: marker ? marker[1] : null, commands });
    }
    i = j;
  }
  return out;
}

/** Masks what legitimately changes between runs: times. */
export function mask(line: string): string {
  return line.replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, '<time>').replace(/\s+$/, '');
}

/** A shown line that elides lines (`...`, indented or not). */
const isElision = (l: string) => l.trim() === '...';

/** Whether an actual line is what a shown line shows: equal once masked, or, for a shown line cut short with
 * a trailing ` ...`, starting with what it shows. */
function sameLine(shown: string, actual: string): boolean {
  const s = mask(shown);
  const a = mask(actual);
  return s === a || (s.endsWith(' ...') && a.startsWith(s.slice(0, -4)));
}

/** A scratch directory for running examples: examples/ linked, everything written stays there. */
export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'robustlaw-docs-'));
  symlinkSync(join(ROOT, 'examples'), join(dir, 'examples'));
  symlinkSync(join(ROOT, 'test'), join(dir, 'test'));
  mkdirSync(join(dir, 'runs'));
  return dir;
}

/** Runs one command in `cwd` the way the document shows it (stdout and stderr together, in order). */
export function runCommand(line: string, cwd: string): string[] {
  const bin = join(ROOT, 'bin', 'robustlaw.js');
  // `npm start` is `robustlaw sweep --out reports/latest --replace` (package.json), without npm's banner
  const shell = line === 'npm start' ? `node ${bin} sweep --out reports/latest --replace` : line.replace(/^robustlaw\b/, `node ${bin}`);
  const r = spawnSync('sh', ['-c', `${shell} 2>&1`], { cwd, encoding: 'utf8', env: { ...process.env, ROBUSTLAW_QUIET_SOURCE: '1', FORCE_COLOR: '0' }, maxBuffer: 1 << 26, timeout: 300_000 });
  return r.stdout.replace(/\n+$/, '').split('\n');
}

/** Whether `actual` shows what `expected` shows: line for line, or, where `...` elides, in order. */
export function matches(expected: readonly string[], actual: readonly string[]): boolean {
  if (!expected.some(isElision)) return expected.length === actual.length && expected.every((l, i) => sameLine(l, actual[i]));
  let at = 0;
  let free = false;
  for (const l of expected) {
    if (isElision(l)) {
      free = true;
      continue;
    }
    if (free) {
      while (at < actual.length && !sameLine(l, actual[at])) at++;
      if (at === actual.length) return false;
    } else if (at >= actual.length || !sameLine(l, actual[at])) return false;
    at++;
    free = false;
  }
  return free || at === actual.length;
}

/**
 * The output to write back for a command: the actual output; where the document elides, the same shape
 * (each shown line replaced by the actual line it matches or, failing that, the next actual line that starts
 * with the same word; the `...` lines kept).
 */
export function regenerated(expected: readonly string[], actual: readonly string[]): string[] {
  // a shown line that still shows its actual line stays as written (its time, its cut), so a rerun changes nothing
  if (!expected.some(isElision)) {
    let j = 0;
    return actual.map((a) => {
      const k = expected.findIndex((e, i) => i >= j && sameLine(e, a));
      if (k < 0) return a;
      j = k + 1;
      return expected[k];
    });
  }
  const out: string[] = [];
  let at = 0;
  let free = false;
  for (const l of expected) {
    if (isElision(l)) {
      out.push(l);
      free = true;
      continue;
    }
    const word = l.trim().split(/\s+/)[0];
    let k = actual.findIndex((x, i) => i >= at && sameLine(l, x));
    if (k >= 0) {
      // lines the program prints here that the document does not show, where it elides nothing: shown now
      if (!free) out.push(...actual.slice(at, k));
      out.push(l);
      at = k + 1;
      free = false;
      continue;
    }
    free = false;
    k = actual.findIndex((x, i) => i >= at && x.trim().split(/\s+/)[0] === word);
    if (k < 0) {
      out.push(l);
      continue;
    }
    out.push(actual[k]);
    at = k + 1;
  }
  // a summarised block that stops before the program does: say that it stops short
  if (at < actual.length && !free) out.push('...');
  return out;
}

/** Rewrites a document's examples with their runs' outputs (`runs[i][c]`: example i, command c); returns the new text. */
export function rewrite(text: string, examples: readonly DocExample[], runs: readonly (readonly (readonly string[] | null)[])[]): string {
  const lines = text.split('\n');
  // from the last block up, so that earlier line numbers stay valid
  for (let i = examples.length - 1; i >= 0; i--) {
    const ex = examples[i];
    const body: string[] = [];
    ex.commands.forEach((c, k) => {
      body.push(`$ ${c.line}`);
      const run = runs[i][k];
      body.push(...(run === null ? c.expected : regenerated(c.expected, run)), ...Array<string>(c.gap).fill(''));
    });
    lines.splice(ex.start - 1, ex.end - ex.start + 1, ...body);
  }
  return lines.join('\n');
}

/** Every example of the documents. */
export function allExamples(): DocExample[] {
  return DOC_FILES.flatMap((f) => docExamples(f, readFileSync(join(ROOT, f), 'utf8')));
}

/** Writes text to a document of the checkout. */
export function writeDoc(file: string, text: string): void {
  writeFileSync(join(ROOT, file), text);
}
