import { defineConfig } from 'vitest/config';

// robustlaw/vitest registers toSatisfyLaw and toHaveLipschitzAbove on expect for every test file.
export default defineConfig({ test: { setupFiles: ['robustlaw/vitest'], testTimeout: 60_000 } });
