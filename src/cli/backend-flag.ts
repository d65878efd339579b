import type { Command } from 'commander';
import { AUTO_MIN_WEIGHTS, openSearchBackend, SEARCH_BACKENDS, type SearchBackend, type SearchBackendName } from '../backends/search-backend.js';

/** Adds `--backend` (where the estimators' search runs) and `--verbose` (why, and progress lines off a
 * terminal) to a command. */
export function addBackendOption(cmd: Command, fallback?: string): Command {
  return cmd
    .option('--backend <name>', `where the Lipschitz search runs: ${SEARCH_BACKENDS.join(', ')} (default ${fallback ?? 'auto'}; f32 backends search, every bound is certified in f64)`)
    .option('--verbose', "say why the search backend was chosen, and print one progress line per instance where stderr is not a terminal");
}

/** Opens the search backend a command was given (or `fallback`); bad names and unavailable backends are input errors. */
export async function openBackendFlag(value: string | undefined, fallback: SearchBackendName = 'auto'): Promise<SearchBackend> {
  return openSearchBackend((value ?? fallback) as SearchBackendName);
}

/**
 * What a command prints once its work starts: one short line naming the search backend (and, where `auto`
 * could not use the native binding, that it could not); with `verbose`, the full reasoning (which sizes
 * `auto` sends to the backend, why the binding is missing), as `robustlaw backends` gives it.
 */
export function backendLines(command: string, b: SearchBackend, verbose = false): string {
  const where = b.precision === 'f32' ? `f32 search on ${b.mode}, f64 certificates` : 'f64';
  if (!verbose) {
    const fallback = b.note === null ? '' : '; the native binding is not available, --verbose or robustlaw backends says why';
    return `${command}: search backend ${b.name} (${where}${b.requested === 'auto' ? ', auto' : ''}${fallback})\n`;
  }
  const small = b.requested === 'auto' && b.name !== 'cpu' ? `, chosen by auto for two-layer-form models of at least ${AUTO_MIN_WEIGHTS[b.name].twoLayer.toLocaleString('en-US')} weights and NTK features ${AUTO_MIN_WEIGHTS[b.name].ntk === 0 ? 'of any size' : `of at least ${AUTO_MIN_WEIGHTS[b.name].ntk.toLocaleString('en-US')} weights`}; smaller ones and other classes search in f64 on the cpu, as each record says` : b.requested === 'auto' ? ', chosen by auto' : '';
  const what = `${command}: search backend ${b.name} (${where})${small}\n`;
  return `${b.note === null ? '' : `${command}: ${b.note}\n`}${what}`;
}
