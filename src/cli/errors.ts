/**
 * The CLI's side of errors: the one place that knows which flag carries which library input, how a bad
 * input is printed (one line, exit 2) and how anything else is printed (a bug: one line, exit 70, the
 * stack only with --debug).
 * @module
 */
import { CommanderError } from 'commander';
import { InputError, truncate } from '../core/input-error.js';
import { UsageError } from './parse.js';

/** Exit code of bad input: a library {@link InputError}, a {@link UsageError}, a commander parse error. */
export const EXIT_USAGE = 2;
/** Exit code of any other exception: a bug (EX_SOFTWARE of sysexits.h). */
export const EXIT_INTERNAL = 70;
/** The longest error line printed (characters, without the `robustlaw: ` prefix). */
export const MAX_LINE = 500;

/** Library parameter names (as in {@link InputError.parameter}) and the flags that carry them. */
const FLAGS: Readonly<Record<string, string>> = {
  // the instance: data law, labels, class, sizes, seed
  n: '--n',
  d: '--d',
  p: '--p',
  seed: '--seed',
  dist: '--dist',
  labels: '--labels',
  class: '--class',
  className: '--class',
  'distOptions.k': '--components',
  'distOptions.components': '--components',
  'distOptions.m': '--m',
  'distOptions.scale': '--scale',
  'labelOptions.eta': '--eta',
  'labelOptions.noise': '--noise',
  'modelOptions.k': '--k',
  'modelOptions.activation': '--activation',
  'modelOptions.degree': '--degree',
  'modelOptions.bandwidth': '--bandwidth',
  'modelOptions.profile': '--profile',
  'modelOptions.penalty': '--penalty',
  'modelOptions.ridge': '--ridge',
  'modelOptions.maxIter': '--max-iter',
  'modelOptions.targetMse': '--target-mse',
  'modelOptions.lr': '--lr',
  'modelOptions.radiusFactor': '--radius-factor',
  // Theorem 3 and the law (bound, predict)
  eps: '--eps',
  delta: '--delta',
  c: '--c',
  W: '--W',
  J: '--J',
  k: '--k',
  lip: '--lip',
  sigma2: '--sigma2',
  // a model checked by check-model (its outputs, constants and bounds)
  model: '--model',
  // the estimator (lip, check-model, sweep)
  starts: '--starts',
  steps: '--steps',
  rounds: '--rounds',
  targetRatio: '--target-ratio',
  timeLimit: '--time-limit',
  radius: '--radius',
  domain: '--domain',
  // search, verify
  regime: '--regime',
  budget: '--budget',
  factor: '--factor',
  count: '--count',
  replayPath: '--path',
  profile: '--profile',
  // runs, reports, benchmarks
  outDir: '--out',
  shard: '--shard',
  dir: '<dir>',
  dirs: '<dirs...>',
  'options.bench': '--bench',
  backend: '--backend',
  kernel: '--kernel',
  threshold: '--threshold',
  iterations: '--iterations',
};

/** Library inputs that no one flag carries, and how the CLI names them. */
const DESCRIBED: Readonly<Record<string, string>> = {
  // the points a class is fitted to (fitClass): drawn by the instance's flags
  'fitData.X': 'the data drawn by --dist, --n, --d and their options',
};

/** Prefixes of structured inputs (files and specs) and how the CLI names a key inside them. */
const FILES: readonly (readonly [string, string])[] = [
  ['spec', '--spec'],
  ['data', '--data'],
  ['mlp', '--model'],
  ['tfjs', '--model'],
  ['onnx', '--model'],
];

/**
 * The flag (or argument) that carries a library input, or undefined when the input has no flag of its
 * own (then the library's message is printed as is). A parameter that already is a flag is kept.
 */
export function flagFor(parameter: string, context?: string): string | undefined {
  if (parameter.startsWith('-') || parameter.startsWith('<')) return parameter;
  const base = parameter.replace(/(\[\d+\])+$/, '');
  const index = parameter.slice(base.length);
  const flag = FLAGS[base];
  if (flag !== undefined) return index ? `${flag}${describeIndex(index)}` : flag;
  for (const [prefix, fileFlag] of FILES) {
    const file = context === undefined ? fileFlag : `${fileFlag} ${context}`;
    if (parameter === prefix) return file;
    if (parameter.startsWith(`${prefix}.`)) return `${file} (key ${parameter.slice(prefix.length + 1)})`;
  }
  return undefined;
}

/** `[1]` -> ` (item 2)`: list flags count from 1. */
function describeIndex(index: string): string {
  const first = /^\[(\d+)\]/.exec(index);
  return first ? ` (item ${Number(first[1]) + 1})` : '';
}

/** An input error named by its flag: a library error about `spec.n[1]` becomes one about `--n (item 2)` when
 * the spec was built from flags (`flag` maps the library's parameter to the flag, or undefined to keep it). */
export function renamed(err: InputError, flag: (parameter: string) => string | undefined): InputError {
  const name = flag(err.parameter);
  return name === undefined ? err : new InputError(name, err.rule, err.value, { context: err.context, shown: err.shown });
}

/**
 * Runs `run` (sync or async) naming the inputs in `names` (a table or a function) by the given flags: for library calls whose
 * parameter means a different flag in this command (`dir` is `--out` for `sweep`).
 */
export function naming<T>(names: Readonly<Record<string, string>> | ((parameter: string) => string | undefined), run: () => T): T {
  const flag = typeof names === 'function' ? names : (p: string) => (Object.hasOwn(names, p) ? names[p] : undefined);
  const rename = (e: unknown): never => {
    throw e instanceof InputError ? renamed(e, flag) : e;
  };
  try {
    const r = run();
    return (r instanceof Promise ? r.catch(rename) : r) as T;
  } catch (e) {
    return rename(e);
  }
}

/** The one line printed for bad input, without the `robustlaw: ` prefix; null when `err` is not bad input. */
export function usageLine(err: unknown): string | null {
  if (err instanceof InputError) {
    const flag = flagFor(err.parameter, err.context);
    // the data a class is fitted to has no flag of its own: name the flags that drew it
    const described = Object.hasOwn(DESCRIBED, err.parameter) ? DESCRIBED[err.parameter] : undefined;
    if (described !== undefined) return `${described}: ${err.describe(err.parameter.slice(err.parameter.lastIndexOf('.') + 1))}`;
    return flag === undefined ? err.message : err.describe(flag);
  }
  if (err instanceof UsageError) return err.message;
  if (err instanceof CommanderError) return err.message.replace(/^error: /, '');
  return null;
}

/** Prints an error thrown by a command and returns the exit code: 2 for bad input, 70 for a bug. */
export function reportError(err: unknown, debug: boolean, write: (line: string) => void): number {
  const usage = usageLine(err);
  if (usage !== null) {
    // one line, never longer than MAX_LINE characters (a value quoted in full by commander is cut short)
    write(`robustlaw: ${truncate(firstLine(usage), MAX_LINE)}\n`);
    return EXIT_USAGE;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (debug) {
    write(`robustlaw: internal error: ${firstLine(message)}\n`);
    write(`${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
  } else {
    write(`robustlaw: internal error: ${firstLine(message)} (run with --debug for the stack)\n`);
  }
  return EXIT_INTERNAL;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}
