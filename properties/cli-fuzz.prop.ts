/**
 * The CLI under hostile input (issue 13, "Tests that keep it so"): argument vectors drawn from a grammar of
 * every command's flags, read from the commander program itself (buildProgram), with hostile values (NaN,
 * Infinity, 1e400, -0, '', hex, huge integers, unknown names, repeated and conflicting flags, paths to
 * files, directories, /dev/zero, a read-only place), run in this process through main() with the current
 * directory in a fresh temporary directory. Each run: exit 0, 1 or 2; on 2 one stderr line naming a flag or
 * a path and nothing written; never a stack trace, never an internal error (exit 70 is a bug).
 * Per-run budget: the commands that do real work always start from small valid flags (n = 8, d = 2, one
 * start, budget 1, ...) and a hostile value that replaces one is either refused or as small.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { runCli } from '../test/cli/helpers.js';
import { DEEP } from './arbitraries.js';

/** What one run of the CLI did. */
export interface Outcome {
  readonly argv: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Files and directories created, changed or removed in the temporary area. */
  readonly written: readonly string[];
  /** Wall time of the run (ms). */
  readonly ms: number;
}

/** The per-run time budget (ms): every working command starts from small sizes, so a run past it is a runaway. */
export const RUN_BUDGET_MS = 20_000;

/** Why an outcome breaks the CLI's promises, or null when it keeps them. */
export function violation(o: Outcome): string | null {
  if (![0, 1, 2].includes(o.code)) return `exit ${o.code}${o.code === 70 ? ' (an internal error: a bug)' : ''}`;
  if (/^\s+at /m.test(o.stderr) || /^\s+at /m.test(o.stdout)) return 'a stack trace';
  if (/internal error/.test(o.stderr)) return 'an internal error message';
  if (o.ms > RUN_BUDGET_MS) return `ran ${Math.round(o.ms)} ms, past the per-run budget of ${RUN_BUDGET_MS} ms`;
  if (o.code === 2) {
    const lines = o.stderr.split('\n');
    if (lines.length !== 2 || lines[1] !== '' || !lines[0].startsWith('robustlaw: ')) return `stderr is not exactly one line: ${JSON.stringify(o.stderr.slice(0, 300))}`;
    if (!/(^|[\s'"(])--?[A-Za-z][A-Za-z0-9-]*/.test(lines[0]) && !/<(dirs?|files)(\.\.\.)?>/.test(lines[0]) && !/\//.test(lines[0])) return `the line names no flag and no path: ${lines[0]}`;
    if (lines[0].length > 600) return `the line is ${lines[0].length} characters long`;
    if (o.written.length > 0) return `refused, but wrote ${o.written.slice(0, 3).join(', ')}`;
  }
  return null;
}

const NET = fileURLToPath(new URL('../examples/net.json', import.meta.url));
const HOSTILE_NUMBERS = ['NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '-0', '', ' ', '0x10', '0b11', '1,000', '1e9', '9007199254740993', '1e300', '1e100', '1e-300', '5e-324', '-1', '0', '0.5', '1.5', 'abc', '١٢'];
const NAMES = ['linear', 'random-features', 'two-layer', 'bumps', 'gaussian-kernel', 'polynomial', 'mlp', 'sphere', 'mixture', 'subspace', 'clusters', 'signs', 'flips', 'additive', 'noiseless', 'relu', 'cos', 'hat', 'Rd', 'ball', 'data-ball', 'quick', 'deep', 'cpu', 'nope', 'x'.repeat(5000), ',', 'NaN'];
/** Paths relative to the run's temporary directory (see {@link setUpArea}) and fixed ones. */
const PATHS = ['sw1', 'sw2', 'sw1/results.jsonl', 'file.json', 'data.json', 'bigy.json', 'net.json', 'dir', 'empty', 'readonly', 'readonly/out', 'file.json/x', 'missing', '/dev/zero', '', 'deep.json', NET];

/** Small valid flags that keep each working command within its per-run budget. */
const BASE: Readonly<Record<string, readonly string[]>> = {
  fit: ['--class', 'linear', '--n', '8', '--d', '2'],
  lip: ['--class', 'linear', '--n', '8', '--d', '2', '--starts', '1', '--steps', '2', '--rounds', '0', '--fresh', '0', '--time-limit', '2', '--backend', 'cpu'],
  'check-model': ['--model', NET, '--dist', 'sphere', '--n', '8', '--starts', '1', '--steps', '2', '--rounds', '0', '--backend', 'cpu'],
  sweep: ['--class', 'linear', '--n', '8', '--d', '2', '--seeds', '1', '--starts', '1', '--steps', '2', '--backend', 'cpu', '--no-report', '--out', 'out'],
  verify: ['--count', '1', '--seed', '1', '--backend', 'cpu'],
  search: ['--regime', 'noiseless', '--budget', '1', '--backend', 'cpu', '--out', 'out'],
  bench: ['--backend', 'cpu', '--kernel', 'matmul', '--iterations', '1', '--out', 'out'],
  bound: ['--n', '10', '--d', '2', '--p', '3', '--eps', '0.5'],
  predict: [],
  merge: ['--out', 'out'],
  report: [],
  backends: [],
  check: [],
};
/** Commands whose defaults are heavy: they always keep their base flags (later flags override them). */
const HEAVY = new Set(['fit', 'lip', 'check-model', 'sweep', 'verify', 'search', 'bench']);
/** Option values that would make a run exceed its budget without being refused: never drawn. */
const SKIP: Readonly<Record<string, readonly string[]>> = { bench: ['--backend', '--kernel'], verify: ['--profile', '--count'] };

interface Flag {
  readonly long: string;
  readonly takesValue: boolean;
}
const program = await buildProgram();
const GRAMMAR = program.commands
  .filter((c) => c.name() !== 'help' && BASE[c.name()] !== undefined)
  .map((c) => ({
    name: c.name(),
    args: c.registeredArguments.length,
    flags: c.options.filter((o) => o.long !== undefined && o.long !== '--help').map((o): Flag => ({ long: o.long!, takesValue: o.required || o.optional })),
  }));
const ALL_FLAGS = GRAMMAR.flatMap((c) => c.flags);

const valueArb = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.constantFrom(...NAMES), fc.constantFrom(...PATHS), fc.integer({ min: -3, max: 12 }).map(String));

/** One flag token group: a flag of the command (hostile value), another command's flag, or an unknown one. */
function tokenArb(flags: readonly Flag[], skip: readonly string[]) {
  const own = flags.filter((f) => !skip.includes(f.long));
  const flag = (f: Flag): fc.Arbitrary<string[]> => (f.takesValue ? valueArb.map((v) => [f.long, v]) : fc.constant([f.long]));
  return fc.oneof(
    { weight: 6, arbitrary: own.length > 0 ? fc.constantFrom(...own).chain(flag) : fc.constant(['--json']) },
    { weight: 1, arbitrary: fc.constantFrom(...ALL_FLAGS.filter((f) => !skip.includes(f.long) && !f.takesValue)).map((f) => [f.long]) },
    { weight: 1, arbitrary: fc.constantFrom('--frobnicate', '--N', '-x', '--no-such=1', '--', '--debug').map((t) => [t]) },
  );
}

const argvArb = fc.constantFrom(...GRAMMAR).chain((c) =>
  fc
    .tuple(
      fc.boolean(),
      fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom('sw1', 'sw2') }, { weight: 2, arbitrary: fc.constantFrom(...PATHS) }), { minLength: c.args > 0 ? 1 : 0, maxLength: c.args > 0 ? 3 : 0 }),
      fc.array(tokenArb(c.flags, SKIP[c.name] ?? []), { maxLength: 4 }),
    )
    .map(([base, positionals, tokens]) => [c.name, ...positionals, ...(base || HEAVY.has(c.name) ? BASE[c.name] : []), ...tokens.flat()]),
);

/** Two finished shards of one tiny sweep (made once; each area gets a copy as sw1 and sw2). */
let shards = '';
beforeAll(async () => {
  shards = mkdtempSync(join(tmpdir(), 'robustlaw-fuzz-shards-'));
  for (const i of [1, 2]) {
    const { code } = await runCli(['sweep', '--class', 'linear', '--n', '8', '--d', '2', '--seeds', '2', '--starts', '1', '--steps', '2', '--backend', 'cpu', '--no-report', '--shard', `${i}/2`, '--out', join(shards, `sw${i}`)]);
    if (code !== 0) throw new Error(`the shard fixture sw${i} failed (exit ${code})`);
  }
});

/** A fresh temporary area with the files and places the paths name; returns its directory. */
function setUpArea(): string {
  const dir = mkdtempSync(join(tmpdir(), 'robustlaw-fuzz-'));
  for (const i of [1, 2]) cpSync(join(shards, `sw${i}`), join(dir, `sw${i}`), { recursive: true });
  writeFileSync(join(dir, 'file.json'), '{"format": "robustlaw-mlp/1", "layers": []}');
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ X: [[0.5, 0], [0, 0.5], [-0.5, 0]], y: [1, -1, 0.5] }));
  writeFileSync(join(dir, 'bigy.json'), JSON.stringify({ X: [[0.5, 0], [0, 0.5]], y: [1e6, 0] }));
  writeFileSync(join(dir, 'net.json'), '{"format": "robustlaw-mlp/1", "activation": "relu", "layers": [{"weights": [[3, 4]], "biases": [0]}, {"weights": [[1]], "biases": [0]}]}');
  writeFileSync(join(dir, 'deep.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  mkdirSync(join(dir, 'dir'));
  writeFileSync(join(dir, 'dir', 'note.txt'), 'the user\'s own file');
  mkdirSync(join(dir, 'empty'));
  mkdirSync(join(dir, 'readonly'));
  chmodSync(join(dir, 'readonly'), 0o555);
  return dir;
}

/** Every entry under `dir` with its size and modification time. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const s = statSync(p);
      out.set(p.slice(dir.length + 1), `${s.size}:${s.mtimeMs}:${s.mode}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** Runs the CLI on `argv` in this process, in a fresh area; returns what it did. */
async function runIn(argv: readonly string[]): Promise<Outcome> {
  const area = setUpArea();
  const before = snapshot(area);
  const t0 = performance.now();
  const { code, stdout, stderr } = await runCli(argv, { cwd: area });
  const ms = performance.now() - t0;
  const after = snapshot(area);
  const written = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
  chmodSync(join(area, 'readonly'), 0o755);
  rmSync(area, { recursive: true, force: true });
  return { argv, code, stdout, stderr, written, ms };
}

/** Exit codes seen, by command (printed once at the end: how far the drawn vectors got). */
const seen = new Map<string, number>();
afterAll(() => {
  process.exitCode = undefined;
  rmSync(shards, { recursive: true, force: true });
  console.log(`cli-fuzz outcomes: ${[...seen].sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
});

const RUNS = DEEP ? 300 : 50;

describe('the CLI under hostile argument vectors', () => {
  test.prop([argvArb], { numRuns: RUNS, timeout: 30_000, interruptAfterTimeLimit: DEEP ? 1_500_000 : 90_000 })(
    'exit 0, 1 or 2; on 2 one line naming a flag or a path and nothing written; no stack, no internal error',
    async (argv) => {
      const o = await runIn(argv);
      const key = `${argv[0]}:${o.code}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      const why = violation(o);
      expect(why, `${JSON.stringify(argv)}\nexit ${o.code}\n${o.stderr.slice(0, 2000)}`).toBeNull();
    },
    DEEP ? 1_800_000 : 120_000,
  );

  it('the grammar covers every command of the program', () => {
    expect(GRAMMAR.map((c) => c.name).sort()).toEqual(program.commands.map((c) => c.name()).filter((n) => n !== 'help').sort());
  });

  it('the predicate rejects known bad outcomes', () => {
    const ok: Outcome = { argv: ['fit'], code: 2, stdout: '', stderr: 'robustlaw: --n must be an integer >= 1 (got 0)\n', written: [], ms: 5 };
    expect(violation(ok)).toBeNull();
    expect(violation({ ...ok, code: 70, stderr: 'robustlaw: internal error: boom (run with --debug for the stack)\n' })).toMatch(/exit 70/);
    expect(violation({ ...ok, code: 0, stderr: 'Error: boom\n    at fit (src/models/linear.ts:3:4)\n' })).toBe('a stack trace');
    expect(violation({ ...ok, code: 1, stderr: 'robustlaw: internal error: x\n' })).toBe('an internal error message');
    expect(violation({ ...ok, stderr: 'robustlaw: --n must be an integer >= 1 (got 0)\nand more\n' })).toMatch(/one line/);
    expect(violation({ ...ok, stderr: 'robustlaw: fitGaussianKernel: bandwidth must be > 0 (got -1)\n' })).toMatch(/names no flag/);
    expect(violation({ ...ok, written: ['out/sweep.json'] })).toMatch(/wrote out\/sweep\.json/);
    expect(violation({ ...ok, code: 7 })).toBe('exit 7');
    expect(violation({ ...ok, code: 0, ms: RUN_BUDGET_MS + 1 })).toMatch(/past the per-run budget/);
  });

  it('the shard fixtures merge and report in an area', async () => {
    const o = await runIn(['merge', 'sw1', 'sw2', '--out', 'merged']);
    expect(o.code, o.stderr).toBe(0);
    expect(o.written).toContain('merged/results.jsonl');
    expect(violation(o)).toBeNull();
  });

  it('a run in the area sees its files and leaves the repository alone', async () => {
    const o = await runIn(['lip', '--model', 'net.json', '--class', 'bumps']);
    expect(o.code).toBe(2);
    expect(o.stderr).toBe('robustlaw: --class does not apply with --model (the network is loaded from the file, not fitted to drawn data)\n');
    expect(violation(o)).toBeNull();
  });
});
