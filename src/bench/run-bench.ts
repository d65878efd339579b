import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import type { Backend } from '../backends/backend.js';
import { autoBackend, BACKEND_NAMES, createBackend, detectBackends, type BackendName } from '../backends/registry.js';
import { CpuWorkerPool } from '../backends/cpu-workers.js';
import { calibrationLoop } from './calibration.js';
import { kernelCases, realisticCases, SMALL } from '../../benchmarks/kernels.js';
import type { BenchCase } from './bench-case.js';
import { InputError } from '../core/input-error.js';
import type { BenchRecord } from './compare.js';

/** One measured (case, backend). */
export interface BenchRow extends BenchRecord {
  readonly caseId: string;
  /** A registry backend, `cpu-workers` (the cpu kernels on one worker thread per core) or `auto`. */
  readonly backend: BackendName | 'cpu-workers' | 'auto';
  /** What actually ran (tf.getBackend(), gpu.js mode). */
  readonly mode: string;
  readonly kernel: string;
  readonly size: string;
  readonly flops: number;
  readonly gflops: number;
  readonly samples: number;
  /** cpu median / this median for the same case (null without a cpu row). */
  readonly speedupVsCpu: number | null;
}

/** A benchmark run with its environment. */
export interface BenchResult {
  readonly format: 'robustlaw-bench/1';
  readonly environment: Readonly<Record<string, string | number>>;
  readonly calibration: { readonly medianMs: number; readonly rme: number };
  readonly rows: readonly BenchRow[];
  /** Backends that did not run, with the reason. */
  readonly skipped: readonly { readonly backend: string; readonly reason: string }[];
  /** A kernel deliberately slowed down (ROBUSTLAW_BENCH_SLOW), recorded so nobody mistakes it for a baseline. */
  readonly slowed: string | null;
}

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  /** Registry backends plus the pseudo-backends `cpu-workers` and `auto` (default: all). */
  readonly backends?: readonly (BackendName | 'cpu-workers' | 'auto')[];
  readonly kernels?: readonly string[];
  /** Measured iterations per case and round (default 1; plus 1 warm-up before the first round). */
  readonly iterations?: number;
  /** Measurement rounds (default 5): each round times every case of a backend in turn after timing the
   * calibration loop, so a slow spell of the machine hits the cases alike and is normalised away; the
   * rounds are the samples of the comparison's test ({@link compareBench}). */
  readonly rounds?: number;
  /** Slow this kernel down: `kernel` or `kernel:N` runs its work N times (default 2), `kernel:1.5` runs it
   * once and then waits half its time again (to measure what the comparator and the history catch; test and
   * measurement only). */
  readonly slow?: string | null;
  /** The tiny sizes of benchmarks/kernels.ts (SMALL) instead of the realistic ones: for tests and smoke runs. */
  readonly small?: boolean;
  readonly onProgress?: (label: string) => void;
}

/** A package's version, from its package.json (found next to its entry point when `exports` hides it). */
function versionOf(pkg: string): string {
  const require = createRequire(import.meta.url);
  const nameOf = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string });
  let path: string;
  try {
    path = require.resolve(`${pkg}/package.json`);
  } catch {
    try {
      // tinybench's `exports` does not list ./package.json: walk up from the entry point.
      let dir = dirname(require.resolve(pkg));
      while (!existsSync(join(dir, 'package.json')) || nameOf(join(dir, 'package.json')).name !== pkg) {
        const up = dirname(dir);
        if (up === dir) return 'not installed';
        dir = up;
      }
      path = join(dir, 'package.json');
    } catch {
      return 'not installed';
    }
  }
  return nameOf(path).version ?? 'unknown';
}

/** The CPU's vector extensions (avx2, fma, avx512*) from /proc/cpuinfo: they set what BLAS-class kernels can reach. */
function simdFlags(): string {
  try {
    const flags = new Set(readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1].trim().split(/\s+/) ?? []);
    return [...flags].filter((f) => /^(avx2|fma|avx512f|avx512_bf16|avx512vl|neon|asimd)$/.test(f)).sort().join(' ') || 'none listed';
  } catch {
    return 'unknown';
  }
}

/** Node, CPU model, cores, vector extensions, package versions and git commit. */
function benchEnvironment(): Record<string, string | number> {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    /* not a git checkout */
  }
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    simd: simdFlags(),
    platform: `${process.platform}-${process.arch}`,
    tinybench: versionOf('tinybench'),
    '@tensorflow/tfjs-core': versionOf('@tensorflow/tfjs-core'),
    '@tensorflow/tfjs-backend-wasm': versionOf('@tensorflow/tfjs-backend-wasm'),
    '@tensorflow/tfjs-node': versionOf('@tensorflow/tfjs-node'),
    'gpu.js': versionOf('gpu.js'),
    commit,
    date: new Date().toISOString(),
  };
}

/** The least time (ms) each round spends on a case: a fast kernel repeats until then, so that its round's
 * median is not one timer-sized call (matmul 256 takes about 2 ms); a slow one runs `iterations` times. */
const ROUND_MS = 100;

async function measure(fn: () => unknown, iterations: number, warmup = true): Promise<{ medianMs: number; rme: number; samples: number }> {
  const bench = new Bench({ iterations, time: ROUND_MS, warmupIterations: warmup ? 1 : 0, warmupTime: warmup ? ROUND_MS : 0, warmup });
  bench.add('case', fn);
  await bench.run();
  const r = bench.tasks[0].result as unknown as { state: string; error?: Error; latency: { p50: number; rme: number; samplesCount: number } };
  if (r.state !== 'completed') throw r.error ?? new Error(`benchmark ${r.state}`);
  return { medianMs: r.latency.p50, rme: r.latency.rme, samples: r.latency.samplesCount };
}

/** The kernel a `slow` option names and its slow-down factor: `matmul` 2, `matmul:4` 4, `matmul:1.5` 1.5. */
export function slowSpec(slow: string | null | undefined): [string | null, number] {
  if (!slow) return [null, 1];
  const m = /^([A-Za-z0-9]+)(?::(\d+(?:\.\d+)?))?$/.exec(slow);
  const rule = 'a kernel name, optionally with :F, a slow-down factor 1.05 <= F <= 100 (e.g. matmul:1.5)';
  if (!m) throw new InputError('slow', rule, slow);
  const times = m[2] === undefined ? 2 : Number(m[2]);
  if (!(times >= 1.05 && times <= 100)) throw new InputError('slow', rule, slow);
  return [m[1], times];
}

/** `work` slowed `factor` times: an integer factor runs the work that many times; a fractional one runs it
 * once and then waits (factor - 1) times the call's own duration, so every call takes factor times as long. */
function slowed(work: () => unknown, factor: number): () => Promise<void> {
  if (Number.isInteger(factor))
    return async () => {
      for (let t = 0; t < factor; t++) await work();
    };
  return async () => {
    const t0 = performance.now();
    await work();
    const until = t0 + (performance.now() - t0) * factor;
    while (performance.now() < until) {
      /* wait, busy: a slower kernel keeps its core */
    }
  };
}

/** Median of a non-empty list. */
function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** The 95% relative margin of error of the mean of the rounds, percent (t quantiles for 1..9 degrees of freedom, then 2). */
function roundsRme(v: readonly number[]): number {
  if (v.length < 2) return 0;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  const t = [12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262][v.length - 2] ?? 2;
  return ((t * sd) / Math.sqrt(v.length) / mean) * 100;
}

/** One case of one backend, measured in rounds: the raw medians (ms) and the normalised ones per round. */
interface CaseTimes {
  readonly ms: number[];
  readonly normalized: number[];
  samples: number;
}

/**
 * Measures `cases` (each a function to time) in `rounds` rounds: per round the calibration loop, then every
 * case in turn (interleaved, so that the machine's drift reaches them alike), each normalised by that round's
 * calibration. The first round's calls are preceded by one warm-up call each.
 */
async function measureRounds(cases: readonly (() => unknown)[], iterations: number, rounds: number, calibration: number[]): Promise<CaseTimes[]> {
  const times: CaseTimes[] = cases.map(() => ({ ms: [], normalized: [], samples: 0 }));
  for (let r = 0; r < rounds; r++) {
    const cal = (await measure(calibrationLoop, 3, r === 0)).medianMs;
    calibration.push(cal);
    for (const [i, fn] of cases.entries()) {
      const m = await measure(fn, iterations, r === 0);
      times[i].ms.push(m.medianMs);
      times[i].normalized.push(m.medianMs / cal);
      times[i].samples += m.samples;
    }
  }
  return times;
}

/** Runs the cases on the backends: medians, GFLOP/s, margins of error, speed-up over cpu, normalised times. */
export async function runBench(options: RunBenchOptions = {}): Promise<BenchResult> {
  const iterations = options.iterations ?? 1;
  const rounds = options.rounds ?? 5;
  const status = await detectBackends();
  const wanted: readonly string[] = options.backends ?? [...BACKEND_NAMES, 'cpu-workers', 'auto'];
  const skipped = status.filter((s) => wanted.includes(s.name) && !s.available).map((s) => ({ backend: s.name, reason: s.reason ?? 'unavailable' }));
  const cases = (options.small ? kernelCases(SMALL) : realisticCases()).filter((c) => !options.kernels || options.kernels.includes(c.kernel));
  const [slowKernel, slowFactor] = slowSpec(options.slow);
  const maybeSlow = (c: BenchCase, work: () => unknown) => (slowKernel !== null && c.kernel === slowKernel ? slowed(work, slowFactor) : work);
  const calibration: number[] = [];
  const rows: BenchRow[] = [];
  const row = (c: BenchCase, backend: BenchRow['backend'], mode: string, t: CaseTimes): BenchRow => {
    const medianMs = median(t.ms);
    return { key: `${c.id}@${backend}`, caseId: c.id, backend, mode, kernel: c.kernel, size: c.size, flops: c.flops, gflops: c.flops / (medianMs * 1e6), medianMs, rme: roundsRme(t.normalized), samples: t.samples, normalized: median(t.normalized), rounds: t.normalized, speedupVsCpu: null };
  };
  for (const s of status) {
    // auto needs the backend it would choose measured too
    if (!(wanted.includes(s.name) || (wanted.includes('auto') && s.name === autoBackend('matmul', 2e9, status))) || !s.available) continue;
    const backend: Backend = await createBackend(s.name);
    const mine = cases.filter((c) => c.kernel !== 'matmulF64' || s.name === 'cpu');
    for (const c of mine) options.onProgress?.(`${c.id} on ${s.name}`);
    const works = mine.map((c) => maybeSlow(c, c.prepare(backend)));
    const times = await measureRounds(works, iterations, rounds, calibration);
    for (const [i, c] of mine.entries()) rows.push(row(c, s.name, backend.mode, times[i]));
    backend.dispose?.();
  }
  // cpu-workers: the batch-parallel cpu kernels on one worker thread per core (measured: does it help?)
  if (wanted.includes('cpu-workers')) {
    const pool = new CpuWorkerPool();
    const mine = cases.filter((c) => c.kernel === 'gradNorms' || c.kernel === 'pairwiseSecant');
    const works: (() => unknown)[] = [];
    for (const c of mine) {
      options.onProgress?.(`${c.id} on cpu-workers`);
      const run = c.prepare({
        ...(await createBackend('cpu')),
        name: 'cpu-workers',
        // the pool is async: the case's synchronous call returns the promise, which tinybench awaits
        gradNorms: ((...args: Parameters<CpuWorkerPool['gradNorms']>) => pool.gradNorms(...args)) as never,
        pairwiseSecant: ((...args: Parameters<CpuWorkerPool['pairwiseSecant']>) => pool.pairwiseSecant(...args)) as never,
      });
      works.push(maybeSlow(c, async () => {
        await run();
      }));
    }
    const times = await measureRounds(works, iterations, rounds, calibration);
    for (const [i, c] of mine.entries()) rows.push(row(c, 'cpu-workers', `${pool.size} worker threads`, times[i]));
    await pool.close();
  }
  // auto: the registry's choice per kernel and size, reported as that backend's measurement
  if (wanted.includes('auto')) {
    for (const c of cases) {
      if (c.kernel === 'matmulF64') continue;
      const choice = autoBackend(c.kernel === 'gramSolve' ? 'gram' : c.kernel, c.flops, status);
      const src = rows.find((r) => r.caseId === c.id && r.backend === choice);
      if (src) rows.push({ ...src, key: `${c.id}@auto`, backend: 'auto', mode: `auto -> ${choice} (${src.mode})` });
    }
  }
  const withSpeedup = rows.map((r) => {
    const cpu = rows.find((q) => q.caseId === r.caseId && q.backend === 'cpu');
    return { ...r, speedupVsCpu: cpu ? cpu.medianMs / r.medianMs : null };
  });
  const cal = calibration.length ? median(calibration) : (await measure(calibrationLoop, 5)).medianMs;
  return { format: 'robustlaw-bench/1', environment: benchEnvironment(), calibration: { medianMs: cal, rme: roundsRme(calibration) }, rows: withSpeedup, skipped, slowed: options.slow ?? null };
}

export type { BenchCase };
