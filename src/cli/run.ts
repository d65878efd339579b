/**
 * The executable entry of the CLI: runs {@link main} on the process arguments and sets the exit code.
 * bin/robustlaw.js and the package scripts run this file; importing src/cli/main.ts runs nothing. A
 * failure to load the program is a bug like any other: one line, exit 70 (the stack with --debug).
 * @module
 */
import { reportError } from './errors.js';

const argv = process.argv.slice(2);
try {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
} catch (err) {
  process.exitCode = reportError(err, argv.includes('--debug'), (text) => void process.stderr.write(text));
}
