import { defineConfig } from 'vitest/config';

// Profiles: `quick` (default, what `npm test` runs) and `deep` (ROBUSTLAW_PROFILE=deep): more runs,
// larger instances, longer timeouts. ROBUSTLAW_SEED replays a run (every run prints its seed).
const deep = process.env.ROBUSTLAW_PROFILE === 'deep';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.prop.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: deep ? 1_800_000 : 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores (1 on this 2-core machine); much of the suite waits
    // on spawned CLI processes, so two workers keep both cores busy (measured: docs/performance.md)
    maxWorkers: 2,
    // ROBUSTLAW_JUNIT=<file> adds JUnit XML (CI uploads it: docs/package.md); `--reporter=junit` works too
    reporters: process.env.ROBUSTLAW_JUNIT ? ['default', ['junit', { outputFile: process.env.ROBUSTLAW_JUNIT }]] : ['default'],
  },
});
