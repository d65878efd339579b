import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import type { Command } from 'commander';

const bin = fileURLToPath(new URL('../../bin/robustlaw.js', import.meta.url));

/** Runs the CLI in a fresh process (bin/robustlaw.js, as a user's shell does) and returns exit code, stdout and stderr: for the end-to-end cases (start-up, signals, the installed entry point). */
export function cli(args: string[], timeout = 60_000, env?: Readonly<Record<string, string>>): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout, ...(env ? { env: { ...process.env, ...env } } : {}) });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Working directory during the run (restored after). */
  readonly cwd?: string;
  /** A program to run instead of the CLI's own (a command that throws on purpose). */
  readonly program?: Command;
  /** Environment variables set during the run (restored after). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs the CLI in this process through main(argv) (no start-up cost; the one in-process runner of the
 * tests): exit code, everything written to stdout, and everything written to stderr (main's own lines and
 * the commands' writes). process.exitCode and the working directory are restored after the run.
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  const cwd = process.cwd();
  const exitCode = process.exitCode;
  const envBefore = Object.fromEntries(Object.keys(options.env ?? {}).map((k) => [k, process.env[k]]));
  process.exitCode = undefined;
  try {
    Object.assign(process.env, options.env ?? {});
    if (options.cwd !== undefined) process.chdir(options.cwd);
    const code = await main([...argv], { writeErr: (t) => void (stderr += t), ...(options.program ? { program: options.program } : {}) });
    return { code, stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(envBefore)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.chdir(cwd);
    out.mockRestore();
    err.mockRestore();
    process.exitCode = exitCode;
  }
}
