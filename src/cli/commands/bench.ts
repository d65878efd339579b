import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { KERNELS } from '../../backends/backend.js';
import { BACKEND_NAMES } from '../../backends/registry.js';
import { BENCH_ALPHA, BENCH_THRESHOLD, compareBench, confirmRegressions, type BenchRecord } from '../../bench/compare.js';
import { runBench, slowSpec, type BenchResult } from '../../bench/run-bench.js';
import { appendHistory, checkHistoryPath, historyEntry } from '../../bench/history.js';
import { refuseGiven } from '../applicable.js';
import { appendStepSummary } from '../step-summary.js';
import { InputError } from '../../core/input-error.js';
import { requireInt, requireOneOf, requirePositive } from '../../core/validate.js';
import { benchTable, compareTable, writeBenchReports } from '../../report/bench-report.js';
import { MAX_BENCH_ITERATIONS, parseList, parseNumber } from '../parse.js';
import { naming } from '../errors.js';
import { readFileFlag } from '../files.js';
import { checkOutFiles, hasFormat, withOutFiles, type OutFile } from '../../core/out-files.js';

interface BenchFlags {
  backend?: string[];
  kernel?: string[];
  compare?: string;
  threshold: number;
  iterations: number;
  rounds: number;
  out: string;
  json?: boolean;
  history?: string;
  commit?: string;
  small?: boolean;
}

const CASE_KERNELS = [...KERNELS, 'gramSolve', 'matmulF64'] as const;

/** Library inputs that are the --out directory here. */
const OUT = { outDir: '--out' } as const;

/** What bench writes into --out (writeBenchReports), and which existing files of those names it may replace. */
const BENCH_FILES: readonly OutFile[] = [
  { name: 'latest.json', what: 'a robustlaw-bench/1 file', replaces: hasFormat('robustlaw-bench/1') },
  { name: 'latest.benchmark.json', what: 'a benchmark JSON list', replaces: (t) => Array.isArray(JSON.parse(t)) },
  { name: 'latest.md', what: 'a bench report', replaces: (t) => t.startsWith('# Benchmarks') },
];

/** Runs the given backends' kernels again in a child process and returns its rows. */
function remeasure(backends: readonly string[], kernels: readonly string[], iterations: number, rounds: number, small: boolean): readonly BenchRecord[] {
  const dir = mkdtempSync(join(tmpdir(), 'robustlaw-bench-'));
  // from a checkout the bin (which runs the TypeScript through tsx); from the installed package the compiled entry
  const bin = fileURLToPath(import.meta.url.endsWith('.js') ? new URL('../run.js', import.meta.url) : new URL('../../../bin/robustlaw.js', import.meta.url));
  process.stderr.write(`robustlaw bench: re-measuring ${[...new Set(kernels)].join(', ')} on ${[...new Set(backends)].join(', ')} in a fresh process\n`);
  const r = spawnSync(process.execPath, [bin, 'bench', '--backend', [...new Set(backends)].join(','), '--kernel', [...new Set(kernels)].join(','), '--iterations', String(iterations), '--rounds', String(rounds), '--out', dir, '--json', ...(small ? ['--small'] : [])], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`robustlaw bench: the re-measurement failed (exit ${r.status})`);
  // tfjs prints a banner on stdout before the JSON: start at the JSON object.
  const start = r.stdout.startsWith('{') ? 0 : r.stdout.indexOf('\n{\n') + 1;
  return (JSON.parse(r.stdout.slice(start)) as BenchResult).rows;
}

/** `robustlaw bench`: the tinybench suite over the backends, reports under reports/bench, optional comparison. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('benchmark the hot loops on every available backend; with --compare, fail on a regression against a baseline')
    .option('--backend <list>', `backends (default: all available): ${BACKEND_NAMES.join(', ')}, cpu-workers, auto`, parseList)
    .option('--kernel <list>', `kernels (default: all): ${CASE_KERNELS.join(', ')}`, parseList)
    .option('--compare <baseline.json>', 'compare with a stored run; exit 1 on a regression')
    .option('--threshold <x>', `regression threshold on normalised time (default ${BENCH_THRESHOLD}: 25% slower)`, parseNumber, BENCH_THRESHOLD)
    .option('--iterations <int>', 'measured iterations per case and round (plus one warm-up), an integer in [1, 1000]', parseNumber, 1)
    .option('--rounds <int>', 'measurement rounds, interleaved over the cases with the calibration loop timed in each: the samples of --compare\'s test, an integer in [1, 50]', parseNumber, 5)
    .option('--out <dir>', 'where latest.json, latest.benchmark.json and latest.md go', 'reports/bench')
    .option('--json', 'print the result JSON')
    .option('--history <file.jsonl>', 'append this run (commit, date, machine, calibration, per-kernel medians) to a JSONL bench history; `robustlaw report --bench-history` plots it')
    .option('--commit <sha>', 'the commit the history names for this run (default: git rev-parse HEAD)')
    .option('--small', 'tiny case sizes, for tests and smoke runs of the bench machinery (not comparable with realistic runs)')
    .action(async (flags: BenchFlags, cmd: Command) => {
      const fn = 'robustlaw bench';
      const backends = flags.backend?.map((b) => requireOneOf(fn, '--backend', b, [...BACKEND_NAMES, 'cpu-workers', 'auto'] as const));
      const kernels = flags.kernel?.map((k) => requireOneOf(fn, '--kernel', k, CASE_KERNELS));
      const iterations = requireInt(fn, '--iterations', flags.iterations, 1, MAX_BENCH_ITERATIONS);
      const rounds = requireInt(fn, '--rounds', flags.rounds, 1, 50);
      const threshold = requirePositive(fn, '--threshold', flags.threshold);
      let baseline: BenchResult | undefined;
      if (flags.compare !== undefined) {
        // through the capped reader: a regular file within the size cap (/dev/zero aborted the process)
        baseline = readFileFlag('--compare', flags.compare, (raw) => raw as BenchResult);
        if (typeof baseline !== 'object' || baseline === null || baseline.format !== 'robustlaw-bench/1') throw new InputError('--compare', 'a readable robustlaw-bench/1 JSON file', flags.compare, { context: fn, shown: `${flags.compare} with format ${JSON.stringify(baseline.format)}` });
      }
      // --out checked before any work: a writable directory whose latest.* files, if any, are bench reports
      naming(OUT, () => checkOutFiles(flags.out, BENCH_FILES));
      // --history read before any work: a missing file starts a history, a file that is not one is refused
      if (flags.history !== undefined) naming({ history: '--history' }, () => checkHistoryPath(flags.history!));
      else refuseGiven(cmd, ['commit'], 'without --history (it names the run in the history)');
      if (flags.commit !== undefined && !/^[\w./-]{1,200}$/.test(flags.commit)) throw new InputError('--commit', 'a commit id or ref (letters, digits, . / _ -; at most 200 characters)', flags.commit, { context: fn });
      const slow = process.env.ROBUSTLAW_BENCH_SLOW || null;
      naming({ slow: 'ROBUSTLAW_BENCH_SLOW' }, () => slowSpec(slow));
      if (slow) process.stderr.write(`robustlaw bench: DELIBERATELY SLOWING kernel ${slow} (ROBUSTLAW_BENCH_SLOW)\n`);
      // The number of cases is known only once the backends have loaded: one line per case, no bar.
      let done = 0;
      const result = await runBench({ backends, kernels, iterations, rounds, slow, small: flags.small === true, onProgress: (l) => process.stderr.write(`bench case ${++done}: ${l}\n`) });
      const files = naming(OUT, () => withOutFiles(flags.out, BENCH_FILES, () => writeBenchReports(result, flags.out)));
      const baseRows = baseline ? baseline.rows.filter((r) => (!backends || (backends as readonly string[]).includes(r.backend)) && (!kernels || (kernels as readonly string[]).includes(r.kernel))) : [];
      let cmp = baseline ? compareBench(result.rows, baseRows, threshold) : null;
      if (cmp?.failed) {
        // a flagged case is measured again in a fresh process, whose comparison alone decides it (confirmRegressions)
        const flagged = result.rows.filter((r) => cmp!.rows.some((c) => c.key === r.key && c.status === 'regression'));
        const again = remeasure(flagged.map((r) => r.backend), flagged.map((r) => r.kernel), iterations, rounds, flags.small === true);
        const keys = new Set(flagged.map((r) => r.key));
        cmp = confirmRegressions(cmp, compareBench(again.filter((r) => keys.has(r.key)), baseRows, threshold));
      }
      const historyRuns = flags.history === undefined ? null : naming({ history: '--history' }, () => appendHistory(flags.history!, historyEntry(result, flags.commit)));
      appendStepSummary(`## robustlaw bench\n\n${result.slowed ? `**DELIBERATELY SLOWED: ${result.slowed}**\n\n` : ''}${benchTable(result, true)}\n\ncalibration loop ${result.calibration.medianMs.toFixed(2)} ms${cmp ? `\n\n${compareTable(cmp.rows, true)}\n\n${cmp.failed ? `**REGRESSION**: slower than the baseline by more than ${threshold * 100}%, significant at ${BENCH_ALPHA} and confirmed in a fresh process` : 'No regression.'}` : ''}${historyRuns === null ? '' : `\n\nhistory: ${flags.history} (${historyRuns} runs)`}`);
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, comparison: cmp }, null, 2)}\n`);
      else {
        process.stdout.write(`${benchTable(result, false)}\n`);
        for (const s of result.skipped) process.stdout.write(`skipped ${s.backend}: ${s.reason}\n`);
        process.stdout.write(`calibration loop ${result.calibration.medianMs.toFixed(2)} ms; wrote ${files.join(', ')}\n`);
        if (historyRuns !== null) process.stdout.write(`appended run ${historyRuns} to the history ${flags.history}\n`);
        if (cmp) process.stdout.write(`\n${compareTable(cmp.rows, false)}\n${cmp.failed ? `REGRESSION: slower than the baseline by more than ${threshold * 100}%, significant at ${BENCH_ALPHA} and confirmed in a fresh process` : 'no regression'}\n`);
      }
      process.exitCode = cmp?.failed ? 1 : 0;
    });
}
