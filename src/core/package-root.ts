/**
 * Where robustlaw's own files are: a checkout (sources beside package.json) or an installed package (compiled,
 * under someone's node_modules), so that hints name commands that exist where the user runs them.
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative, sep } from 'node:path';

/** The folder of robustlaw's package.json: src/core -> ../.., or dist/src/core -> ../../.. when compiled. */
export function packageRoot(): string {
  for (const up of ['../..', '../../..']) {
    const dir = fileURLToPath(new URL(`${up}/`, import.meta.url));
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'robustlaw.js'))) return dir.replace(/[\\/]$/, '');
  }
  return dirname(dirname(fileURLToPath(import.meta.url)));
}

/** Whether robustlaw runs as an installed dependency (its root under a node_modules folder). */
export function installedAsDependency(root = packageRoot()): boolean {
  return root.split(sep).includes('node_modules');
}

/**
 * The command that builds the optional native TensorFlow binding offline: `npm run setup:tfjs-node` in a
 * checkout (a script of robustlaw's package.json); in an installed package, whose user's project has no such
 * script, the shipped script itself (`node node_modules/robustlaw/scripts/setup-tfjs-node.mjs`, relative to
 * the working directory).
 */
export function tfjsNodeSetupCommand(root = packageRoot(), cwd = process.cwd()): string {
  if (!installedAsDependency(root)) return 'npm run setup:tfjs-node';
  const script = relative(cwd, join(root, 'scripts', 'setup-tfjs-node.mjs'));
  return `node ${script.split(sep).join('/')}`;
}
