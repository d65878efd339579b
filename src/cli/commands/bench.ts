import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { KERNELS } from '../../backends/backend.js';
import { BACKEND_NAMES, type BackendName } from '../../backends/registry.js';
import { compareBench } from '../../bench/compare.js';
import { runBench, type BenchResult } from '../../bench/run-bench.js';
import { requireInt, requireOneOf, requirePositive } from '../../core/validate.js';
import { benchTable, compareTable, writeBenchReports } from '../../report/bench-report.js';
import { parseList, parseNumber } from '../parse.js';
import { progress } from '../progress.js';

interface BenchFlags {
  backend?: string[];
  kernel?: string[];
  compare?: string;
  threshold: number;
  iterations: number;
  out: string;
  json?: boolean;
}

const CASE_KERNELS = [...KERNELS, 'gramSolve', 'matmulF64'] as const;

/** `robustlaw bench`: the tinybench suite over the backends, reports under reports/bench, optional comparison. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('benchmark the hot loops on every available backend; with --compare, fail on a regression against a baseline')
    .option('--backend <list>', `backends (default: all available): ${BACKEND_NAMES.join(', ')}, cpu-workers, auto`, parseList)
    .option('--kernel <list>', `kernels (default: all): ${CASE_KERNELS.join(', ')}`, parseList)
    .option('--compare <baseline.json>', 'compare with a stored run; exit 1 on a regression')
    .option('--threshold <x>', 'regression threshold on normalised time (0.25 = 25% slower)', parseNumber, 0.25)
    .option('--iterations <int>', 'measured iterations per case (plus one warm-up)', parseNumber, 3)
    .option('--out <dir>', 'where latest.json, latest.benchmark.json and latest.md go', 'reports/bench')
    .option('--json', 'print the result JSON')
    .action(async (flags: BenchFlags) => {
      const fn = 'robustlaw bench';
      const backends = flags.backend?.map((b) => requireOneOf(fn, '--backend', b, [...BACKEND_NAMES, 'cpu-workers', 'auto'] as const)) as (BackendName | 'cpu-workers' | 'auto')[] | undefined;
      const kernels = flags.kernel?.map((k) => requireOneOf(fn, '--kernel', k, CASE_KERNELS));
      const iterations = requireInt(fn, '--iterations', flags.iterations, 1);
      const threshold = requirePositive(fn, '--threshold', flags.threshold);
      let baseline: BenchResult | undefined;
      if (flags.compare !== undefined) {
        try {
          baseline = JSON.parse(readFileSync(flags.compare, 'utf8')) as BenchResult;
        } catch (e) {
          throw new RangeError(`${fn}: --compare ${flags.compare} is not a readable benchmark JSON (${(e as Error).message.split('\n')[0]})`);
        }
        if (baseline.format !== 'robustlaw-bench/1') throw new RangeError(`${fn}: --compare ${flags.compare} is not a robustlaw-bench/1 file`);
      }
      const slow = process.env.ROBUSTLAW_BENCH_SLOW ?? null;
      if (slow) process.stderr.write(`robustlaw bench: DELIBERATELY SLOWING kernel ${slow} (ROBUSTLAW_BENCH_SLOW)\n`);
      const bar = progress(1, 'bench');
      const result = await runBench({ backends, kernels, iterations, slow, onProgress: (l) => bar.tick(l) });
      bar.stop();
      const files = writeBenchReports(result, flags.out);
      const cmp = baseline ? compareBench(result.rows, baseline.rows.filter((r) => (!backends || (backends as readonly string[]).includes(r.backend)) && (!kernels || (kernels as readonly string[]).includes(r.kernel))), threshold) : null;
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, comparison: cmp }, null, 2)}\n`);
      else {
        process.stdout.write(`${benchTable(result, false)}\n`);
        for (const s of result.skipped) process.stdout.write(`skipped ${s.backend}: ${s.reason}\n`);
        process.stdout.write(`calibration loop ${result.calibration.medianMs.toFixed(2)} ms; wrote ${files.join(', ')}\n`);
        if (cmp) process.stdout.write(`\n${compareTable(cmp.rows, false)}\n${cmp.failed ? `REGRESSION: slower than the baseline by more than ${threshold * 100}% plus noise` : 'no regression'}\n`);
      }
      process.exitCode = cmp?.failed ? 1 : 0;
    });
}
