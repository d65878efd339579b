/**
 * `npm run bench:startup`: how fast the `robustlaw` command starts, as a user runs it (a fresh process per
 * call, through bin/robustlaw.js), and the peer grid end to end from the shell against the numpy script.
 *
 * Measured (medians of --repeat runs, default 10): `robustlaw --version`, `robustlaw bound ...`, a refused
 * flag (`bound --n abc`), `robustlaw backends`; with --peer, `robustlaw sweep --spec
 * examples/specs/peer-grid.yaml` against `python3 benchmarks/peers/numpy_sweep.py 200 100 0`, alternately,
 * --peer-repeat times (default 3), each timed from the shell (process start included). Targets
 * (docs/performance.md, "Start-up"): --version <= 0.3 s, bound <= 0.5 s, a refused flag <= 0.5 s, the peer
 * grid <= 1.0x the script.
 *
 * Usage: npm run bench:startup -- [--repeat 10] [--peer] [--peer-repeat 3] [--json FILE]
 * It refuses to run on a checkout whose dist/ is older than its sources (it would time tsx): npm run build.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildIsCurrent } from '../scripts/build-stamp.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { repeat: { type: 'string', default: '10' }, peer: { type: 'boolean', default: false }, 'peer-repeat': { type: 'string', default: '3' }, json: { type: 'string' } } });
const repeat = Number(values.repeat);
const peerRepeat = Number(values['peer-repeat']);
for (const [flag, v] of [['--repeat', repeat], ['--peer-repeat', peerRepeat]] as const) {
  if (!Number.isInteger(v) || v < 1 || v > 100) {
    process.stderr.write(`bench:startup: ${flag} must be an integer in [1, 100] (got ${String(v)})\n`);
    process.exit(2);
  }
}
if (!buildIsCurrent(ROOT)) {
  process.stderr.write('bench:startup: dist/ is older than the sources, so robustlaw would run through tsx; run npm run build first\n');
  process.exit(2);
}

const bin = join(ROOT, 'bin', 'robustlaw.js');
/** Wall seconds of one command from spawn to exit, and its exit status. */
function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): { seconds: number; status: number | null } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) throw r.error;
  return { seconds, status: r.status };
}
const median = (v: readonly number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

const cases: { name: string; args: string[]; status: number; target: number | null }[] = [
  { name: 'robustlaw --version', args: ['--version'], status: 0, target: 0.3 },
  { name: 'robustlaw bound --n 1000 --d 100 --p 5000 --eps 0.5', args: ['bound', '--n', '1000', '--d', '100', '--p', '5000', '--eps', '0.5'], status: 0, target: 0.5 },
  { name: 'robustlaw bound --n abc (refused)', args: ['bound', '--n', 'abc', '--d', '100', '--p', '5000', '--eps', '0.5'], status: 2, target: 0.5 },
  { name: 'robustlaw backends', args: ['backends'], status: 0, target: null },
];
const results: { name: string; median: number; min: number; max: number; target: number | null }[] = [];
timed(process.execPath, [bin, '--version']); // the file cache warm, as for a user's second command
for (const c of cases) {
  const s: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const r = timed(process.execPath, [bin, ...c.args]);
    if (r.status !== c.status) throw new Error(`bench:startup: ${c.name} exited ${r.status}, expected ${c.status}`);
    s.push(r.seconds);
  }
  results.push({ name: c.name, median: median(s), min: Math.min(...s), max: Math.max(...s), target: c.target });
}

let peer: { harness: number[]; numpy: number[]; ratio: number } | { skipped: string } | null = null;
if (values.peer) {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) peer = { skipped: 'python3 with numpy is not available here' };
  else {
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const out = mkdtempSync(join(tmpdir(), 'robustlaw-startup-'));
    const harness: number[] = [];
    const numpy: number[] = [];
    try {
      // alternate the two, so that a slow spell of the machine hits both
      for (let i = 0; i < peerRepeat; i++) {
        const p = timed('python3', [join(ROOT, 'benchmarks', 'peers', 'numpy_sweep.py'), '200', '100', '0'], env);
        if (p.status !== 0) throw new Error('bench:startup: the numpy script failed');
        numpy.push(p.seconds);
        const h = timed(process.execPath, [bin, 'sweep', '--spec', 'examples/specs/peer-grid.yaml', '--out', join(out, `run-${i}`), '--no-bench'], env);
        if (h.status !== 0) throw new Error(`bench:startup: the peer-grid sweep exited ${h.status}`);
        harness.push(h.seconds);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    peer = { harness, numpy, ratio: median(harness.map((h, i) => h / numpy[i])) };
  }
}

const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
const lines = [`bench:startup on ${machine}; medians of ${repeat} runs, each a fresh process through bin/robustlaw.js (dist/)`, '', '| command | median | min | max | target |', '|---|---|---|---|---|'];
for (const r of results) lines.push(`| \`${r.name}\` | ${r.median.toFixed(3)} s | ${r.min.toFixed(3)} s | ${r.max.toFixed(3)} s | ${r.target === null ? '-' : `<= ${r.target} s${r.median <= r.target ? ' (met)' : ' (NOT met)'}`} |`);
if (peer !== null) {
  lines.push('');
  if ('skipped' in peer) lines.push(`peer grid: skipped (${peer.skipped})`);
  else lines.push(`peer grid end to end (${peerRepeat} alternating pairs): robustlaw sweep --spec examples/specs/peer-grid.yaml ${peer.harness.map((s) => s.toFixed(2)).join(', ')} s; numpy_sweep.py ${peer.numpy.map((s) => s.toFixed(2)).join(', ')} s; median ratio ${peer.ratio.toFixed(2)}x (target <= 1.0x${peer.ratio <= 1 ? ': met' : ': NOT met'})`);
}
process.stdout.write(`${lines.join('\n')}\n`);
if (values.json) writeFileSync(values.json, `${JSON.stringify({ machine, repeat, results, peer }, null, 2)}\n`);
