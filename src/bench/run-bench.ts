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
  /** Measured iterations per case (default 3; plus 1 warm-up). */
  readonly iterations?: number;
  /** Run this kernel's work twice, or `kernel:N` N times (to show that the comparator and the history catch a slowed kernel; test only). */
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

async function measure(fn: () => unknown, iterations: number): Promise<{ medianMs: number; rme: number; samples: number }> {
  const bench = new Bench({ iterations, time: 0, warmupIterations: 1, warmupTime: 0 });
  bench.add('case', fn);
  await bench.run();
  const r = bench.tasks[0].result as unknown as { state: string; error?: Error; latency: { p50: number; rme: number; samplesCount: number } };
  if (r.state !== 'completed') throw r.error ?? new Error(`benchmark ${r.state}`);
  return { medianMs: r.latency.p50, rme: r.latency.rme, samples: r.latency.samplesCount };
}

/** The kernel a `slow` option names and how many times its work runs: `matmul` twice, `matmul:4` four times. */
export function slowSpec(slow: string | null | undefined): [string | null, number] {
  if (!slow) return [null, 1];
  const m = /^([A-Za-z0-9]+)(?::(\d+))?$/.exec(slow);
  if (!m) throw new InputError('slow', 'a kernel name, optionally with :N (2 <= N <= 100)', slow);
  const times = m[2] === undefined ? 2 : Number(m[2]);
  if (!(times >= 2 && times <= 100)) throw new InputError('slow', 'a kernel name, optionally with :N (2 <= N <= 100)', slow);
  return [m[1], times];
}

/** Runs the cases on the backends: medians, GFLOP/s, margins of error, speed-up over cpu, normalised times. */
export async function runBench(options: RunBenchOptions = {}): Promise<BenchResult> {
  const iterations = options.iterations ?? 3;
  const status = await detectBackends();
  const wanted: readonly string[] = options.backends ?? [...BACKEND_NAMES, 'cpu-workers', 'auto'];
  const skipped = status.filter((s) => wanted.includes(s.name) && !s.available).map((s) => ({ backend: s.name, reason: s.reason ?? 'unavailable' }));
  const cases = (options.small ? kernelCases(SMALL) : realisticCases()).filter((c) => !options.kernels || options.kernels.includes(c.kernel));
  const [slowKernel, slowTimes] = slowSpec(options.slow);
  const cal = await measure(calibrationLoop, 5);
  const rows: BenchRow[] = [];
  for (const s of status) {
    // auto needs the backend it would choose measured too
    if (!(wanted.includes(s.name) || (wanted.includes('auto') && s.name === autoBackend('matmul', 2e9, status))) || !s.available) continue;
    const backend: Backend = await createBackend(s.name);
    for (const c of cases) {
      if (c.kernel === 'matmulF64' && s.name !== 'cpu') continue;
      options.onProgress?.(`${c.id} on ${s.name}`);
      const work = c.prepare(backend);
      const fn = slowKernel !== null && c.kernel === slowKernel ? () => { for (let t = 0; t < slowTimes; t++) work(); } : work;
      const m = await measure(fn, iterations);
      rows.push({
        key: `${c.id}@${s.name}`,
        caseId: c.id,
        backend: s.name,
        mode: backend.mode,
        kernel: c.kernel,
        size: c.size,
        flops: c.flops,
        gflops: c.flops / (m.medianMs * 1e6),
        medianMs: m.medianMs,
        rme: m.rme,
        samples: m.samples,
        normalized: m.medianMs / cal.medianMs,
        speedupVsCpu: null,
      });
    }
    backend.dispose?.();
  }
  // cpu-workers: the batch-parallel cpu kernels on one worker thread per core (measured: does it help?)
  if (wanted.includes('cpu-workers')) {
    const pool = new CpuWorkerPool();
    for (const c of cases) {
      if (c.kernel !== 'gradNorms' && c.kernel !== 'pairwiseSecant') continue;
      options.onProgress?.(`${c.id} on cpu-workers`);
      const run = c.prepare({
        ...(await createBackend('cpu')),
        name: 'cpu-workers',
        // the pool is async: the case's synchronous call returns the promise, which tinybench awaits
        gradNorms: ((...args: Parameters<CpuWorkerPool['gradNorms']>) => pool.gradNorms(...args)) as never,
        pairwiseSecant: ((...args: Parameters<CpuWorkerPool['pairwiseSecant']>) => pool.pairwiseSecant(...args)) as never,
      });
      const fn = slowKernel !== null && c.kernel === slowKernel ? async () => { for (let t = 0; t < slowTimes; t++) await run(); } : async () => { await run(); };
      const m = await measure(fn, iterations);
      rows.push({ key: `${c.id}@cpu-workers`, caseId: c.id, backend: 'cpu-workers', mode: `${pool.size} worker threads`, kernel: c.kernel, size: c.size, flops: c.flops, gflops: c.flops / (m.medianMs * 1e6), medianMs: m.medianMs, rme: m.rme, samples: m.samples, normalized: m.medianMs / cal.medianMs, speedupVsCpu: null });
    }
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
  return { format: 'robustlaw-bench/1', environment: benchEnvironment(), calibration: { medianMs: cal.medianMs, rme: cal.rme }, rows: withSpeedup, skipped, slowed: options.slow ?? null };
}

export type { BenchCase };
