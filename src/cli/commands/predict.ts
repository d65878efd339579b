import type { Command } from 'commander';
import { requireInt, requirePositive } from '../../core/validate.js';
import { realDataTable, type RealDataset } from '../../law/real-data.js';
import { fmtNum, textTable } from '../../report/table.js';
import { parseNumber, UsageError } from '../parse.js';

interface PredictFlags {
  n?: number;
  d?: number;
  eps: number;
  lip: number;
  json?: boolean;
}

/** `robustlaw predict`: the paper's section 1.1 arithmetic, or the same for any (n, d). */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('parameters the law asks for: the MNIST/ImageNet table of the paper, or any --n --d')
    .option('--n <int>', 'number of training points (with --d: your own dataset)', parseNumber)
    .option('--d <int>', '(effective) input dimension', parseNumber)
    .option('--eps <x>', 'fit margin below the noise level, > 0', parseNumber, 1)
    .option('--lip <x>', 'target Lipschitz constant, > 0', parseNumber, 1)
    .option('--json', 'machine-readable output')
    .action((flags: PredictFlags) => {
      const fn = 'robustlaw predict';
      requirePositive(fn, '--eps', flags.eps);
      requirePositive(fn, '--lip', flags.lip);
      let datasets: RealDataset[] | undefined;
      if (flags.n !== undefined || flags.d !== undefined) {
        if (flags.n === undefined || flags.d === undefined) throw new UsageError(`${fn}: --n and --d must be given together`);
        const n = requireInt(fn, '--n', flags.n, 1);
        const d = requireInt(fn, '--d', flags.d, 1);
        datasets = [{ dataset: 'custom', n, dims: [{ d, dKind: 'given', note: '' }] }];
      }
      const rows = realDataTable(flags.eps, flags.lip, datasets);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ eps: flags.eps, lip: flags.lip, rows }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `Parameters the law of robustness asks for (p = eps^2 n d / Lip^2, eps = ${fmtNum(flags.eps)}, Lip = ${fmtNum(flags.lip)})\n\n`,
      );
      process.stdout.write(
        `${textTable(
          ['dataset', 'n', 'd', 'd is', 'p to interpolate (~n)', 'p to interpolate smoothly', 'note'],
          rows.map((r) => [r.dataset, r.n, r.d, r.dKind, r.pInterpolate, r.pSmooth, r.note]),
        )}\n`,
      );
      process.stdout.write('\nSource: Bubeck & Sellke (2021), section 1.1; see docs/science.md section 6.\n');
    });
}
