// Builds the installable package into dist/ (docs/package.md): compiles src/ and the benchmark cases with
// tsconfig.build.json (JavaScript plus .d.ts declarations), copies the runtime assets tsc does not emit (the
// cpu worker pool's plain-JS thread entry), and last writes the stamp that says dist/ is current
// (scripts/build-stamp.mjs; bin/robustlaw.js runs dist/ only when it is). It builds into a fresh folder
// beside dist/ and then swaps it in, so that a robustlaw process running meanwhile never reads a half-written
// dist/. `npm ci` runs it through the prepare script and `npm pack` through prepack, both with --if-stale
// (nothing to do when dist/ is current); `npm run build` always rebuilds.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent, newestSource, STAMP } from './build-stamp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv.includes('--if-stale') && buildIsCurrent(root)) {
  process.stdout.write('robustlaw build: dist/ is current\n');
  process.exit(0);
}
const dist = join(root, 'dist');
const fresh = join(root, `dist.tmp-${process.pid}`);
const old = join(root, `dist.old-${process.pid}`);
// the sources' time before compiling: a source edited while tsc runs is newer than the stamp, so not taken as built
const sourcesAsOf = newestSource(root);
rmSync(fresh, { recursive: true, force: true });
try {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', fresh], { stdio: 'inherit', cwd: root });
  for (const asset of ['src/backends/cpu-worker.mjs', 'src/linalg/abt-worker.mjs']) copyFileSync(join(root, asset), join(fresh, asset));
  writeFileSync(join(fresh, '.build-stamp'), `built from the sources as of ${new Date(sourcesAsOf).toISOString()}\n`);
  utimesSync(join(fresh, '.build-stamp'), sourcesAsOf / 1000, sourcesAsOf / 1000);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(fresh, dist);
} finally {
  rmSync(fresh, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
}
process.stdout.write(`robustlaw build: dist/ written (${STAMP})\n`);
