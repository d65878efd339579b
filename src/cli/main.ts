import { Command, CommanderError, type Option } from 'commander';
import { EXIT_USAGE, reportError } from './errors.js';
import { UsageError } from './parse.js';
import { packageVersion } from './version.js';

/** How a command adds itself to the program. */
type Register = (program: Command) => void;

/**
 * Every command, in the order `--help` lists them, each loaded only when it runs: a command imports what it
 * computes with (TensorFlow.js, vega, the ONNX reader, ...), so `robustlaw bound` or a refused flag does not
 * pay for the others' modules (docs/performance.md, "Start-up").
 */
export const COMMANDS: readonly (readonly [name: string, load: () => Promise<Register>])[] = [
  ['predict', async () => (await import('./commands/predict.js')).registerPredict],
  ['bound', async () => (await import('./commands/bound.js')).registerBound],
  ['fit', async () => (await import('./commands/fit.js')).registerFit],
  ['lip', async () => (await import('./commands/lip.js')).registerLip],
  ['search', async () => (await import('./commands/search.js')).registerSearch],
  ['verify', async () => (await import('./commands/verify.js')).registerVerify],
  ['sweep', async () => (await import('./commands/sweep.js')).registerSweep],
  ['merge', async () => (await import('./commands/merge.js')).registerMerge],
  ['report', async () => (await import('./commands/report.js')).registerReport],
  ['check-model', async () => (await import('./commands/check-model.js')).registerCheckModel],
  ['check', async () => (await import('./commands/check.js')).registerCheck],
  ['backends', async () => (await import('./commands/backends.js')).registerBackends],
  ['bench', async () => (await import('./commands/bench.js')).registerBench],
];

/** The command `argv` runs (its first word that is not a flag), when it is one of {@link COMMANDS}. */
export function commandOf(argv: readonly string[]): string | undefined {
  const end = argv.indexOf('--');
  const word = (end < 0 ? argv : argv.slice(0, end)).find((a) => !a.startsWith('-'));
  return COMMANDS.some(([name]) => name === word) ? word : undefined;
}

/**
 * Builds the `robustlaw` command line program (without running it): every command, or with `only` just
 * that one (what {@link main} does for a known command, so that it loads nothing else), or with null none
 * (`--version`).
 */
export async function buildProgram(only?: string | null): Promise<Command> {
  const program = new Command();
  program
    .name('robustlaw')
    .description('Empirical verification of the universal law of robustness (Bubeck & Sellke, 2021)')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .option('--debug', 'on an internal error, print its stack')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  const registers = await Promise.all(COMMANDS.filter(([name]) => only === undefined || name === only).map(([, load]) => load()));
  for (const register of registers) register(program);
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
  const command = commandOf(argv);
  // `--version` alone needs no command; `--help` and an unknown command need them all (to list them)
  const versionOnly = argv.some((a) => a === '-V' || a === '--version') && argv.every((a) => a === '-V' || a === '--version' || a === '--debug');
  const only = command ?? (versionOnly ? null : undefined);
  const program = options.program ?? (await buildProgram(only));
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
