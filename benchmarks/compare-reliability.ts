/**
 * `npm run bench:reliability`: how often `robustlaw bench --compare` cries wolf, and how often it catches a
 * real slow-down, on this machine (docs/performance.md, "Regressions").
 *
 * One baseline run, then --count comparisons (default 20) of the same code against it, then --count
 * comparisons with one kernel made --factor times slower (default gradNorms at 1.5x, through
 * ROBUSTLAW_BENCH_SLOW=kernel:factor, which runs the work once and waits half its time again). Each
 * comparison is a fresh `robustlaw bench --compare` process, as CI runs it (a flagged case is re-measured in
 * another fresh process). Reported: false alarms (any case flagged among the unchanged runs; target 0 of 20)
 * and detections (the slowed kernel flagged; target 20 of 20), and no other case flagged in the slowed runs.
 *
 * Usage: npm run bench:reliability -- [--count 20] [--backend cpu] [--kernel matmul,gradNorms] [--slow gradNorms] [--factor 1.5] [--json FILE]
 * Runs for about count x 2 x 12 s with the defaults on 2 cores; run nothing else meanwhile.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CompareRow } from '../src/bench/compare.js';
import { buildIsCurrent } from '../scripts/build-stamp.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { count: { type: 'string', default: '20' }, backend: { type: 'string', default: 'cpu' }, kernel: { type: 'string', default: 'matmul,gradNorms' }, slow: { type: 'string', default: 'gradNorms' }, factor: { type: 'string', default: '1.5' }, json: { type: 'string' } } });
const count = Number(values.count);
if (!Number.isInteger(count) || count < 1 || count > 200) {
  process.stderr.write(`bench:reliability: --count must be an integer in [1, 200] (got ${values.count})\n`);
  process.exit(2);
}
if (!buildIsCurrent(ROOT)) {
  process.stderr.write('bench:reliability: dist/ is older than the sources; run npm run build first\n');
  process.exit(2);
}
const bin = join(ROOT, 'bin', 'robustlaw.js');
const dir = mkdtempSync(join(tmpdir(), 'robustlaw-reliability-'));
const common = ['bench', '--backend', values.backend, '--kernel', values.kernel];

/** One bench process; its comparison rows (empty for the baseline run). */
function bench(out: string, compare: string | null, slow: string | null): { status: number | null; rows: CompareRow[]; seconds: number } {
  const env = { ...process.env };
  if (slow) env.ROBUSTLAW_BENCH_SLOW = slow;
  else delete env.ROBUSTLAW_BENCH_SLOW;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...common, '--out', out, '--json', ...(compare ? ['--compare', compare] : [])], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`bench:reliability: robustlaw bench exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const parsed = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { comparison: { rows: CompareRow[] } | null };
  return { status: r.status, rows: parsed.comparison?.rows ?? [], seconds };
}

const slowSpec = `${values.slow}:${values.factor}`;
try {
  process.stderr.write(`bench:reliability: baseline run (${common.slice(1).join(' ')})\n`);
  bench(join(dir, 'base'), null, null);
  const baseline = join(dir, 'base', 'latest.json');
  const runs: { kind: 'same' | 'slowed'; i: number; status: number | null; flagged: string[]; ratios: Record<string, number | null>; seconds: number }[] = [];
  for (const kind of ['same', 'slowed'] as const) {
    for (let i = 0; i < count; i++) {
      const r = bench(join(dir, `${kind}-${i}`), baseline, kind === 'slowed' ? slowSpec : null);
      const flagged = r.rows.filter((x) => x.status === 'regression').map((x) => x.key);
      runs.push({ kind, i, status: r.status, flagged, ratios: Object.fromEntries(r.rows.map((x) => [x.key, x.ratio])), seconds: r.seconds });
      process.stderr.write(`bench:reliability: ${kind} ${i + 1}/${count}: exit ${r.status}${flagged.length ? `, flagged ${flagged.join(', ')}` : ''} (${r.seconds.toFixed(1)} s)\n`);
    }
  }
  const same = runs.filter((r) => r.kind === 'same');
  const slowed = runs.filter((r) => r.kind === 'slowed');
  const isSlowKernel = (key: string) => key.startsWith(`${values.slow}-`);
  const falseAlarms = same.filter((r) => r.flagged.length > 0).length;
  const detections = slowed.filter((r) => r.flagged.some(isSlowKernel)).length;
  const collateral = slowed.filter((r) => r.flagged.some((k) => !isSlowKernel(k))).length;
  const ratioRange = (rs: typeof runs, pick: (k: string) => boolean) => {
    const v = rs.flatMap((r) => Object.entries(r.ratios).filter(([k, x]) => pick(k) && x !== null).map(([, x]) => x!));
    return v.length ? `${Math.min(...v).toFixed(2)} .. ${Math.max(...v).toFixed(2)}` : '-';
  };
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  const lines = [
    `bench:reliability on ${machine}: ${common.slice(1).join(' ')}, default rounds; ${count} comparisons each`,
    `same code against its baseline: ${falseAlarms} of ${count} flagged (target 0); ratios ${ratioRange(same, () => true)}`,
    `${values.slow} ${values.factor}x slower: ${detections} of ${count} caught (target ${count}); its ratios ${ratioRange(slowed, isSlowKernel)}; other cases flagged in ${collateral} of ${count}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ machine, count, backend: values.backend, kernel: values.kernel, slow: slowSpec, falseAlarms, detections, collateral, runs, baseline: JSON.parse(readFileSync(baseline, 'utf8')) as unknown }, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
