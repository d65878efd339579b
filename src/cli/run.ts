/**
 * The executable entry of the CLI: runs {@link main} on the process arguments and sets the exit code.
 * bin/robustlaw.js and the package scripts run this file; importing src/cli/main.ts runs nothing.
 * @module
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
