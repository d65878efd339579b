import { Command, CommanderError, type Option } from 'commander';
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
import { EXIT_USAGE, reportError } from './errors.js';
import { UsageError } from './parse.js';

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
    if (err instanceof CommanderError && err.code === 'commander.help' && err.exitCode !== 0) {
      // no command: the usage on stderr, exit 2 (commander prints it through the silenced writeErr)
      writeErr(program.helpInformation());
      return EXIT_USAGE;
    }
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')) return 0;
    if (err instanceof CommanderError && err.code === 'commander.invalidArgument') return reportError(invalidArgument(err, program, argv), false, writeErr);
    if (err instanceof CommanderError && err.code === 'commander.excessArguments') {
      const cmd = argv.find((x) => program.commands.some((c) => c.name() === x)) ?? 'the command';
      return reportError(new UsageError(`${cmd} takes no such argument (${err.message.replace(/^error: /, '').replace(/\.$/, '')}; flags start with --, see --help)`), false, writeErr);
    }
    return reportError(err, hasDebug(argv), writeErr);
  }
}

/** The option whose `flags` (`--n <int>`) commander names, in the command the user ran (else any command). */
function findOption(program: Command, argv: readonly string[], flags: string): Option | undefined {
  const name = argv.find((a) => program.commands.some((c) => c.name() === a));
  const cmds = [...program.commands.filter((c) => c.name() === name), program, ...program.commands];
  for (const c of cmds) {
    const o = c.options.find((opt) => opt.flags === flags);
    if (o !== undefined) return o;
  }
  return undefined;
}

/** A range a flag's description states (`an integer >= 1`, `in (0, 1)`, `> 0`), if any. */
const RANGE = /(an integer (?:>= ?-?[\d.e+]+|in [[(][^\])]*[\])])|in [[(][^\])]*[\])]|>=? ?-?[\d.e+]+)/;

/**
 * Commander's "option '--n <int>' argument 'abc' is invalid. must be ..." as one usage line naming the flag,
 * the value cut short, and the flag's range where its description states one:
 * `--n must be a decimal number such as 3, 0.5 or 6e4 (got "abc"); --n takes an integer >= 1`.
 */
function invalidArgument(err: CommanderError, program: Command, argv: readonly string[]): UsageError | CommanderError {
  const m = /^error: option '([^']*)' argument '[\s\S]*' is invalid\. ([\s\S]*)$/.exec(err.message);
  if (!m) return err;
  const option = findOption(program, argv, m[1]);
  const flag = option?.long ?? m[1].split(/[ ,]/)[0];
  const range = option === undefined ? null : RANGE.exec(option.description);
  const takes = range === null ? '' : /^an /.test(range[1]) ? range[1] : `a number ${range[1]}`;
  return new UsageError(`${flag} ${m[2]}${takes ? `; ${flag} takes ${takes}` : ''}`);
}
