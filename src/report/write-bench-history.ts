import { BENCH_THRESHOLD } from '../bench/compare.js';
import { basename, dirname, join } from 'node:path';
import { historyTrend, readHistory, type HistoryEntry, type Trend } from '../bench/history.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { InputError } from '../core/input-error.js';
import { benchHistoryMarkdown, benchHistoryPlot, shortCommit } from './bench-history-plot.js';
import { renderSvg } from './render-svg.js';

/**
 * github-action-benchmark's `customSmallerIsBetter` entries for a history's last run: per kernel its median
 * in ms and its calibration-normalised time (the comparator's quantity, comparable across machines).
 */
export function historyCustomSmallerIsBetter(entry: HistoryEntry) {
  return Object.entries(entry.kernels).flatMap(([key, k]) => [
    { name: key, unit: 'ms', value: k.medianMs, range: `±${k.rme.toFixed(2)}%`, extra: `commit ${shortCommit(entry.commit)}; ${entry.machine.cpu}` },
    { name: `${key} (time / calibration loop)`, unit: 'x calibration', value: k.normalized, range: `±${k.rme.toFixed(2)}%`, extra: `calibration loop ${entry.calibration.medianMs.toFixed(3)} ms` },
  ]);
}

/** What {@link writeBenchHistoryReport} wrote and found. */
export interface BenchHistoryReport {
  readonly files: readonly string[];
  readonly runs: number;
  readonly trend: Trend;
}

/**
 * Reads the bench history `file` (JSONL, src/bench/history.ts) and writes next to it `<name>.svg` (the
 * trend per kernel, baseline and threshold marked, regressions labelled with their first commit),
 * `<name>.md` and `<name>.benchmark.json` (the last run as github-action-benchmark customSmallerIsBetter).
 */
export async function writeBenchHistoryReport(file: string, threshold = BENCH_THRESHOLD): Promise<BenchHistoryReport> {
  const history = readHistory(file, 'benchHistory');
  if (history.length === 0) throw new InputError('benchHistory', 'a bench history with at least one run', file, { shown: `${file} holds no run` });
  const trend = historyTrend(history, threshold);
  const stem = join(dirname(file), basename(file).replace(/\.jsonl?$/, ''));
  const files = [`${stem}.svg`, `${stem}.md`, `${stem}.benchmark.json`];
  writeFileAtomic(files[0], await renderSvg(benchHistoryPlot(trend), 'bench-history'));
  writeFileAtomic(files[1], benchHistoryMarkdown(history, trend, basename(files[0])));
  writeFileAtomic(files[2], `${JSON.stringify(historyCustomSmallerIsBetter(history[history.length - 1]), null, 2)}\n`);
  return { files, runs: history.length, trend };
}
