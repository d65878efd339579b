import fc from 'fast-check';
import { inject } from 'vitest';

// Every property in this worker draws from the run's master seed; a failure prints seed and path,
// and ROBUSTLAW_SEED=<seed> replays the whole run.
const deep = inject('robustlawProfile') === 'deep';
fc.configureGlobal({ seed: inject('robustlawSeed') | 0, numRuns: deep ? 200 : 25, endOnFailure: false });
