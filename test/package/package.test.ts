/**
 * The installable package (docs/package.md): `npm pack` builds dist/ and packs it; a fresh project outside
 * this repository (a copy of examples/consumer-project) installs the tarball OFFLINE from the npm cache
 * that this repository's `npm ci` filled, then runs the `robustlaw` bin, imports the library, typechecks
 * against the shipped declarations, and runs its own law tests with the matchers: the passing file passes,
 * the failing file fails printing the certified bounds and the replay seed.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { consumerLock, type ConsumerManifest } from './offline-lock.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'consumer-project');

interface PackResult {
  filename: string;
  integrity: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

let dir = '';
let packed: PackResult;
let installMode = '';
const seconds: Record<string, number> = {};

const timed = <T>(label: string, f: () => T): T => {
  const t0 = performance.now();
  try {
    return f();
  } finally {
    seconds[label] = (performance.now() - t0) / 1000;
  }
};

/** Runs a command in the consumer project; its output and exit status. */
function inProject(cmd: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ROBUSTLAW_SEED: '', VITEST: '', VITEST_POOL_ID: '', VITEST_WORKER_ID: '', NODE_OPTIONS: '' }, timeout: 240_000, maxBuffer: 1 << 26 });
}

const npmCi = (extra: string) => inProject('npm', ['ci', extra, '--no-audit', '--no-fund', '--loglevel=error']);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'robustlaw-consumer-'));
  // npm pack runs the prepack script: scripts/build.mjs compiles src/ into dist/ (fails on a type error)
  const out = timed('pack', () => execFileSync('npm', ['pack', '--json', '--pack-destination', dir, '--loglevel=error'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 }));
  packed = (JSON.parse(out.slice(out.indexOf('[')).trim()) as PackResult[])[0];
  cpSync(EXAMPLE, dir, { recursive: true, filter: (s) => !/node_modules|package-lock\.json$/.test(s) });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as ConsumerManifest;
  const consumer: ConsumerManifest = { ...manifest, dependencies: { ...manifest.dependencies, robustlaw: `file:${packed.filename}` } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(consumer, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(consumerLock(ROOT, consumer, packed.filename, packed.integrity, false), null, 2)}\n`);
  // offline: every tarball comes from npm's cache. A cache filled by an older npm ci may lack registry
  // metadata npm 11 asks for; then (and only then) the install may fill the gap from the registry, and says so.
  let r = timed('install', () => npmCi('--offline'));
  installMode = 'offline';
  if (r.status !== 0 && /ENOTCACHED/.test(r.stderr)) {
    process.stderr.write(`package test: the npm cache lacked entries for an offline install (${r.stderr.split('\n').find((l) => /request to/.test(l)) ?? 'ENOTCACHED'}); retrying with --prefer-offline\n`);
    r = timed('install', () => npmCi('--prefer-offline'));
    installMode = 'prefer-offline';
  }
  if (r.status !== 0) throw new Error(`npm ci in the consumer project failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
}, 300_000);

afterAll(() => {
  process.stderr.write(`package test: ${packed?.filename} ${((packed?.size ?? 0) / 1024).toFixed(0)} kB packed; install ${installMode}; seconds ${JSON.stringify(Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, Number(v.toFixed(1))])))}\n`);
  if (dir && !process.env.ROBUSTLAW_KEEP_CONSUMER) rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  test('holds compiled JavaScript with declarations, the bin and the worker entry, and no TypeScript source', () => {
    const files = packed.files.map((f) => f.path);
    for (const f of ['package.json', 'bin/robustlaw.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/run.js', 'dist/src/testing/vitest.js', 'dist/src/testing/vitest.d.ts', 'dist/src/testing/fast-check.js', 'dist/src/backends/cpu-worker.mjs', 'dist/src/backends/cpu-worker-task.js', 'dist/src/linalg/abt-worker.mjs']) expect(files).toContain(f);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('src/'))).toBe(false);
  });

  test('installs without tsx, gpu.js or the native TensorFlow binding', () => {
    expect(existsSync(join(dir, 'node_modules', 'robustlaw', 'dist', 'src', 'index.js'))).toBe(true);
    for (const heavy of ['tsx', 'gpu.js', 'webgpu', '@tensorflow/tfjs-node']) expect(existsSync(join(dir, 'node_modules', heavy)), heavy).toBe(false);
  });

  test('the robustlaw bin runs from the installed package (compiled, no tsx): bound, a refusal, a sweep with its report', () => {
    const r = inProject(join(dir, 'node_modules', '.bin', 'robustlaw'), ['bound', '--n', '1e6', '--d', '1000', '--p', '1e4', '--eps', '0.5', '--W', '10', '--J', '10', '--delta', '0.01']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Theorem 3 lower bound: Lip(f) >= 0.1008');
    expect(r.status).toBe(0);
    const bad = inProject(join(dir, 'node_modules', '.bin', 'robustlaw'), ['predict', '--n', '-3']);
    expect(bad.status).toBe(2);
    // the main job end to end: a one-instance sweep with its report (vega from the consumer's node_modules)
    const sweep = inProject(join(dir, 'node_modules', '.bin', 'robustlaw'), ['sweep', '--class', 'bumps', '--n', '20', '--d', '4', '--seeds', '1', '--backend', 'cpu', '--out', 'sweep-out']);
    expect(sweep.status, sweep.stderr).toBe(0);
    expect(sweep.stdout).toContain('No certified counterexample.');
    for (const f of ['results.jsonl', 'report.md', 'report.html', 'plots/lipschitz.svg']) expect(existsSync(join(dir, 'sweep-out', f)), f).toBe(true);
    // the f64 kernel's worker threads start from the compiled package (abt-worker.mjs next to abt-threads.js)
    const backends = inProject(join(dir, 'node_modules', '.bin', 'robustlaw'), ['backends', '--json']);
    expect(backends.status, backends.stderr).toBe(0);
    const threads = (JSON.parse(backends.stdout) as { f64Threads: { threads: number; running: boolean; reason: string | null } }).f64Threads;
    expect(threads.running, threads.reason ?? '').toBe(threads.threads > 1);
  });

  test('the library, robustlaw/vitest and robustlaw/fast-check import from the installed package; the cpu worker starts', () => {
    const script = [
      "import { informalLaw, Streams } from 'robustlaw';",
      "import { lawInstanceSpec } from 'robustlaw/fast-check';",
      "import { Worker } from 'node:worker_threads';",
      "import { createRequire } from 'node:module';",
      "import { pathToFileURL } from 'node:url';",
      'console.log(`law ${informalLaw(100, 25, 500, 0.5).toFixed(4)} ${typeof Streams} ${typeof lawInstanceSpec}`);',
      "const main = pathToFileURL(createRequire(import.meta.url).resolve('robustlaw'));",
      "const w = new Worker(new URL('./backends/cpu-worker.mjs', main));",
      "w.once('message', (m) => { console.log('worker ' + JSON.stringify(m)); void w.terminate(); });",
    ].join('\n');
    writeFileSync(join(dir, 'import-check.mjs'), script);
    const r = inProject(process.execPath, ['import-check.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('law 1.1180 function function');
    expect(r.stdout).toContain('worker {"ready":true}');
  });

  test("the example project typechecks against the package's declarations (matchers on expect included)", () => {
    const r = inProject(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('a CommonJS corner of the project (commonjs/, "type": "commonjs") typechecks, compiles to require() and runs (Node >= 20.19)', () => {
    const tsc = inProject(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'commonjs']);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(readFileSync(join(dir, 'commonjs', 'out', 'bound.js'), 'utf8')).toContain('require("robustlaw")');
    const r = inProject(process.execPath, [join('commonjs', 'out', 'bound.js')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Theorem 3 applies: true; law eps sqrt(n d / p) = 158.114\n');
  });

  test("hints name commands that exist in the user's project: the native binding's setup is the shipped script, not an npm script of robustlaw's", () => {
    const script = "import { tfjsNodeSetupCommand, installedAsDependency } from 'robustlaw'; console.log(installedAsDependency(), tfjsNodeSetupCommand());";
    writeFileSync(join(dir, 'hint-check.mjs'), script);
    const r = inProject(process.execPath, ['hint-check.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true node node_modules/robustlaw/scripts/setup-tfjs-node.mjs\n');
    expect(existsSync(join(dir, 'node_modules', 'robustlaw', 'scripts', 'setup-tfjs-node.mjs'))).toBe(true);
  });
});

describe("the example project's own law tests", () => {
  test('the passing file passes: the matchers and a fast-check property over fitted instances', () => {
    const r = timed('passing tests', () => inProject(process.execPath, [join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/law.test.ts']));
    expect(r.stdout, r.stderr).toMatch(/Tests\s+3 passed \(3\)/);
    expect(r.status).toBe(0);
  });

  test('the failing file fails, printing the certified bounds, the witness and the replay seed', () => {
    const r = timed('failing tests', () => inProject(process.execPath, [join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/failing-claims.test.ts']));
    const out = r.stdout + r.stderr;
    expect(r.status).toBe(1);
    expect(out).toMatch(/Tests\s+2 failed \(2\)/);
    // the Lipschitz claim: certified [1, 1] (the exact value of the hand-made net), its witness and seed
    expect(out).toContain("expected the model's Lipschitz constant to be certified above 2, but the certified lower bound is 1");
    expect(out).toMatch(/certified Lip\(f\) in \[1, 1\] on ball\(0, 1\)/);
    expect(out).toContain('replay: seed 0');
    // the property: fast-check's seed and path, the shrunk instance, and the matcher's bounds
    expect(out).toMatch(/Property failed after \d+ tests?\s*\{ seed: 42, path: "[\d:]+", endOnFailure: true \}/);
    expect(out).toMatch(/Counterexample: \[instance \{"dist":"[a-z]+"/);
    expect(out).toMatch(/expected the model to satisfy the law[^\n]*\n\s+certified Lip\(f\) in \[[\d.e+-]+, [^\]]+\]/);
  });
});
