import type { Command } from 'commander';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, truncate } from '../../core/input-error.js';
import { refuseGiven } from '../applicable.js';
import { naming } from '../errors.js';
import { checkBenchFlag } from '../files.js';
import { fmtNum } from '../../report/table.js';
import { writeReport } from '../../report/write-report.js';
import { appendStepSummary } from '../step-summary.js';
import { runStepSummary } from '../../report/step-summary-markdown.js';
import { LAW_TOLERANCE } from '../../law/verdict.js';
import { mergeRuns, requireComplete, writeMerge } from '../../sweep/merge.js';
import { checkOutDir } from '../../core/output-lock.js';
import { checkRunDir } from '../../sweep/run-dir.js';
import { isCounterexampleRecord } from '../../law/record.js';

/** A directory's identity for spotting one given twice: its real path when it exists, else its absolute path. */
function canonical(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

/** Library inputs that are the --out directory here. */
const OUT = { outDir: '--out', dir: '--out', path: '--out' } as const;

interface MergeFlags {
  out: string;
  report: boolean;
  bench?: string | false;
  allowMissing?: boolean;
}

/** `robustlaw merge`: joins shard outputs into one run directory with its report. */
export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('join the output directories of sweep shards (same spec) into one, in grid order, and write its report')
    .argument('<dirs...>', 'shard output directories')
    .requiredOption('--out <dir>', 'merged output directory')
    .option('--no-report', 'skip the report')
    .option('--bench <file>', 'benchmark JSON for the report\'s bars')
    .option('--no-bench', 'no benchmark bars in the report')
    .option('--allow-missing', 'merge what is there, warning about missing grid points (default: refuse, naming the missing or unfinished shards)')
    .action(async (dirs: string[], flags: MergeFlags, cmd: Command) => {
      // the same directory twice would count its records twice
      const seen = new Map<string, number>();
      dirs.forEach((dir, i) => {
        const key = canonical(dir);
        const first = seen.get(key);
        if (first !== undefined) throw new InputError('<dirs...>', 'distinct shard directories', dir, { shown: `${JSON.stringify(truncate(dir))} as item ${i + 1}, the same directory as item ${first + 1}` });
        seen.set(key, i);
      });
      if (!flags.report && typeof flags.bench === 'string') refuseGiven(cmd, ['bench'], 'with --no-report (the bars are drawn in the report)');
      if (flags.report) checkBenchFlag(flags.bench);
      naming(OUT, () => checkOutDir(flags.out));
      const merged = mergeRuns(dirs, { allowMissing: true });
      // through the one writer: --out must be new, empty or a merge of the same experiment, and is locked
      naming(OUT, () => checkRunDir(flags.out, { ...merged.manifest, merged: true }));
      // a shard not run or not finished: refused, naming it, unless --allow-missing
      if (!flags.allowMissing) requireComplete(merged);
      naming(OUT, () => writeMerge(flags.out, merged));
      process.stdout.write(`merged ${dirs.length} directories: ${merged.records.length} of ${merged.manifest.gridSize} grid points -> ${flags.out}/results.jsonl\n`);
      if (merged.missing.length > 0) process.stderr.write(`robustlaw merge: WARNING ${merged.missing.length} grid points missing (a shard not run or not finished), e.g. ${merged.missing[0]}\n`);
      if (flags.report) {
        const { summary } = await naming(OUT, () => writeReport(flags.out, { bench: flags.bench === false ? null : flags.bench }));
        process.stdout.write(`smallest R over the law's regime ${fmtNum(summary.smallestR)}; report: ${flags.out}/report.md, ${flags.out}/report.html\n`);
      }
      appendStepSummary(runStepSummary(`robustlaw merge of ${dirs.length} directories`, merged.records, LAW_TOLERANCE, flags.out));
      process.exitCode = merged.records.some(isCounterexampleRecord) ? 1 : 0;
    });
}
