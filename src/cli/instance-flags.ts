import type { Command } from 'commander';
import { InputError } from '../core/input-error.js';
import { requireClosed, requireInt, requireOneOf } from '../core/validate.js';
import { MAX_DATA_MAGNITUDE } from '../data/data-file.js';
import { DISTRIBUTION_NAMES, type DistributionName } from '../data/distribution.js';
import { LABEL_NAMES, type LabelName } from '../labels/label-model.js';
import { ACTIVATIONS, type ActivationName } from '../activations/activation.js';
import { BUMP_PROFILES, type BumpProfile } from '../models/bump-profile.js';
import { FITTED_CLASSES } from '../models/registry.js';
import type { InstanceSpec } from '../law/instance.js';
import { requireClassReads, requireDataReads } from './applicable.js';
import { parseNumber } from './parse.js';
import { TWO_LAYER_MAX_ITER } from '../models/two-layer.js';

/** Raw flags shared by `fit`, `lip` and `check-model`. */
export interface InstanceFlags {
  class: string;
  dist: string;
  labels: string;
  n: number;
  d: number;
  seed: number;
  k?: number;
  activation?: string;
  degree?: number;
  bandwidth?: number;
  profile?: string;
  penalty?: number;
  ridge?: number;
  maxIter?: number;
  targetMse?: number;
  lr?: number;
  radiusFactor?: number;
  components?: number;
  m?: number;
  scale?: number;
  eta?: number;
  noise?: number;
}

/** Adds the instance flags (data, labels, class and its options) to a command. */
export function addInstanceOptions(cmd: Command, defaults: { class?: string } = {}): Command {
  cmd
    .option('--class <name>', `function class: ${FITTED_CLASSES.join(', ')}`, defaults.class ?? 'random-features')
    .option('--dist <name>', `covariates: ${DISTRIBUTION_NAMES.join(', ')}`, 'sphere')
    .option('--labels <name>', `labels: ${LABEL_NAMES.join(', ')}`, 'signs')
    .option('--n <int>', 'number of training points, an integer >= 1', parseNumber, 200)
    .option('--d <int>', 'dimension, an integer >= 1 (>= 2 for sphere and subspace)', parseNumber, 50)
    .option('--seed <int>', 'master seed, an integer in [0, 4294967295]', parseNumber, 1)
    .option('--k <int>', 'features (random-features), units (ntk-features, two-layer), an integer >= 1', parseNumber)
    .option('--activation <name>', `activation: ${ACTIVATIONS.join(', ')}`)
    .option('--degree <int>', 'polynomial degree, an integer >= 1', parseNumber)
    .option('--bandwidth <x>', 'gaussian-kernel bandwidth, in [1e-100, 1e100]', parseNumber)
    .option('--profile <name>', `bump profile: ${BUMP_PROFILES.join(', ')}`)
    .option('--penalty <x>', 'two-layer input-gradient penalty', parseNumber)
    .option('--ridge <x>', 'ridge lambda (linear-in-parameter classes)', parseNumber)
    .option('--max-iter <int>', 'two-layer Adam iteration budget, an integer in [1, 1000000]', parseNumber)
    .option('--target-mse <x>', 'two-layer stopping train MSE', parseNumber)
    .option('--lr <x>', 'two-layer Adam learning rate, > 0 (default 0.01)', parseNumber)
    .option('--radius-factor <x>', 'bumps: radius as a fraction of the largest certainly disjoint radius, > 0 (default 1)', parseNumber);
  return addDataOptions(cmd);
}

/** Adds the options of the data law and the labels (--components, --m, --scale, --eta, --noise): shared by
 * the instance commands, `sweep` and `check-model`. */
export function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--components <int>', 'mixture / clusters: number of components, an integer >= 1', parseNumber)
    .option('--m <int>', 'subspace: intrinsic dimension, an integer >= 1', parseNumber)
    .option('--scale <x>', 'mixture / clusters: within-cluster scale, in (0, 1e100]', parseNumber)
    .option('--eta <x>', 'flips: flip rate, in [0, 1]', parseNumber)
    .option('--noise <x>', 'additive: noise amplitude, in (0, 1)', parseNumber);
}

/**
 * Builds the instance spec from the flags. Only the class is checked here (the instance commands fit a
 * class; `mlp` is loaded with --model); every other value is validated once, by the library where it
 * enters (buildInstance, the distribution, the labels, the class's fit), and its InputError names the
 * library's parameter, which the CLI maps back to the flag.
 */
export function specFromFlags(f: InstanceFlags, fn: string): InstanceSpec {
  const className = requireOneOf(fn, '--class', f.class, FITTED_CLASSES);
  return {
    dist: f.dist as DistributionName,
    labels: f.labels as LabelName,
    className,
    n: f.n,
    d: f.d,
    seed: f.seed,
    distOptions: { k: f.components, m: f.m, scale: f.scale },
    labelOptions: { eta: f.eta, noise: f.noise },
    modelOptions: { k: f.k, activation: f.activation as ActivationName | undefined, degree: f.degree, bandwidth: f.bandwidth, profile: f.profile as BumpProfile | undefined, penalty: f.penalty, ridge: f.ridge, maxIter: f.maxIter, targetMse: f.targetMse, lr: f.lr, radiusFactor: f.radiusFactor },
  };
}

/**
 * Refuses the instance flags the user gave that this instance does not read: a class option its class does
 * not read (the registry's `reads`), a data-law or label option of another data law or label model.
 */
export function requireInstanceFlagsApply(cmd: Command, spec: InstanceSpec, fn: string): void {
  requireOneOf(fn, '--dist', spec.dist, DISTRIBUTION_NAMES);
  requireOneOf(fn, '--labels', spec.labels, LABEL_NAMES);
  requireScaleRange(fn, spec.distOptions?.scale);
  if (spec.modelOptions?.bandwidth !== undefined) requireClosed(fn, '--bandwidth', spec.modelOptions.bandwidth, MIN_BANDWIDTH, MAX_DATA_MAGNITUDE);
  requireClassReads(cmd, spec.className);
  if (spec.modelOptions?.maxIter !== undefined) requireInt(fn, '--max-iter', spec.modelOptions.maxIter, 1, TWO_LAYER_MAX_ITER);
  requireDataReads(cmd, [spec.dist], [spec.labels]);
}

/** The smallest --bandwidth: its square stays a normal number (a subnormal one made the kernel's diagonal 0/0). */
export const MIN_BANDWIDTH = 1e-100;

/** --scale at most {@link MAX_DATA_MAGNITUDE} like any data value (1e300 overflowed the fit's Gram matrix). */
export function requireScaleRange(fn: string, scale: number | undefined): void {
  if (scale !== undefined && !(scale > 0 && scale <= MAX_DATA_MAGNITUDE)) throw new InputError('--scale', `in (0, ${MAX_DATA_MAGNITUDE}]`, scale, { context: fn });
}
