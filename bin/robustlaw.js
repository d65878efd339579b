#!/usr/bin/env node
// The robustlaw command. From a checkout (src/cli/run.ts next to this file) it runs the TypeScript CLI
// from source through tsx, no build step; from the installed package (no src/*.ts inside it) it runs the
// compiled JavaScript in dist/ (docs/package.md).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/run.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/src/cli/run.js');
}
