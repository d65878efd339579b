/**
 * One level per folder: src/ is built in floors, listed from the ground up in the README's "Layout" block
 * (the one place the order is written). A folder imports only from folders listed before it and from
 * itself, type imports included; and no file imports itself back through others (no file cycle).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

/** The floors in order, read from the README's Layout block (`src/<folder>` lines). */
function floors(readme: string): string[] {
  const block = /## Layout\n[\s\S]*?```\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no Layout block');
  return [...block[1].matchAll(/^src\/([a-z-]+)\s/gm)].map((m) => m[1]);
}

/** Every file of src/ (relative, e.g. `law/verdict.ts`) with the src files it imports (static, dynamic, type). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const text = readFileSync(p, 'utf8');
        const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => relative(SRC, normalize(join(dirname(p), m[1].replace(/\.js$/, '.ts')))));
        graph.set(relative(SRC, p), targets);
      }
    }
  };
  walk(SRC);
  return graph;
}

const folderOf = (file: string) => (file.includes('/') ? file.split('/')[0] : '.');

/** Imports that go up (to a folder listed after the importer's) or out of src/ (but `allowedOut`). */
export function layerViolations(graph: ReadonlyMap<string, readonly string[]>, order: readonly string[], allowedOut: readonly string[] = []): string[] {
  const rank = new Map(order.map((f, i) => [f, i]));
  const out: string[] = [];
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    for (const t of targets) {
      if (t.startsWith('..')) {
        if (!allowedOut.includes(`${file} -> ${t}`)) out.push(`${file} imports ${t}, outside src/`);
        continue;
      }
      const to = folderOf(t);
      if (from === '.' || from === to) continue; // src/index.ts, the barrel, may import any floor
      if (!rank.has(from)) out.push(`${file}: folder ${from} is not in the README's Layout list`);
      else if (!rank.has(to)) out.push(`${file} imports ${t}: folder ${to} is not in the README's Layout list`);
      else if (rank.get(to)! > rank.get(from)!) out.push(`${file} imports ${t}: ${from} is below ${to}`);
    }
  }
  return out;
}

/** The file cycles of a graph (each as a path a -> b -> ... -> a), by depth-first search. */
export function fileCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (!graph.has(t)) continue;
      if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].join(' -> '));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);
  return cycles;
}

// the benchmark suite's case definitions live in benchmarks/ and are compiled into the package with src/
const ALLOWED_OUT = ['bench/run-bench.ts -> ../benchmarks/kernels.ts'];

describe('src/ is built in floors (README, "Layout")', () => {
  const order = floors(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  const graph = importGraph();

  it('the Layout list names every folder of src/ once', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect([...order].sort()).toEqual(folders);
    expect(new Set(order).size).toBe(order.length);
  });

  it('no folder imports from a folder above it', () => {
    expect(layerViolations(graph, order, ALLOWED_OUT)).toEqual([]);
  });

  it('no file imports itself back through others', () => {
    expect(fileCycles(graph)).toEqual([]);
  });

  it('a planted upward import and a planted cycle are caught (so the two checks can fail)', () => {
    const planted = new Map(graph);
    planted.set('core/planted.ts', ['cli/main.ts']);
    expect(layerViolations(planted, order, ALLOWED_OUT)).toEqual(['core/planted.ts imports cli/main.ts: core is below cli']);
    planted.set('linalg/a.ts', ['linalg/b.ts']);
    planted.set('linalg/b.ts', ['linalg/a.ts']);
    expect(fileCycles(planted)).toEqual(['linalg/a.ts -> linalg/b.ts -> linalg/a.ts']);
    expect(layerViolations(new Map([['law/x.ts', ['../../outside.ts']]]), order)).toEqual(['law/x.ts imports ../../outside.ts, outside src/']);
  });
});
