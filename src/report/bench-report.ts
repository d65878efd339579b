import { join } from 'node:path';
import type { BenchResult } from '../bench/run-bench.js';
import type { CompareRow } from '../bench/compare.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { fmtNum, markdownTable, textTable } from './table.js';

/** github-action-benchmark's `customSmallerIsBetter` entries (name, unit, value, range, extra). */
export function toCustomSmallerIsBetter(r: BenchResult) {
  return r.rows.map((row) => ({ name: `${row.caseId} [${row.backend}]`, unit: 'ms', value: row.medianMs, range: `±${row.rme.toFixed(2)}%`, extra: `${row.gflops.toFixed(2)} GFLOP/s; mode ${row.mode}; ${row.size}` }));
}

/** The results as a table (Markdown or plain text). */
export function benchTable(r: BenchResult, markdown: boolean): string {
  const headers = ['case', 'backend', 'mode', 'median ms', 'GFLOP/s', '±%', 'speed-up vs cpu'];
  const rows = r.rows.map((x) => [x.caseId, x.backend, x.mode, x.medianMs, x.gflops, x.rme, x.speedupVsCpu]);
  return markdown ? markdownTable(headers, rows) : textTable(headers, rows);
}

/** The comparison as a table. */
export function compareTable(rows: readonly CompareRow[], markdown: boolean): string {
  const headers = ['case@backend', 'baseline (norm.)', 'current (norm.)', 'ratio', 'p (rounds)', 'status'];
  const body = rows.map((r) => [r.key, r.baseline, r.current, r.ratio, r.p === undefined || r.p === null ? '-' : r.p, r.remeasured ? `${r.status} (re-measured)` : r.status]);
  return markdown ? markdownTable(headers, body) : textTable(headers, body);
}

/** Writes latest.json, latest.benchmark.json (customSmallerIsBetter) and latest.md under dir, atomically. */
export function writeBenchReports(r: BenchResult, dir: string, name = 'latest'): string[] {
  const files = [join(dir, `${name}.json`), join(dir, `${name}.benchmark.json`), join(dir, `${name}.md`)];
  writeFileAtomic(files[0], `${JSON.stringify(r, null, 2)}\n`);
  writeFileAtomic(files[1], `${JSON.stringify(toCustomSmallerIsBetter(r), null, 2)}\n`);
  const env = Object.entries(r.environment).map(([k, v]) => `- ${k}: ${v}`).join('\n');
  const skipped = r.skipped.map((s) => `- ${s.backend}: skipped (${s.reason})`).join('\n');
  writeFileAtomic(files[2], `# Benchmarks\n\n${env}\n- calibration loop: ${fmtNum(r.calibration.medianMs)} ms\n${r.slowed ? `- DELIBERATELY SLOWED: ${r.slowed}\n` : ''}\n${benchTable(r, true)}\n\n${skipped ? `Not run:\n\n${skipped}\n` : ''}`);
  return files;
}
