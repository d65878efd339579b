#!/usr/bin/env node
// The robustlaw command. It runs the compiled JavaScript in dist/ (docs/package.md): in the installed
// package always (it holds no src/*.ts); in a checkout when dist/ is at least as new as every source
// (`npm ci` builds it through the prepare script; `npm run build` rebuilds it). A checkout whose sources
// changed after the last build (an edit, a `git pull`) runs from source through tsx instead, so that what
// runs is always the code on disk, and says so in one line with how to get the fast start back.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from '../scripts/build-stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = new URL('../src/cli/run.ts', import.meta.url);
if (!existsSync(source) || buildIsCurrent(root)) {
  await import('../dist/src/cli/run.js');
} else {
  if (process.env.ROBUSTLAW_QUIET_SOURCE !== '1') process.stderr.write('robustlaw: the sources are newer than dist/, running them through tsx (about 0.5 s slower); `npm run build` restores the fast start\n');
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
}
