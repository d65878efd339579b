/**
 * A class's options are read in several places: the sweep spec's schema, the instance flags, the flag that
 * names a library error's key, and the list `check` uses to refuse options a class does not read. Until they
 * are derived from one declaration, this test checks every option any fitted class reads (its `reads`, the
 * registry) against each of them, so a class with a new option cannot be half wired.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { MODEL_OPTION_FLAGS } from '../../src/cli/applicable.js';
import { flagFor } from '../../src/cli/errors.js';
import { addInstanceOptions } from '../../src/cli/instance-flags.js';
import { FITTED_CLASSES, functionClass } from '../../src/models/registry.js';
import { sweepSpecSchema } from '../../src/sweep/spec.js';

const kebab = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The places an option must be wired, and which of `keys` each lacks. */
function unwired(keys: readonly string[]): Record<string, string[]> {
  const cmd = addInstanceOptions(new Command('fit'));
  const flags = new Set(cmd.options.map((o) => o.long));
  const schema = Object.keys(sweepSpecSchema.shape.model.unwrap().shape);
  return {
    'sweep spec model keys': keys.filter((k) => k !== 'k' && !schema.includes(k)),
    'instance flags': keys.filter((k) => !flags.has(kebab(k))),
    'error flag names': keys.filter((k) => flagFor(`modelOptions.${k}`) !== kebab(k)),
    'options refused when not read': keys.filter((k) => !(MODEL_OPTION_FLAGS as readonly string[]).includes(k)),
  };
}

describe("every option a class reads is wired everywhere it is read", () => {
  const read = [...new Set(FITTED_CLASSES.flatMap((c) => functionClass(c).reads as readonly string[]))].sort();

  it('the classes read options (the registry is read)', () => {
    expect(read).toEqual(expect.arrayContaining(['activation', 'k', 'profile', 'maxIter', 'lr', 'radiusFactor']));
  });

  it('in the sweep schema, the flags, the error names and the not-read refusal', () => {
    expect(unwired(read)).toEqual({ 'sweep spec model keys': [], 'instance flags': [], 'error flag names': [], 'options refused when not read': [] });
  });

  it('an option wired nowhere is reported in each place (so the check can fail)', () => {
    expect(unwired(['momentum'])).toEqual({ 'sweep spec model keys': ['momentum'], 'instance flags': ['momentum'], 'error flag names': ['momentum'], 'options refused when not read': ['momentum'] });
  });
});
