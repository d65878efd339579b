import type { Command } from 'commander';
import { openSearchBackend, SEARCH_BACKENDS, type SearchBackend, type SearchBackendName } from '../backends/search-backend.js';

/** Adds `--backend` (where the estimators' search runs) to a command. */
export function addBackendOption(cmd: Command, fallback?: string): Command {
  return cmd.option(
    '--backend <name>',
    `where the Lipschitz search runs: ${SEARCH_BACKENDS.join(', ')} (default ${fallback ?? 'auto'}; f32 backends search, every bound is certified in f64)`,
  );
}

/** Opens the search backend a command was given (or `fallback`); bad names and unavailable backends are input errors. */
export async function openBackendFlag(value: string | undefined, fallback: SearchBackendName = 'auto'): Promise<SearchBackend> {
  return openSearchBackend((value ?? fallback) as SearchBackendName);
}

/**
 * What a command prints once its work starts: which search backend runs, and, where `auto` could not
 * use the native binding, why (one line each).
 */
export function backendLines(command: string, b: SearchBackend): string {
  const what = `${command}: search backend ${b.name} (${b.precision === 'f32' ? `f32 search on ${b.mode}, f64 certificates` : 'f64'})${b.requested === 'auto' ? ', chosen by auto' : ''}\n`;
  return `${b.note === null ? '' : `${command}: ${b.note}\n`}${what}`;
}
