import { requireOneOf } from '../core/validate.js';
import { InputError, inOptionGroup } from '../core/input-error.js';
import { ATOM_BUMPS } from './atom-bumps.js';
import { BUMPS } from './bumps.js';
import type { FitContext } from './fit-context.js';
import type { ClassSize, FitData, FunctionClass } from './function-class.js';
import { GAUSSIAN_KERNEL } from './gaussian-kernel.js';
import { INTRINSIC_BUMPS } from './intrinsic-bumps.js';
import { LINEAR } from './linear.js';
import { MLP } from './formats/robustlaw-mlp.js';
import { MODEL_CLASSES, type FitResult, type ModelClass } from './model.js';
import type { ModelOptions } from './model-options.js';
import { NTK_FEATURES } from './ntk-features.js';
import { POLYNOMIAL } from './polynomial.js';
import { RANDOM_FEATURES } from './random-features.js';
import { TWO_LAYER } from './two-layer.js';

/**
 * The function classes by name, one entry per class module (the way a kernel registry maps a name to its
 * implementation). Adding a class: one module exporting its {@link FunctionClass} and one line here
 * (docs/adding-a-class.md). The `satisfies` clause makes the compiler refuse a name without an entry.
 */
export const CLASSES = {
  linear: LINEAR,
  'random-features': RANDOM_FEATURES,
  'ntk-features': NTK_FEATURES,
  'two-layer': TWO_LAYER,
  bumps: BUMPS,
  'gaussian-kernel': GAUSSIAN_KERNEL,
  polynomial: POLYNOMIAL,
  mlp: MLP,
  'intrinsic-bumps': INTRINSIC_BUMPS,
  'atom-bumps': ATOM_BUMPS,
} as const satisfies Readonly<Record<ModelClass, FunctionClass>>;

/** The classes that are fitted to data (all but the loaded `mlp`), in registry order. */
export const FITTED_CLASSES = MODEL_CLASSES.filter((c) => CLASSES[c].fit !== undefined);
/** The classes built from the data law's structure (docs/science.md section 5): they name the laws they need. */
export const REGIME_CLASSES = MODEL_CLASSES.filter((c) => (CLASSES[c]).dists !== undefined);
/** The classes sized by a width k. */
export const WIDTH_CLASSES = MODEL_CLASSES.filter((c) => (CLASSES[c]).width !== undefined);

/** The class registered under `name` (an input error naming `className` when there is none). */
export function functionClass(name: string): FunctionClass {
  return CLASSES[requireOneOf('functionClass', 'className', name, MODEL_CLASSES)];
}

/** The parameter count p of a class at the given sizes and options, before fitting. */
export function parameterCount(name: ModelClass, size: ClassSize): number {
  return functionClass(name).parameterCount(size);
}

/** The model options that `name` reads, taken from a set of options meant for several classes. */
export function optionsFor(name: ModelClass, options: Readonly<Record<string, unknown>>): ModelOptions {
  const reads: readonly string[] = functionClass(name).reads;
  return Object.fromEntries(Object.entries(options).filter(([key, v]) => v !== undefined && reads.includes(key)));
}

/**
 * Fits class `name` to the data. Checks what the class declares about its inputs (the data law it needs,
 * the activations it accepts) before any work; the class's fit checks its own options.
 */
export function fitClass(name: ModelClass, data: FitData, options: ModelOptions, ctx: FitContext): FitResult {
  const cls = CLASSES[requireOneOf('fitClass', 'className', name, FITTED_CLASSES)];
  if (cls.fit === undefined) throw new Error(`fitClass: class ${name} has no fit`);
  if (cls.dists !== undefined) requireOneOf(`class ${name}`, 'dist', data.dist.name, cls.dists);
  if (cls.activations !== undefined && options.activation !== undefined) requireOneOf(`class ${name}`, 'modelOptions.activation', options.activation, cls.activations);
  // an error about a key of `options` names it as modelOptions.<key> (the CLI's --k, --max-iter, ...), one
  // about the points themselves (duplicates, too close for bumps) as fitData.X
  try {
    return inOptionGroup('modelOptions', options, () => cls.fit!(data, options, ctx));
  } catch (e) {
    throw e instanceof InputError && e.parameter === 'X' ? new InputError('fitData.X', e.rule, e.value, { context: e.context, shown: e.shown }) : e;
  }
}
