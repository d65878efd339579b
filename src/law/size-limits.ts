/**
 * Size limits checked before any work (docs/cli.md, "Limits"): an estimate of the memory one instance
 * needs (its arrays, in 8-byte floats) against the machine's free memory and a documented cap, and the
 * caps on a run's size. A refusal is one {@link InputError} naming the input that makes the instance too
 * large (`n`, `d`, `modelOptions.k`) and the estimate in bytes.
 * @module
 */
import { freemem } from 'node:os';
import { InputError } from '../core/input-error.js';
import type { ModelClass } from '../models/model.js';
import type { ModelOptions } from '../models/model-options.js';
import { functionClass } from '../models/registry.js';

/** The documented cap on one instance's estimated memory: 8 GiB, whatever the machine has free. */
export const MEMORY_CAP_BYTES = 8 * 2 ** 30;
/** The share of the machine's free memory (os.freemem) one instance may take. */
export const FREE_MEMORY_SHARE = 0.8;
/** The most instances one `verify` run draws (`count`). */
export const MAX_VERIFY_COUNT = 10_000;

/** The memory limit of one instance: the smaller of {@link MEMORY_CAP_BYTES} and 80% of the free memory. */
export interface MemoryLimit {
  readonly bytes: number;
  /** How the limit was set, for messages: `the 8 GiB cap` or `80% of the free memory`. */
  readonly why: string;
}

/** The limit on this machine now (os.freemem() read at each call). */
export function memoryLimit(free: number = freemem()): MemoryLimit {
  const share = Math.floor(FREE_MEMORY_SHARE * free);
  return share < MEMORY_CAP_BYTES ? { bytes: share, why: `${FREE_MEMORY_SHARE * 100}% of the free memory` } : { bytes: MEMORY_CAP_BYTES, why: 'the 8 GiB cap' };
}

/** `3.2e+11 bytes (320 GB)`: an estimate as the messages print it. */
export function formatBytes(bytes: number): string {
  const b = bytes >= 1e6 ? bytes.toExponential(2) : String(Math.round(bytes));
  const gb = bytes / 1e9;
  return `${b} bytes (${gb >= 100 ? gb.toExponential(2) : Number(gb.toPrecision(3))} GB)`;
}

/** What the estimate of an instance needs: the class, the sizes and its model options. */
export interface SizeInput {
  readonly className: ModelClass;
  readonly n: number;
  readonly d: number;
  readonly modelOptions?: ModelOptions;
}

/** The estimated memory of one instance, in bytes, by part. */
export interface MemoryEstimate {
  /** The total in bytes. */
  readonly bytes: number;
  /** The parameter count used (the registry's, or n (d + 1) when it needs the data law). */
  readonly p: number;
  /** The width used (k given, or the class's default), when the class has one. */
  readonly k: number | null;
  /** Covariates, labels and their working copies: 8 (2 n d + 4 n). */
  readonly data: number;
  /** The feature map or kernel matrix and its Gram/solve matrix. */
  readonly features: number;
  /** Parameters, gradients and optimiser moments: 8 * 4 p. */
  readonly parameters: number;
}

const F64 = 8;

/**
 * An upper estimate of the memory one instance needs, from the class registry (its parameter count and
 * width rule): 8 bytes for each of
 * - 2 n d + 4 n (the covariates, the labels, working copies);
 * - what the class declares it allocates (FunctionClass.workingFloats: n x n matrices for the Gaussian
 *   kernel, the centres for bumps), else a feature map and its Gram matrix, n p + min(n, p)^2 (an n x p
 *   design or feature matrix: linear, polynomial, random and NTK features, a two-layer net's activations);
 * - 4 p (parameters, gradients, two optimiser moments).
 * Bad sizes or options are left to the fit's own checks (the estimate then uses p = n (d + 1)).
 */
export function estimateInstanceMemory(input: SizeInput): MemoryEstimate {
  const { n, d } = input;
  const options = input.modelOptions ?? {};
  const cls = functionClass(input.className);
  const k = cls.width === undefined ? null : (options.k ?? cls.width.defaultWidth(n, d));
  const count = (m: number): number | null => {
    try {
      const v = cls.parameterCount({ n: m, d, options });
      return typeof v === 'number' && v > 0 ? v : null;
    } catch {
      return null; // needs the data law, or options the fit will refuse
    }
  };
  const p = count(n) ?? n * (d + 1);
  const data = F64 * (2 * n * d + 4 * n);
  // the class's own account of its working set where it has one (kernels: n x n matrices; bumps: centres
  // only), else a feature map and its Gram matrix
  const features = F64 * (cls.workingFloats?.({ n, d, options }) ?? n * p + Math.min(n, p) ** 2);
  const parameters = F64 * 4 * p;
  return { bytes: data + features + parameters, p, k, data, features, parameters };
}

/**
 * Refuses an instance whose estimated memory ({@link estimateInstanceMemory}) exceeds the limit
 * ({@link memoryLimit}) before any array is allocated: an {@link InputError} naming the input that makes it
 * large (`modelOptions.k` when a width was given and the features dominate, `d` when the covariates dominate
 * and d > n, else `n`), with the sizes and the estimate.
 */
export function requireInstanceFits(fn: string, input: SizeInput, limit: MemoryLimit = memoryLimit()): MemoryEstimate {
  const e = estimateInstanceMemory(input);
  if (e.bytes <= limit.bytes) return e;
  const kGiven = input.modelOptions?.k !== undefined;
  const parameter = kGiven && e.features + e.parameters >= e.data ? 'modelOptions.k' : input.d > input.n && e.data >= e.features ? 'd' : 'n';
  const value = parameter === 'modelOptions.k' ? input.modelOptions?.k : parameter === 'd' ? input.d : input.n;
  const sizes = `n = ${input.n}, d = ${input.d}${e.k === null ? '' : `, k = ${e.k}`}, p = ${e.p}`;
  throw new InputError(parameter, `small enough for the instance to fit in memory (${input.className} with ${sizes} needs about ${formatBytes(e.bytes)}, over the limit ${formatBytes(limit.bytes)}, ${limit.why})`, value, { context: fn });
}

/**
 * Refuses data of n points in dimension d (and a model of p parameters) whose arrays, 8 (2 n d + 4 n + 4 p)
 * bytes, exceed the limit: an {@link InputError} naming `n` (or `d` when d > n).
 */
export function requireDataFits(fn: string, n: number, d: number, p = 0, limit: MemoryLimit = memoryLimit()): number {
  const bytes = F64 * (2 * n * d + 4 * n + 4 * p);
  if (bytes <= limit.bytes) return bytes;
  const parameter = d > n ? 'd' : 'n';
  throw new InputError(parameter, `small enough for the data to fit in memory (n = ${n}, d = ${d} need about ${formatBytes(bytes)}, over the limit ${formatBytes(limit.bytes)}, ${limit.why})`, parameter === 'd' ? d : n, { context: fn });
}
