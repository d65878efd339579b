import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    robustlawSeed: number;
    robustlawProfile: 'quick' | 'deep';
  }
}

/** Chooses the run's master seed once (ROBUSTLAW_SEED replays), prints it, and hands it to every worker. */
export default function setup(project: TestProject): void {
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
