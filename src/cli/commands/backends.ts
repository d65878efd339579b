import type { Command } from 'commander';
import { detectBackends } from '../../backends/registry.js';
import { openSearchBackend } from '../../backends/search-backend.js';
import { probeF64Threads } from '../../linalg/f64-threads-status.js';
import { textTable } from '../../report/table.js';

/** `robustlaw backends`: what runs here, in which mode, and why the rest does not. */
export function registerBackends(program: Command): void {
  program
    .command('backends')
    .description('list the compute backends: available (with the mode that actually runs) or not (with the reason)')
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      const list = await detectBackends();
      // what --backend auto gives the Lipschitz search here
      const search = await openSearchBackend('auto');
      const auto = { backend: search.name, precision: search.precision, note: search.note };
      const f64Threads = await probeF64Threads();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ backends: list, searchAuto: auto, f64Threads }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${textTable(['backend', 'available', 'mode', 'f64', 'reason'], list.map((s) => [s.name, s.available ? 'yes' : 'no', s.mode ?? '-', s.float64 ? 'yes' : 'no', s.reason ?? '']))}\n`);
      process.stdout.write(`\nf64 kernel threads: ${f64Threads.threads}${f64Threads.running ? ' (running)' : `, not running: ${f64Threads.reason}`}`);
      process.stdout.write(`\nLipschitz search with --backend auto: ${search.name} (${search.precision === 'f32' ? 'f32 search, f64 certificates' : 'f64'})${search.note ? `; ${search.note}` : ''}\n`);
    });
}
