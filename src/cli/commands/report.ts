import { BENCH_THRESHOLD } from '../../bench/compare.js';
import type { Command } from 'commander';
import { checkHistoryPath } from '../../bench/history.js';
import { refuseGiven } from '../applicable.js';
import { fmtNum } from '../../report/table.js';
import { writeReport } from '../../report/write-report.js';
import { checkBenchFlag } from '../files.js';
import { writeBenchHistoryReport } from '../../report/write-bench-history.js';
import { shortCommit } from '../../report/bench-history-plot.js';
import { naming } from '../errors.js';
import { UsageError, parseNumber } from '../parse.js';
import { requirePositive } from '../../core/validate.js';

interface ReportFlags {
  bench?: string | false;
  benchHistory?: string;
  threshold?: number;
}

/** `robustlaw report`: (re)writes summary.json, report.md, report.html and plots/*.svg of a run directory. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write summary.json, report.md, report.html and plots/*.svg for a sweep, merge or verify output directory')
    .argument('[dir]', 'a directory with sweep.json and results.jsonl')
    .option('--bench <file>', 'benchmark JSON for the bars (default reports/bench/latest.json, else baseline.json)')
    .option('--no-bench', 'no benchmark bars')
    .option('--bench-history <file.jsonl>', 'plot a bench history (robustlaw bench --history): writes <name>.svg, <name>.md and <name>.benchmark.json next to it')
    .option('--threshold <x>', 'with --bench-history: the regression threshold on normalised time (0.25 = 25% slower)', parseNumber)
    .action(async (dir: string | undefined, flags: ReportFlags, cmd: Command) => {
      if (dir === undefined && flags.benchHistory === undefined) throw new UsageError('report needs a run directory, --bench-history FILE, or both');
      if (flags.benchHistory === undefined) refuseGiven(cmd, ['threshold'], 'without --bench-history (it judges the history)');
      const threshold = requirePositive('robustlaw report', '--threshold', flags.threshold ?? BENCH_THRESHOLD);
      if (flags.benchHistory !== undefined) {
        const file = flags.benchHistory;
        const h = await naming({ benchHistory: '--bench-history', threshold: '--threshold' }, () => {
          checkHistoryPath(file, 'benchHistory');
          return writeBenchHistoryReport(file, threshold);
        });
        const regs = h.trend.regressions.map((r) => `REGRESSION ${r.key} from commit ${shortCommit(r.firstCommit)} (runs ${r.firstRun}..${r.lastRun}, worst ${r.worstRatio.toFixed(2)}x the baseline${r.open ? ', still regressed' : ''})`);
        process.stdout.write(`bench history: ${h.runs} runs, ${h.trend.keys.length} cases, ${h.trend.regressions.length} regression(s)\n${regs.map((l) => `${l}\n`).join('')}${h.files.join('\n')}\n`);
        if (dir === undefined) return;
      }
      checkBenchFlag(flags.bench);
      const { summary, files } = await writeReport(dir!, { bench: flags.bench === false ? null : flags.bench });
      process.stdout.write(`${summary.instances} instances; smallest R over the law's regime ${fmtNum(summary.smallestR)}; ${summary.counterexamples.length} certified counterexample(s)\n${files.join('\n')}\n`);
    });
}
