import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Run {
  threads: number;
  hash: string;
  calls: number;
  tiles: number;
  workerTiles: number;
}

const run = (env: Record<string, string>): Run => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/linalg/fixtures/abt-hash.ts'], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out) as Run;
};

describe('the f64 kernel on several threads (src/linalg/abt-threads.ts)', () => {
  it('gives the same bits on 1 and 3 threads, and the workers really compute tiles', () => {
    const one = run({ ROBUSTLAW_F64_THREADS: '1' });
    const three = run({ ROBUSTLAW_F64_THREADS: '3' });
    expect(one.threads).toBe(1);
    expect(one.calls).toBe(0);
    expect(three.threads).toBe(3);
    expect(three.calls).toBeGreaterThan(0);
    expect(three.workerTiles).toBeGreaterThan(0);
    expect(three.hash).toBe(one.hash);
    // the comparison can fail: the plain-JS kernel sums in another order and its bits differ
    expect(run({ ROBUSTLAW_F64_THREADS: '3', ROBUSTLAW_NO_WASM: '1' }).hash).not.toBe(one.hash);
  }, 60_000);

  it('refuses a thread count outside [1, 64] by name', () => {
    expect(() => run({ ROBUSTLAW_F64_THREADS: '0' })).toThrow(/ROBUSTLAW_F64_THREADS must be an integer in \[1, 64\], got "0"/);
  }, 30_000);

  it('`robustlaw backends --json` reports whether the threads run, and why not', () => {
    const backends = (env: Record<string, string>) =>
      (JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'backends', '--json'], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { f64Threads: { threads: number; running: boolean; reason: string | null } }).f64Threads;
    expect(backends({ ROBUSTLAW_F64_THREADS: '2' })).toEqual({ threads: 2, running: true, reason: null });
    expect(backends({ ROBUSTLAW_F64_THREADS: '1' })).toMatchObject({ threads: 1, running: false, reason: expect.stringMatching(/one thread configured/) as unknown });
  }, 60_000);
});
