import type { Command } from 'commander';
import { requireInt } from '../../core/validate.js';
import { informalLaw } from '../../law/informal.js';
import { theorem3 } from '../../law/theorem3.js';
import { fmtNum } from '../../report/table.js';
import { parseNumber } from '../parse.js';

interface BoundFlags {
  n: number;
  d: number;
  p: number;
  eps: number;
  delta: number;
  c: number;
  W: number;
  J: number;
  k: number;
  json?: boolean;
}

/** `robustlaw bound`: Theorem 3's lower bound, or the list of failed assumptions. */
export function registerBound(program: Command): void {
  program
    .command('bound')
    .description("Theorem 3's lower bound on Lip(f), or why it does not apply")
    .requiredOption('--n <int>', 'number of samples, an integer >= 1', parseNumber)
    .requiredOption('--d <int>', 'dimension, an integer >= 1', parseNumber)
    .requiredOption('--p <int>', 'number of parameters, an integer >= 1', parseNumber)
    .requiredOption('--eps <x>', 'fit margin below the noise level, in (0, 1)', parseNumber)
    .option('--delta <x>', 'failure probability, in (0, 1)', parseNumber, 0.01)
    .option('--c <x>', 'isoperimetry constant, > 0', parseNumber, 1)
    .option('--W <x>', 'diameter of the parameter set, > 0', parseNumber, 10)
    .option('--J <x>', 'Lipschitz constant of w -> f_w (sup norm), > 0', parseNumber, 10)
    .option('--k <int>', 'mixture components, an integer >= 1', parseNumber, 1)
    .option('--json', 'machine-readable output')
    .action((flags: BoundFlags) => {
      const fn = 'robustlaw bound';
      // Name the flags in errors: check integers here, the rest in theorem3.
      for (const key of ['n', 'd', 'p', 'k'] as const) requireInt(fn, `--${key}`, flags[key], 1);
      const r = theorem3({ n: flags.n, d: flags.d, p: flags.p, eps: flags.eps, delta: flags.delta, c: flags.c, W: flags.W, J: flags.J, k: flags.k });
      const law = informalLaw(flags.n, flags.d, flags.p, flags.eps);
      if (flags.json) {
        const out = {
          bound: r.bound,
          applies: r.applies,
          failedAssumptions: r.failedAssumptions.map((f) => f.message),
          formula: r.formula,
          informalLaw: law,
          probability: r.probability,
          kCondition: r.kCondition,
          constants: r.constants,
          input: { n: flags.n, d: flags.d, p: flags.p, eps: flags.eps, delta: flags.delta, c: flags.c, W: flags.W, J: flags.J, k: flags.k },
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      if (r.applies) {
        process.stdout.write(`Theorem 3 lower bound: Lip(f) >= ${r.bound!.toPrecision(4)}  (with probability >= ${r.probability})\n`);
      } else {
        process.stdout.write('Theorem 3 does not apply:\n');
        for (const f of r.failedAssumptions) process.stdout.write(`  - ${f.message}\n`);
        process.stdout.write(`  (the formula would give ${fmtNum(r.formula)}, which is NOT a bound here)\n`);
      }
      process.stdout.write(`Informal law eps sqrt(n d / p) = ${fmtNum(law)}\n`);
      process.stdout.write(`k-condition: 8^4 k ln(8k/delta) = ${fmtNum(r.kCondition.lhs)} vs n eps^2 = ${fmtNum(r.kCondition.rhs)}\n`);
    });
}
