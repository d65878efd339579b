import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests' Chromium comes from, or why there is none. */
export type ChromiumFound = { readonly ok: true; readonly path: string; readonly browser: Browser } | { readonly ok: false; readonly reason: string };

/** Executable names of a system Chromium, in the order they are tried on PATH (Debian's `chromium` package first). */
const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Finds and launches a Chromium for the browser tests, never downloading one: `ROBUSTLAW_CHROMIUM` (a path)
 * when set, else the first of chromium, chromium-browser, google-chrome-stable, google-chrome on PATH
 * (Debian's `chromium` package installs /usr/bin/chromium; `.ci/run` installs it with apt-get when it can).
 * Playwright (`playwright-core`, which downloads nothing) drives it headless. When none is found or it
 * fails to start, says why, for the suite to skip with that reason.
 */
export async function launchChromium(): Promise<ChromiumFound> {
  const given = process.env.ROBUSTLAW_CHROMIUM;
  const path = given !== undefined && given !== '' ? given : NAMES.map(onPath).find((p) => p !== null);
  if (!path) return { ok: false, reason: `no Chromium on PATH (tried ${NAMES.join(', ')}; install Debian's chromium package, e.g. apt-get install chromium, or set ROBUSTLAW_CHROMIUM to a Chromium executable)` };
  try {
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
    const browser = await chromium.launch({ executablePath: path, args: ['--no-sandbox', '--disable-gpu'], timeout: 30_000 });
    return { ok: true, path, browser };
  } catch (e) {
    return { ok: false, reason: `${path} did not start: ${(e as Error).message.split('\n')[0]}` };
  }
}
