import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildIsCurrent } from '../scripts/build-stamp.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    robustlawSeed: number;
    robustlawProfile: 'quick' | 'deep';
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Chooses the run's master seed once (ROBUSTLAW_SEED replays), prints it, and hands it to every worker; and
 * builds dist/ when a source is newer than it (bin/robustlaw.js, which the CLI tests spawn, runs dist/ when
 * it is current, as a user's command does after `npm ci`).
 */
export default function setup(project: TestProject): void {
  if (!buildIsCurrent(ROOT)) {
    console.log('robustlaw test run: the sources are newer than dist/; building it first (scripts/build.mjs)');
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  // a source edited while the tests run makes dist/ stale: the spawned CLI then runs from source, and its
  // one-line note about it would break the tests that read stderr (the note has its own test, test/cli/bin.test.ts)
  process.env.ROBUSTLAW_QUIET_SOURCE = '1';
  const raw = process.env.ROBUSTLAW_SEED;
  let seed: number;
  if (raw !== undefined && raw !== '') {
    seed = Number(raw);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`ROBUSTLAW_SEED must be an integer in [0, 4294967295] (got ${JSON.stringify(raw)})`);
  } else {
    seed = (Date.now() ^ (process.pid << 16)) >>> 0;
  }
  const profile = process.env.ROBUSTLAW_PROFILE === 'deep' ? 'deep' : 'quick';
  console.log(`robustlaw test run: profile=${profile} seed=${seed} (replay with ROBUSTLAW_SEED=${seed}${profile === 'deep' ? ' ROBUSTLAW_PROFILE=deep' : ''})`);
  project.provide('robustlawSeed', seed);
  project.provide('robustlawProfile', profile);
}
