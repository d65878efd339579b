/**
 * The package's version, read from its package.json: the one next to the sources in a checkout
 * (src/cli -> ../..), or next to dist/ in the compiled form (dist/src/cli -> ../../..).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';

/** The `version` of robustlaw's package.json (`robustlaw --version`). */
export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    const url = new URL(up, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'robustlaw' && typeof pkg.version === 'string') return pkg.version;
  }
  throw new Error('packageVersion: no package.json of robustlaw above this module');
}
