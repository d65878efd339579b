import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/robustlaw.js', import.meta.url));

/** Runs the CLI from source and returns exit code, stdout and stderr. */
export function cli(args: string[], timeout = 60_000, env?: Readonly<Record<string, string>>): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout, ...(env ? { env: { ...process.env, ...env } } : {}) });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
