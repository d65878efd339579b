// When dist/ was built from the sources on disk: the build writes dist/.build-stamp last (its modification
// time is the build's), and a checkout's sources are current in dist/ when no source file or folder (a new
// or deleted file changes its folder's time) is newer than the stamp. Plain JavaScript with no dependency:
// bin/robustlaw.js reads it before anything else is loaded.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The stamp file, relative to the package root. */
export const STAMP = 'dist/.build-stamp';

/** What the build compiles or copies: a change to any of these makes dist/ stale. */
const SOURCES = ['src', 'benchmarks/kernels.ts', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];

/** The newest modification time (ms) under `path` (a file, or a folder and everything in it). */
function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined) return 0;
  let t = st.mtimeMs;
  if (st.isDirectory()) for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

/** The newest modification time of the build's sources under `root`. */
export function newestSource(root) {
  return Math.max(...SOURCES.map((s) => newest(join(root, s))));
}

/** Whether `root`/dist holds a build of the sources on disk: a stamp no older than any source (to the
 * millisecond: setting a file's time rounds it below that). */
export function buildIsCurrent(root) {
  const stamp = statSync(join(root, STAMP), { throwIfNoEntry: false });
  return stamp !== undefined && stamp.mtimeMs + 1 >= newestSource(root);
}
