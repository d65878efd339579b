import type { Streams } from '../core/streams.js';
import type { Rng } from '../core/rng.js';
import { inOptionGroup } from '../core/input-error.js';
import { requireOneOf, requireOpen } from '../core/validate.js';
import { ADDITIVE_NOISES, additive } from './additive.js';
import { flips } from './flips.js';
import { LABEL_NAMES, type LabelModel, type LabelName } from './label-model.js';
import { noiseless } from './noiseless.js';
import { signs } from './signs.js';
import { clippedLinearTeacher } from './teacher.js';

/** Options for {@link makeLabels}. */
export interface LabelOptions {
  /** Flip rate for `flips` (default 0.25). */
  readonly eta?: number;
  /** Noise amplitude a for `additive` (default 0.5). */
  readonly noise?: number;
  /** Noise law for `additive` (default uniform). */
  readonly noiseLaw?: (typeof ADDITIVE_NOISES)[number];
  /** Teacher amplitude A (default 1 for noiseless, 1 - noise for additive). */
  readonly amplitude?: number;
  /** Teacher slope (default sqrt(d)). */
  readonly slope?: number;
}

/** Builds a label model by name; the teacher direction comes from the `structure/teacher` stream. */
export function makeLabels(name: LabelName, d: number, options: LabelOptions, streams: Streams): LabelModel {
  requireOneOf('makeLabels', 'labels', name, LABEL_NAMES);
  const structure = streams.stream('structure/teacher');
  // an error about a key of `options` names it as labelOptions.<key> (the CLI's --eta, --noise)
  return inOptionGroup('labelOptions', options, () => build(name, d, options, structure));
}

function build(name: LabelName, d: number, options: LabelOptions, structure: Rng): LabelModel {
  switch (name) {
    case 'signs':
      return signs();
    case 'flips':
      return flips(options.eta ?? 0.25, clippedLinearTeacher(d, { slope: options.slope }, structure));
    case 'additive': {
      const a = options.noise ?? 0.5;
      // the noise's own range first: the teacher's amplitude 1 - a would otherwise be refused in its place
      if (options.amplitude === undefined) requireOpen('additive', 'noise', a, 0, 1);
      return additive(a, options.noiseLaw ?? 'uniform', clippedLinearTeacher(d, { slope: options.slope, amplitude: options.amplitude ?? Math.max(1e-9, 1 - a) }, structure));
    }
    case 'noiseless':
      return noiseless(clippedLinearTeacher(d, { slope: options.slope, amplitude: options.amplitude }, structure));
  }
}
