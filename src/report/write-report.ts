import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from '../bench/run-bench.js';
import type { SweepManifest } from '../sweep/manifest.js';
import type { NoteSink } from '../core/output-lock.js';
import { checkRunDir, openRunDir } from '../sweep/run-dir.js';
import type { SweepRecord } from '../law/record.js';
import { readResults } from '../sweep/results-file.js';
import { InputError, show } from '../core/input-error.js';
import { benchPlot, lawScatterPlot, lipschitzPlot, ratioPlot, slopesPlot } from './plot-specs.js';
import { compileVega, renderSvg } from './render-svg.js';
import { reportSections, toHtml, toMarkdown, type ReportPlot } from './run-report.js';
import { replayCommand, verifyReplayCommand, type ReplayEffort } from './replay-command.js';
import type { ReplayFn } from './point-details.js';
import { VERIFY_EFFORT } from '../sweep/verify-run.js';
import type { SweepSpec } from '../sweep/spec.js';
import type { TopLevelSpec } from 'vega-lite';
import { groupOf, summarize, type Summary } from './summary.js';

/** Above this many data configurations the per-p plot (one panel each) is left out; the law scatter stays. */
const MAX_PANELS = 8;

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** A `robustlaw-bench/1` JSON for the benchmark bars; null for none. Default: the first of
   * reports/bench/latest.json and reports/bench/baseline.json that exists. */
  readonly bench?: string | null;
  /** Where the note of a stale lock taken over goes (default stderr). */
  readonly note?: NoteSink;
}

/** The default benchmark file for reports: the latest local run, else the committed baseline. */
export function defaultBenchFile(): string | null {
  for (const f of ['reports/bench/latest.json', 'reports/bench/baseline.json']) if (existsSync(f)) return f;
  return null;
}

function describe(m: SweepManifest): string {
  const how = m.mergedFrom ? `merged from ${m.mergedFrom.join(', ')}` : m.shard.count > 1 ? `shard ${m.shard.index}/${m.shard.count}` : 'one run';
  const spec = m.kind === 'sweep' && 'blocks' in m.spec ? m.spec : null;
  const what = spec === null ? '' : `${spec.title === undefined ? '' : `${spec.title}: `}${spec.blocks.length} blocks (${spec.blocks.map((b) => b.name).join(', ')}); `;
  return `${m.kind === 'verify' ? 'Verification run' : 'Sweep'} (${what}${how}${m.f64Kernel ? `; f64 kernel ${m.f64Kernel}` : ''}).`;
}

/**
 * The estimator effort the run's records were computed at: a sweep's spec `estimator` (defaults 8 starts,
 * 60 steps, 1 round, data floor on: src/sweep/run-sweep.ts), verify's fixed effort (its data floor is the
 * estimator's default, which no sweep states: verify runs are replayed whole, by verifyReplayCommand).
 */
export function runEffort(m: SweepManifest): ReplayEffort {
  if (m.kind === 'verify') return { starts: VERIFY_EFFORT.starts, steps: VERIFY_EFFORT.steps, rounds: VERIFY_EFFORT.rounds, dataFloor: VERIFY_EFFORT.dataFloor === true };
  const e = (m.spec as SweepSpec).estimator ?? {};
  return { starts: e.starts ?? 8, steps: e.steps ?? 60, rounds: e.rounds ?? 1, dataFloor: e.dataFloor ?? true };
}

/**
 * Writes a run directory's report from its `sweep.json` and `results.jsonl`: `summary.json`,
 * `report.md`, `report.html` (self-contained) and `plots/*.svg` (lipschitz, ratio, slopes when some class
 * has two or more p, bench when a benchmark file is given). Every file is written atomically; the
 * output depends only on the records and the bench file (no dates), so it is byte-identical across runs.
 */
export async function writeReport(dir: string, options: WriteReportOptions = {}): Promise<{ summary: Summary; files: string[] }> {
  // checked before any work: a run directory holding only its own files, not locked by another writer
  const manifest = checkRunDir(dir, null, { parameter: 'dir' }).old;
  if (!manifest) throw new InputError('dir', 'a sweep or verify output directory', dir, { context: 'writeReport', shown: `${show(dir)}, which has no sweep.json` });
  const read = readResults(join(dir, 'results.jsonl'));
  const records: SweepRecord[] = [...read.records].sort((a, b) => a.index - b.index);
  const benchFile = options.bench === undefined ? defaultBenchFile() : options.bench;
  let bench: BenchResult | null = null;
  if (benchFile !== null) {
    try {
      bench = JSON.parse(readFileSync(benchFile, 'utf8')) as BenchResult;
    } catch (e) {
      throw new InputError('options.bench', 'a robustlaw-bench/1 JSON file', benchFile, { context: 'writeReport', shown: `${show(benchFile)}, unreadable: ${(e as Error).message.split('\n')[0]}` });
    }
    if (bench.format !== 'robustlaw-bench/1') throw new InputError('options.bench', 'a robustlaw-bench/1 JSON file', benchFile, { context: 'writeReport', shown: `${show(benchFile)}, format ${JSON.stringify(bench.format)}` });
  }
  const summary = summarize(records, manifest.gridSize);
  const effort = runEffort(manifest);
  // a sweep's instance replays alone; a verify run replays whole (src/report/replay-command.ts says why)
  const verifyRun = manifest.kind === 'verify' ? (manifest.spec as { profile: string; seed: number; count: number }) : null;
  const replay: ReplayFn = verifyRun ? () => verifyReplayCommand(verifyRun, records) : (rs) => replayCommand(rs, effort);
  const plots: Record<string, ReportPlot | undefined> = {};
  // the text alternative of each plot is its spec's description (what it shows, with its counts)
  const plot = async (name: string, spec: TopLevelSpec): Promise<ReportPlot> => ({ svg: await renderSvg(spec, name), alt: String(spec.description ?? name), spec, vega: await compileVega(spec) });
  const groups = new Set(records.map(groupOf)).size;
  if (records.length > 0 && groups <= MAX_PANELS) plots.lipschitz = await plot('lipschitz', lipschitzPlot(records, replay));
  if (records.some((r) => r.law !== null && r.law > 0)) plots.law = await plot('law', lawScatterPlot(records, summary.tau, replay));
  if (records.some((r) => r.R !== null && r.R > 0)) plots.ratio = await plot('ratio', ratioPlot(records, summary.tau, replay));
  if (summary.slopes.length > 0) plots.slopes = await plot('slopes', slopesPlot(summary.slopes));
  if (bench) plots.bench = await plot('bench', benchPlot(bench, benchFile!));
  const sections = reportSections('robustlaw report', describe(manifest), summary, records, plots, { replay, folded: { summary: 'Spec (JSON)', text: JSON.stringify(manifest.spec, null, 2) } });
  const files: string[] = [];
  // through the one writer: each file is listed in sweep.json before it is created, under the directory's lock
  const run = openRunDir(dir, { parameter: 'dir', note: options.note });
  try {
    const put = (name: string, text: string) => void files.push(run.writeFile(name, text));
    for (const [name, p] of Object.entries(plots)) if (p) put(`plots/${name}.svg`, p.svg);
    put('summary.json', `${JSON.stringify(summary, null, 2)}\n`);
    put('report.md', toMarkdown(sections));
    put('report.html', toHtml(sections));
  } finally {
    run.close();
  }
  return { summary, files };
}
