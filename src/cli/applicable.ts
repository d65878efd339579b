/**
 * Flags that do not apply are refused, naming the flag and why (issue 13, section 6): commander tells which
 * options the user actually gave (`getOptionValueSource(name) === 'cli'`; a default never counts), and
 * the class registry says which model options a class reads.
 * @module
 */
import type { Command } from 'commander';
import { functionClass } from '../models/registry.js';
import { UsageError } from './parse.js';

/** True when the user gave the option whose attribute is `name` (`maxIter` for --max-iter) on the command line. */
export function given(cmd: Command, name: string): boolean {
  return cmd.getOptionValueSource(name) === 'cli';
}

/** The long flag of the option whose attribute is `name` (`maxIter` -> `--max-iter`). */
export function flagOf(cmd: Command, name: string): string {
  const opt = cmd.options.find((o) => o.attributeName() === name);
  return opt?.long ?? `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Refuses the first of `names` the user gave: `--n does not apply with --model (why)`. */
export function refuseGiven(cmd: Command, names: readonly string[], why: string): void {
  const first = names.find((name) => given(cmd, name));
  if (first !== undefined) throw new UsageError(`${flagOf(cmd, first)} does not apply ${why}`);
}

/** The model options of the instance flags (attribute names, which are also the ModelOptions keys). */
export const MODEL_OPTION_FLAGS = ['k', 'activation', 'degree', 'bandwidth', 'profile', 'penalty', 'ridge', 'maxIter', 'targetMse', 'lr', 'radiusFactor'] as const;

/** The data-law and label options and the data laws / label models that read them. */
export const DIST_OPTION_USERS: Readonly<Record<string, readonly string[]>> = { components: ['mixture', 'clusters'], scale: ['mixture', 'clusters'], m: ['subspace'] };
export const LABEL_OPTION_USERS: Readonly<Record<string, readonly string[]>> = { eta: ['flips'], noise: ['additive'] };

/** `--activation does not apply to --class bumps (it reads --profile)`: the class options the class does not read. */
export function requireClassReads(cmd: Command, className: string): void {
  const reads: readonly string[] = functionClass(className).reads;
  const list = MODEL_OPTION_FLAGS.filter((k) => reads.includes(k)).map((k) => flagOf(cmd, k));
  const why = list.length === 0 ? 'no class option' : list.join(', ');
  refuseGiven(cmd, MODEL_OPTION_FLAGS.filter((k) => !reads.includes(k)), `to --class ${className} (it reads ${why})`);
}

/** `--eta does not apply to --labels signs (only --labels flips reads it)`: the data and label options that
 * none of the given data laws (`dists`) or label models (`labels`) reads. */
export function requireDataReads(cmd: Command, dists: readonly string[], labels: readonly string[]): void {
  for (const [users, chosen, flag] of [[DIST_OPTION_USERS, dists, '--dist'], [LABEL_OPTION_USERS, labels, '--labels']] as const) {
    for (const [name, readers] of Object.entries(users)) {
      if (!chosen.some((c) => readers.includes(c))) refuseGiven(cmd, [name], `to ${flag} ${chosen.join(',')} (only ${readers.map((r) => `${flag} ${r}`).join(' or ')} reads it)`);
    }
  }
}
