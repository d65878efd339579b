import type { Command } from 'commander';
import { fmtNum } from '../../report/table.js';
import { writeReport } from '../../report/write-report.js';
import { checkBenchFlag } from '../files.js';

interface ReportFlags {
  bench?: string | false;
}

/** `robustlaw report`: (re)writes summary.json, report.md, report.html and plots/*.svg of a run directory. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write summary.json, report.md, report.html and plots/*.svg for a sweep, merge or verify output directory')
    .argument('<dir>', 'a directory with sweep.json and results.jsonl')
    .option('--bench <file>', 'benchmark JSON for the bars (default reports/bench/latest.json, else baseline.json)')
    .option('--no-bench', 'no benchmark bars')
    .action(async (dir: string, flags: ReportFlags) => {
      checkBenchFlag(flags.bench);
      const { summary, files } = await writeReport(dir, { bench: flags.bench === false ? null : flags.bench });
      process.stdout.write(`${summary.instances} instances; smallest R over the law's regime ${fmtNum(summary.smallestR)}; ${summary.counterexamples.length} certified counterexample(s)\n${files.join('\n')}\n`);
    });
}
