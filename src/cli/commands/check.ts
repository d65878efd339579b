import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/input-error.js';
import { readStructuredFile } from '../../core/read-file.js';
import { checkLipResult, isLipResult, type BoundCheck } from '../../check/lip-record.js';
import { readNetworkFile } from '../../models/formats/read-network.js';
import { naming } from '../errors.js';

interface CheckFlags {
  json?: boolean;
}

/**
 * `robustlaw check FILE...`: re-checks every bound of saved results from their files alone, by the
 * independent checker (src/check/, docs/science.md, "The independent checker"). Prints per bound checked,
 * rejected (what failed) or not checkable (why); exit 1 on any rejection.
 */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('re-check the bounds of saved results (lip --model --json output) from their files, by the independent checker')
    .argument('<files...>', 'result files: the JSON that `lip --model ... --json` prints')
    .option('--json', 'machine-readable output')
    .action((files: string[], flags: CheckFlags) => {
      const fn = 'robustlaw check';
      const all: (BoundCheck & { file: string })[] = [];
      for (const file of files) {
        // a file that cannot be read, or is no result, is named as the argument that gave it
        const json = naming({ path: '<files...>' }, () => readStructuredFile(file, fn));
        if (!isLipResult(json)) throw new InputError('<files...>', 'results of `lip --model ... --json` (other results are not checkable yet)', file, { context: fn, shown: `${file}: not a lip --model result` });
        // the model path as lip was given it: from the current folder, else beside the result
        const model = json.model as string;
        const path = existsSync(model) ? model : join(dirname(file), model);
        const net = naming({ path: '<files...>' }, () => readNetworkFile(path, `${fn} (the model of ${file})`));
        for (const c of checkLipResult(json, net)) all.push({ file, ...c });
      }
      const rejected = all.filter((c) => c.status === 'rejected').length;
      const checked = all.filter((c) => c.status === 'checked').length;
      const open = all.length - rejected - checked;
      if (flags.json) process.stdout.write(`${JSON.stringify({ checked, rejected, notCheckable: open, bounds: all }, null, 2)}\n`);
      else {
        for (const c of all) process.stdout.write(`${c.file}  ${c.record}  ${c.bound} ${c.value ?? '-'}  ${c.status}: ${c.detail}\n`);
        process.stdout.write(`${checked} checked, ${rejected} rejected, ${open} not checkable\n`);
      }
      if (rejected > 0) process.exitCode = 1;
    });
}
