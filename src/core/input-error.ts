/**
 * The library's one error for bad input: which input (by the library's own name for it), the rule it
 * breaks and the value given. Anything else the library throws is a bug or an environment failure, not
 * the caller's input. Front ends (the CLI) map {@link InputError.parameter} to their own names (flags).
 * @module
 */

/** The longest value an error message quotes (characters); a longer one is cut with an ellipsis. */
export const MAX_SHOWN = 80;

/** `s` cut to {@link MAX_SHOWN} characters, ending in an ellipsis when cut. */
export function truncate(s: string, max = MAX_SHOWN): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Formats a value for an error message: keeps -0, NaN and Infinity visible; a string is quoted and cut to
 * {@link MAX_SHOWN} characters (a huge input never fills the one line). */
export function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return truncate(JSON.stringify(value.length > 4 * MAX_SHOWN ? value.slice(0, 4 * MAX_SHOWN) : value));
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? `array(${value.length})` : 'object';
  if (typeof value === 'boolean' || typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  return typeof value;
}

/** Optional parts of an {@link InputError}. */
export interface InputErrorOptions {
  /** Where the input was checked (a function, a file path): the message's prefix, `context: ...`. */
  readonly context?: string;
  /** The value as the message shows it, when {@link show} of the value says too little
   * (e.g. `unknown key "width"`, `3 columns`). */
  readonly shown?: string;
}

/**
 * Bad input: `parameter` (the library's name: `n`, `k`, `modelOptions.activation`, `outDir`,
 * `spec.seeds`, ...) must be `rule` (`an integer >= 1`, `one of relu, tanh`) but was `value`.
 * The message reads `[context: ]<parameter> must be <rule> (got <value>)`.
 */
export class InputError extends Error {
  override name = 'InputError';
  /** The library's name of the input. */
  readonly parameter: string;
  /** What the input must be, completing "must be ...". */
  readonly rule: string;
  /** The offending value. */
  readonly value: unknown;
  /** Where it was checked (function name or file), if known. */
  readonly context: string | undefined;
  /** The value as shown in the message. */
  readonly shown: string;

  constructor(parameter: string, rule: string, value: unknown, options: InputErrorOptions = {}) {
    const shown = truncate(options.shown ?? show(value), 4 * MAX_SHOWN);
    super(`${options.context ? `${options.context}: ` : ''}${parameter} must be ${rule} (got ${shown})`);
    this.parameter = parameter;
    this.rule = rule;
    this.value = value;
    this.context = options.context;
    this.shown = shown;
  }

  /** The message with the input named `name` and no context: how a front end words it in its own terms. */
  describe(name: string = this.parameter): string {
    return `${name} must be ${this.rule} (got ${this.shown})`;
  }
}

/**
 * Runs `run` and names every {@link InputError} it throws about a key of `options` (one the caller set,
 * `options[key] !== undefined`) by its path in the caller's object: `k` checked while building a mixture
 * from `distOptions` becomes `distOptions.k`, so a front end maps it to its own name (`--components`) without
 * knowing which function checked it. Errors about other inputs (`d`, the data) pass unchanged.
 */
export function inOptionGroup<T>(group: string, options: object, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const base = /^[A-Za-z_$][\w$]*/.exec(e.parameter)?.[0];
    const set = base !== undefined && Object.hasOwn(options, base) && (options as Record<string, unknown>)[base] !== undefined;
    throw set ? new InputError(`${group}.${e.parameter}`, e.rule, e.value, { context: e.context, shown: e.shown }) : e;
  }
}
