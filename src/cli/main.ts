import { Command, CommanderError } from 'commander';
import { registerBackends } from './commands/backends.js';
import { registerBench } from './commands/bench.js';
import { registerBound } from './commands/bound.js';
import { registerFit } from './commands/fit.js';
import { registerLip } from './commands/lip.js';
import { registerPredict } from './commands/predict.js';
import { registerSearch } from './commands/search.js';
import { registerVerify } from './commands/verify.js';
import { registerSweep } from './commands/sweep.js';
import { registerMerge } from './commands/merge.js';
import { registerReport } from './commands/report.js';
import { registerCheckModel } from './commands/check-model.js';
import { UsageError } from './parse.js';

/** Builds the `robustlaw` command line program (without running it). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('robustlaw')
    .description('Empirical verification of the universal law of robustness (Bubeck & Sellke, 2021)')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  registerPredict(program);
  registerBound(program);
  registerFit(program);
  registerLip(program);
  registerSearch(program);
  registerVerify(program);
  registerSweep(program);
  registerMerge(program);
  registerReport(program);
  registerCheckModel(program);
  registerBackends(program);
  registerBench(program);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeErr: () => {} });
  return program;
}

/** Runs the CLI; bad input exits 2 with one line on stderr and no stack trace. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      process.stderr.write(`robustlaw: ${err.message.replace(/^error: /, '')}\n`);
      return 2;
    }
    if (err instanceof RangeError || err instanceof TypeError || err instanceof UsageError) {
      process.stderr.write(`robustlaw: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
