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
import { reportError } from './errors.js';

/** Builds the `robustlaw` command line program (without running it). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('robustlaw')
    .description('Empirical verification of the universal law of robustness (Bubeck & Sellke, 2021)')
    .option('--debug', 'on an internal error, print its stack')
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

/** Where {@link main} writes its error lines (stderr unless a test passes its own). */
export interface MainOptions {
  readonly program?: Command;
  readonly writeErr?: (text: string) => void;
}

/** True when `--debug` is among the arguments (before a `--`): errors then print their stack. */
function hasDebug(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--debug');
}

/**
 * Runs the CLI on `argv` (without node and the script) and returns the exit code; no side effect on
 * import. Bad input (a library InputError, named here by its flag; a usage or parse error) prints one
 * line and gives 2; any other exception is a bug: one line, exit 70, the stack only with --debug.
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const program = options.program ?? buildProgram();
  const writeErr = options.writeErr ?? ((text: string) => void process.stderr.write(text));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')) return 0;
    return reportError(err, hasDebug(argv), writeErr);
  }
}
