// Builds the installable package into dist/ (docs/package.md): compiles src/ and the benchmark cases with
// tsconfig.build.json (JavaScript plus .d.ts declarations), then copies the runtime assets tsc does not
// emit (the cpu worker pool's plain-JS thread entry). `npm pack` runs it through the prepack script.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
for (const asset of ['src/backends/cpu-worker.mjs', 'src/linalg/abt-worker.mjs']) copyFileSync(join(root, asset), join(dist, asset));
process.stdout.write('robustlaw build: dist/ written\n');
