#!/usr/bin/env node
// npm run setup:tfjs-node — build the optional @tensorflow/tfjs-node binding WITHOUT internet.
//
// tfjs-node's own install script downloads libtensorflow, which fails on air-gapped machines (and npm 11
// does not even run it here). Where a TensorFlow 2.x library can be found locally — the tensorflow-cpu
// wheel that the machine's pip index serves — this script places its libtensorflow and C API headers where
// the binding's build expects them (the package's deps/ folder), builds the binding with node-pre-gyp,
// and checks it with a small equivalence run against the cpu reference. It says what it did, or why it
// could not, and exits 0 on success, 1 otherwise (CI then reports the tfjs-node columns as skipped).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// `--from-install` (the package's postinstall, run by `npm ci`): one line, and never a failed install.
const fromInstall = process.argv.includes('--from-install');
// TensorFlow's C++ notices (CPU features, oneDNN) are not for the user; errors still print
process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
process.env.TF_ENABLE_ONEDNN_OPTS ??= '0';
const say = (m) => {
  if (!fromInstall) process.stdout.write(`setup:tfjs-node: ${m}\n`);
};
const fail = (m) => {
  if (fromInstall) {
    process.stdout.write(`robustlaw: the native TensorFlow binding is not set up (${m}); the harness runs on tfjs-wasm and the f64 cpu path (npm run setup:tfjs-node retries)\n`);
    process.exit(0);
  }
  say(`NOT set up: ${m}`);
  process.exit(1);
};
if (fromInstall) {
  // only for this repository's own install, not when robustlaw is installed as someone's dependency
  const root = dirname(dirname(new URL(import.meta.url).pathname));
  if (process.env.ROBUSTLAW_SKIP_NATIVE === '1') fail('ROBUSTLAW_SKIP_NATIVE=1');
  if (process.env.INIT_CWD && process.env.INIT_CWD !== root) process.exit(0);
}
const require = createRequire(import.meta.url);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, ...opts }).toString();

// 0. The package itself. It is declared in optionalDependencies, but npm 11 drops an optional package
// whose install script it blocks, so install it here with its script disabled (npm registry only).
const wanted = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).optionalDependencies?.['@tensorflow/tfjs-node'] ?? '4.22.0';
let pkgDir;
const resolvePkg = () => dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
try {
  pkgDir = resolvePkg();
} catch {
  say(`installing @tensorflow/tfjs-node@${wanted} with --ignore-scripts (its own script would download libtensorflow)`);
  try {
    run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `@tensorflow/tfjs-node@${wanted}`]);
    pkgDir = resolvePkg();
  } catch (e) {
    fail(`could not install @tensorflow/tfjs-node (${String(e.stderr ?? e.message).trim().split('\n').pop()})`);
  }
}
const version = require('@tensorflow/tfjs-node/package.json').version;
try {
  require('@tensorflow/tfjs-node');
  say(`the binding of @tensorflow/tfjs-node ${version} already loads; nothing to do`);
  if (fromInstall) process.stdout.write(`robustlaw: the native TensorFlow binding (tfjs-node ${version}) is active\n`);
  process.exit(0);
} catch {
  /* not built yet */
}

// 1. A TensorFlow library from the local pip index (tensorflow-cpu wheel).
const work = mkdtempSync(join(tmpdir(), 'robustlaw-tfjs-node-'));
let wheel;
try {
  run('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', work, 'tensorflow-cpu']);
  wheel = readdirSync(work).find((f) => f.startsWith('tensorflow_cpu-') && f.endsWith('.whl'));
} catch (e) {
  fail(`pip could not provide a tensorflow-cpu wheel (${String(e.stderr ?? e.message).trim().split('\n').pop()})`);
}
if (!wheel) fail('pip ran but no tensorflow-cpu wheel was downloaded');
say(`using ${wheel} from the local pip index`);

// 2. Extract libtensorflow_cc / libtensorflow_framework and the C API headers into deps/.
const ex = join(work, 'x');
run('python3', ['-c', `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if n.startswith('tensorflow/libtensorflow') or n.startswith('tensorflow/include/tensorflow/c/') or n.startswith('tensorflow/include/tensorflow/core/platform/ctstring') or n.startswith('tensorflow/include/tsl/platform/ctstring') or n.startswith('tensorflow/include/xla/tsl/c/') or n.startswith('tensorflow/include/tsl/c/')]`, join(work, wheel), ex]);
const tfDir = join(ex, 'tensorflow');
const libs = readdirSync(tfDir).filter((f) => f.startsWith('libtensorflow'));
if (!libs.some((f) => f.startsWith('libtensorflow_cc.so'))) fail(`the wheel has no libtensorflow_cc.so (found: ${libs.join(', ')})`);
const deps = join(pkgDir, 'deps');
rmSync(deps, { recursive: true, force: true });
mkdirSync(join(deps, 'lib'), { recursive: true });
for (const f of libs) cpSync(join(tfDir, f), join(deps, 'lib', f));
// the binding links against libtensorflow.so.2: the C API lives in libtensorflow_cc.so.2 in the wheel
const cc = libs.find((f) => /^libtensorflow_cc\.so\.\d+$/.test(f));
symlinkSync(cc, join(deps, 'lib', cc.replace('_cc', '')));
symlinkSync(cc.replace('_cc', ''), join(deps, 'lib', 'libtensorflow.so'));
const fw = libs.find((f) => /^libtensorflow_framework\.so\.\d+$/.test(f));
if (fw) symlinkSync(fw, join(deps, 'lib', 'libtensorflow_framework.so'));
cpSync(join(tfDir, 'include'), join(deps, 'include'), { recursive: true });
say(`placed ${libs.join(', ')} and the C API headers in ${deps}`);

// 3. Build the binding.
const preGyp = (() => {
  try {
    return require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', { paths: [pkgDir] });
  } catch {
    return null;
  }
})();
if (!preGyp) fail('@mapbox/node-pre-gyp (a dependency of tfjs-node) is missing');
try {
  const t0 = Date.now();
  // build against the local Node headers (npm's nodedir, /usr here): node-gyp must not download them
  const nodedir = (() => {
    try {
      return run('npm', ['config', 'get', 'nodedir']).trim();
    } catch {
      return '';
    }
  })();
  run(process.execPath, [preGyp, 'install', '--build-from-source', ...(nodedir && nodedir !== 'undefined' ? [`--nodedir=${nodedir}`] : [])], { cwd: pkgDir });
  say(`built the binding in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
} catch (e) {
  fail(`node-pre-gyp build failed: ${String(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' | ')}`);
}

// 4. Check it: a 64 x 64 matmul against plain JS, in a fresh process.
const check = `
const tf = require('@tensorflow/tfjs-node');
const n = 64, A = new Float32Array(n*n).map((_, i) => Math.sin(i)), B = new Float32Array(n*n).map((_, i) => Math.cos(i));
const C = tf.matMul(tf.tensor2d(A, [n, n]), tf.tensor2d(B, [n, n])).dataSync();
let err = 0; for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let t = 0; t < n; t++) s += A[i*n+t] * B[t*n+j]; err = Math.max(err, Math.abs(s - C[i*n+j])); }
process.stdout.write(JSON.stringify({ backend: tf.getBackend(), tfVersion: tf.version.tfjs, libtensorflow: tf.backend().binding?.TF_Version ?? 'unknown', maxAbsError: err }));`;
try {
  const out = JSON.parse(run(process.execPath, ['-e', check], { cwd: process.cwd() }));
  if (!(out.maxAbsError < 1e-3)) fail(`the binding loads but its matmul differs from the reference by ${out.maxAbsError}`);
  say(`OK: backend ${out.backend}, libtensorflow ${out.libtensorflow}, tfjs-node ${version}; 64x64 matmul max error ${out.maxAbsError.toExponential(2)} vs plain JS`);
  if (fromInstall) process.stdout.write(`robustlaw: built the native TensorFlow binding offline (libtensorflow ${out.libtensorflow}, tfjs-node ${version}); --backend auto uses it\n`);
} catch (e) {
  fail(`the built binding does not load or compute: ${String(e.stderr ?? e.message).trim().split('\n').slice(0, 2).join(' | ')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
