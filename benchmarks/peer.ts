/**
 * `npm run bench:peer`: the harness against the numpy script a researcher would write instead
 * (benchmarks/peers/numpy_sweep.py), on the script's grid, in one run on this machine.
 *
 * The grid (n = 200, d = 100, sphere, sign labels, seed 0): random features relu/tanh/square at
 * k = 4n..64n, NTK features square/cos/tanh at k = 8..200 (p = d k), and hat bumps. The harness runs it
 * as the one sweep of examples/specs/peer-grid.yaml (widths scaled to --n and --d; the sweep's default
 * effort, data floor included) through the one runner; the script runs in python3 with OpenBLAS free to pick its kernels. Printed: each side's
 * wall time and their ratio, and per row the script's lower bound (max gradient norm found, no
 * certificate) next to the harness's certified lower and upper bounds.
 *
 * Usage: npm run bench:peer -- [--backend auto|cpu|tfjs-tensorflow|tfjs-wasm] [--n 200] [--d 100] [--json FILE] [--harness-only] [--kernels] [--repeat R]
 * (--repeat R runs the script and the harness alternately R times and reports each pair's ratio and their median:
 * on a 2-core machine one pair swings by 10% and more)
 * (--kernels adds the two hot kernels on auto against numpy; ROBUSTLAW_NO_NATIVE=1 measures as without tfjs-node)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { autoBackend, createBackend, detectBackends } from '../src/backends/registry.js';
import { openSearchBackend, type SearchBackendName } from '../src/backends/search-backend.js';
import { Rng } from '../src/core/rng.js';
import { expandGrid } from '../src/sweep/grid.js';
import { sweepEvaluateOptions } from '../src/sweep/run-sweep.js';
import { runInstances } from '../src/sweep/runner.js';
import { parseSweepSpec } from '../src/sweep/spec.js';
import type { SweepRecord } from '../src/law/record.js';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'auto' }, n: { type: 'string', default: '200' }, d: { type: 'string', default: '100' }, json: { type: 'string' }, 'harness-only': { type: 'boolean', default: false }, kernels: { type: 'boolean', default: false }, repeat: { type: 'string', default: '1' } } });
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) {
  process.stderr.write(`bench:peer: --repeat must be an integer in [1, 20], got ${values.repeat}\n`);
  process.exit(2);
}
const n = Number(values.n);
const d = Number(values.d);
const peer = fileURLToPath(new URL('./peers/numpy_sweep.py', import.meta.url));

interface PeerRow {
  cls: string;
  act: string;
  p: number;
  lip: number;
}

/** The numpy script, timed from outside (interpreter start included), with OpenBLAS's own kernel choice. */
function runPeer(): { rows: PeerRow[]; seconds: number } | { skipped: string } {
  const probe = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: `python3 with numpy is not available here (${(probe.stderr || probe.error?.message || 'no python3').trim().split('\n').pop()})` };
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const t0 = performance.now();
  const out = execFileSync('python3', [peer, String(n), String(d), '0'], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = (performance.now() - t0) / 1000;
  return { rows: out.trim().split('\n').map((l) => JSON.parse(l) as PeerRow), seconds };
}

/** The same grid through the harness: examples/specs/peer-grid.yaml at this n and d (one spec of three blocks, activations as an axis), as one sweep. */
async function runHarness(backendName: SearchBackendName): Promise<{ records: SweepRecord[]; seconds: number; backend: string }> {
  const backend = await openSearchBackend(backendName);
  if (backend.note) process.stderr.write(`bench:peer: ${backend.note}\n`);
  const file = parse(readFileSync(fileURLToPath(new URL('../examples/specs/peer-grid.yaml', import.meta.url)), 'utf8')) as { blocks: { class: string; k?: number[] }[] };
  const widths: Record<string, number[]> = {
    'random-features': [4, 8, 16, 32, 64].map((f) => f * n),
    'ntk-features': [4, 8, 16, 32, 64, 100].map((f) => Math.max(1, Math.floor((f * n) / d))),
  };
  const spec = parseSweepSpec({ ...file, n, d, blocks: file.blocks.map((b) => (widths[b.class] ? { ...b, k: widths[b.class] } : b)) }, 'bench:peer');
  const t0 = performance.now();
  const records = runInstances({ points: expandGrid(spec), effort: sweepEvaluateOptions(spec), backend }).records;
  return { records: [...records], seconds: (performance.now() - t0) / 1000, backend: `${backend.name} (${backend.precision}${backend.requested === 'auto' ? ', auto' : ''})` };
}

/**
 * The two hot kernels on the backend `auto` picks for them, against numpy (f32, OpenBLAS) in the same run:
 * a 1024 matmul and the batched input-gradient norms of a two-layer net (d 256, k 4096, batch 4096).
 */
async function hotKernels(): Promise<string[]> {
  const py = `
import numpy as np, time, json
r = np.random.default_rng(0); out = {}
a = r.standard_normal((1024, 1024)).astype(np.float32); b = r.standard_normal((1024, 1024)).astype(np.float32)
a @ b; t = time.time(); R = 10
for _ in range(R): a @ b
out['matmul'] = 2 * 1024**3 * R / (time.time() - t) / 1e9
X = r.standard_normal((4096, 256)).astype(np.float32) / 16; W = r.standard_normal((4096, 256)).astype(np.float32); bb = r.standard_normal(4096).astype(np.float32); aa = r.standard_normal(4096).astype(np.float32)
def g(): return np.linalg.norm(((1 - np.tanh(X @ W.T + bb) ** 2) * aa) @ W, axis=1)
g(); t = time.time(); R = 3
for _ in range(R): g()
out['gradNorms'] = (time.time() - t) / R
print(json.dumps(out))`;
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync('python3', ['-c', py], { env, encoding: 'utf8' });
  if (r.status !== 0) return [`hot kernels: numpy not available (${(r.stderr || 'no python3').trim().split('\n').pop()})`];
  const np = JSON.parse(r.stdout) as { matmul: number; gradNorms: number };
  const statuses = await detectBackends();
  const lines: string[] = [];
  const mmName = autoBackend('matmul', 2 * 1024 ** 3, statuses);
  const gnName = autoBackend('gradNorms', 2 * 2 * 4096 * 256 * 4096, statuses);
  const rng = new Rng(0);
  const f32 = (len: number, s = 1) => Float32Array.from(rng.fillNormal(new Float64Array(len)), (v) => v * s);
  const mm = await createBackend(mmName);
  const A = f32(1024 * 1024);
  const B = f32(1024 * 1024);
  mm.matmul(A, B, 1024, 1024, 1024);
  let t = performance.now();
  for (let i = 0; i < 10; i++) mm.matmul(A, B, 1024, 1024, 1024);
  const mmGflops = (2 * 1024 ** 3 * 10) / ((performance.now() - t) / 1000) / 1e9;
  const gn = await createBackend(gnName);
  const [X, W, b, a] = [f32(4096 * 256, 1 / 16), f32(4096 * 256), f32(4096), f32(4096)];
  gn.gradNorms(X, W, b, a, 4096, 256, 4096, 'tanh');
  t = performance.now();
  for (let i = 0; i < 3; i++) gn.gradNorms(X, W, b, a, 4096, 256, 4096, 'tanh');
  const gnSeconds = (performance.now() - t) / 1000 / 3;
  lines.push('| hot kernel (auto) | backend | harness | numpy f32 | harness / numpy throughput |', '|---|---|---|---|---|');
  lines.push(`| matmul f32 1024 | ${mmName} | ${mmGflops.toFixed(1)} GFLOP/s | ${np.matmul.toFixed(1)} GFLOP/s | ${(mmGflops / np.matmul).toFixed(2)} |`);
  lines.push(`| gradient norms d 256, k 4096, batch 4096 (tanh) | ${gnName} | ${gnSeconds.toFixed(3)} s | ${np.gradNorms.toFixed(3)} s | ${(np.gradNorms / gnSeconds).toFixed(2)} |`);
  return lines;
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toPrecision(4));
// alternate the two sides, so that a slow spell of the machine hits both
const pairs: { peer: ReturnType<typeof runPeer>; harness: Awaited<ReturnType<typeof runHarness>> }[] = [];
for (let r = 0; r < repeat; r++) {
  const p = values['harness-only'] ? { skipped: 'not run (--harness-only)' } : runPeer();
  pairs.push({ peer: p, harness: await runHarness(values.backend as SearchBackendName) });
}
const peerRun = pairs[pairs.length - 1].peer;
const harness = pairs[pairs.length - 1].harness;
// the harness is deterministic: every repetition must give the same records (timings aside)
const strip = (rs: readonly SweepRecord[]) => JSON.stringify(rs.map(({ timing: _t, ...rest }) => rest));
if (pairs.some((q) => strip(q.harness.records) !== strip(harness.records))) throw new Error('bench:peer: two runs of the harness gave different records');
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
const lines: string[] = [];
lines.push(`bench:peer on ${machine}; grid n = ${n}, d = ${d}, sphere, sign labels, seed 0`);
lines.push('');
lines.push('| class | activation | p | numpy lower | harness lower | harness upper | upper / lower |');
lines.push('|---|---|---|---|---|---|---|');
const rows = 'rows' in peerRun ? peerRun.rows : [];
for (const r of harness.records) {
  const act = r.spec.modelOptions?.activation ?? r.spec.modelOptions?.profile ?? 'hat';
  const pr = rows.find((q) => q.cls === r.spec.className && q.act === act && q.p === r.p);
  lines.push(`| ${r.spec.className} | ${act} | ${r.p} | ${fmt(pr?.lip)} | ${fmt(r.lower)} | ${fmt(r.upper)} | ${fmt(r.ratio)} |`);
}
lines.push('');
if ('skipped' in peerRun) lines.push(`numpy script: skipped: ${peerRun.skipped}`);
else lines.push(`numpy script: ${peerRun.seconds.toFixed(1)} s (lower bounds only, no certificates)`);
lines.push(`harness (${harness.backend}): ${harness.seconds.toFixed(1)} s (certified lower and upper bounds)`);
const ratios = pairs.flatMap((q) => ('seconds' in q.peer ? [q.harness.seconds / q.peer.seconds] : []));
if (ratios.length === 1) lines.push(`ratio harness / numpy: ${ratios[0].toFixed(2)}x`);
else if (ratios.length > 1) {
  const sorted = [...ratios].sort((x, y) => x - y);
  const median = sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  lines.push(`${pairs.length} alternating runs: numpy ${pairs.map((q) => ('seconds' in q.peer ? q.peer.seconds.toFixed(1) : '-')).join(', ')} s; harness ${pairs.map((q) => q.harness.seconds.toFixed(1)).join(', ')} s`);
  lines.push(`ratio harness / numpy: median ${median.toFixed(2)}x (runs: ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
}
const lowerWins = rows.length ? harness.records.filter((r) => { const pr = rows.find((q) => q.cls === r.spec.className && q.p === r.p && q.act === (r.spec.modelOptions?.activation ?? 'hat')); return pr === undefined || r.lower >= pr.lip * (1 - 1e-9); }).length : 0;
if (rows.length) lines.push(`rows where the harness's certified lower bound is at least the script's: ${lowerWins} of ${harness.records.length}; rows with a certified upper bound: ${harness.records.filter((r) => r.upper !== null).length} of ${harness.records.length}`);
if (values.kernels) lines.push('', ...(await hotKernels()));
process.stdout.write(`${lines.join('\n')}\n`);
if (values.json) writeFileSync(values.json, `${JSON.stringify({ machine, n, d, peer: peerRun, harness: { backend: harness.backend, seconds: harness.seconds, records: harness.records }, runs: pairs.map((q) => ({ numpySeconds: 'seconds' in q.peer ? q.peer.seconds : null, harnessSeconds: q.harness.seconds })), ratios }, null, 2)}\n`);
