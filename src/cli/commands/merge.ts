import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/input-error.js';
import { naming } from '../errors.js';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { fmtNum } from '../../report/table.js';
import { writeReport } from '../../report/write-report.js';
import { readManifest, sameExperiment } from '../../sweep/manifest.js';
import { mergeRuns } from '../../sweep/merge.js';
import { isCounterexampleRecord } from '../../sweep/record.js';

/** Library inputs that are the --out directory here. */
const OUT = { dir: '--out', path: '--out' } as const;

interface MergeFlags {
  out: string;
  report: boolean;
  bench?: string | false;
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
    .action(async (dirs: string[], flags: MergeFlags) => {
      const merged = mergeRuns(dirs);
      const old = existsSync(flags.out) ? naming(OUT, () => readManifest(flags.out)) : null;
      if (old && !sameExperiment(old, merged.manifest)) throw new InputError('--out', 'a new directory or one holding the same experiment', flags.out, { shown: `${flags.out}, which holds a different experiment` });
      writeFileAtomic(join(flags.out, 'results.jsonl'), merged.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      writeFileAtomic(join(flags.out, 'sweep.json'), `${JSON.stringify(merged.manifest, null, 2)}\n`);
      process.stdout.write(`merged ${dirs.length} directories: ${merged.records.length} of ${merged.manifest.gridSize} grid points -> ${flags.out}/results.jsonl\n`);
      if (merged.missing.length > 0) process.stderr.write(`robustlaw merge: WARNING ${merged.missing.length} grid points missing (a shard not run or not finished), e.g. ${merged.missing[0]}\n`);
      if (flags.report) {
        const { summary } = await naming(OUT, () => writeReport(flags.out, { bench: flags.bench === false ? null : flags.bench }));
        process.stdout.write(`smallest R over the law's regime ${fmtNum(summary.smallestR)}; report: ${flags.out}/report.md, ${flags.out}/report.html\n`);
      }
      process.exitCode = merged.records.some(isCounterexampleRecord) ? 1 : 0;
    });
}
