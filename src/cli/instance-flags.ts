import type { Command } from 'commander';
import { MAX_SEED } from '../core/rng.js';
import { requireInt, requireOneOf } from '../core/validate.js';
import { DISTRIBUTION_NAMES } from '../data/distribution.js';
import { LABEL_NAMES } from '../labels/label-model.js';
import { ACTIVATIONS } from '../models/activation.js';
import { BUMP_PROFILES } from '../models/bumps.js';
import { MODEL_CLASSES } from '../models/model.js';
import type { InstanceSpec } from '../law/instance.js';
import { parseNumber } from './parse.js';

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
  components?: number;
  m?: number;
  scale?: number;
  eta?: number;
  noise?: number;
}

/** Adds the instance flags (data, labels, class and its options) to a command. */
export function addInstanceOptions(cmd: Command, defaults: { class?: string } = {}): Command {
  cmd
    .option('--class <name>', `function class: ${MODEL_CLASSES.filter((c) => c !== 'mlp').join(', ')}`, defaults.class ?? 'random-features')
    .option('--dist <name>', `covariates: ${DISTRIBUTION_NAMES.join(', ')}`, 'sphere')
    .option('--labels <name>', `labels: ${LABEL_NAMES.join(', ')}`, 'signs')
    .option('--n <int>', 'number of training points', parseNumber, 200)
    .option('--d <int>', 'dimension', parseNumber, 50)
    .option('--seed <int>', 'master seed in [0, 4294967295]', parseNumber, 1)
    .option('--k <int>', 'features (random-features), units (ntk-features, two-layer)', parseNumber)
    .option('--activation <name>', `activation: ${ACTIVATIONS.join(', ')}`)
    .option('--degree <int>', 'polynomial degree', parseNumber)
    .option('--bandwidth <x>', 'gaussian-kernel bandwidth', parseNumber)
    .option('--profile <name>', `bump profile: ${BUMP_PROFILES.join(', ')}`)
    .option('--penalty <x>', 'two-layer input-gradient penalty', parseNumber)
    .option('--ridge <x>', 'ridge lambda (linear-in-parameter classes)', parseNumber)
    .option('--max-iter <int>', 'two-layer Adam iteration budget', parseNumber)
    .option('--target-mse <x>', 'two-layer stopping train MSE', parseNumber);
  return addDataOptions(cmd);
}

/** Adds the options of the data law and the labels (--components, --m, --scale, --eta, --noise): shared by
 * the instance commands, `sweep` and `check-model`. */
export function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--components <int>', 'mixture / clusters: number of components', parseNumber)
    .option('--m <int>', 'subspace: intrinsic dimension', parseNumber)
    .option('--scale <x>', 'mixture / clusters: within-cluster scale', parseNumber)
    .option('--eta <x>', 'flips: flip rate in [0, 1]', parseNumber)
    .option('--noise <x>', 'additive: noise amplitude', parseNumber);
}

/** Validates the flags (naming each flag) and builds the instance spec. */
export function specFromFlags(f: InstanceFlags, fn: string): InstanceSpec {
  const className = requireOneOf(fn, '--class', f.class, MODEL_CLASSES);
  const dist = requireOneOf(fn, '--dist', f.dist, DISTRIBUTION_NAMES);
  const labels = requireOneOf(fn, '--labels', f.labels, LABEL_NAMES);
  const n = requireInt(fn, '--n', f.n, 1);
  const d = requireInt(fn, '--d', f.d, 1);
  const seed = requireInt(fn, '--seed', f.seed, 0, MAX_SEED);
  if (f.k !== undefined) requireInt(fn, '--k', f.k, 1);
  if (f.degree !== undefined) requireInt(fn, '--degree', f.degree, 1, 12);
  if (f.maxIter !== undefined) requireInt(fn, '--max-iter', f.maxIter, 1);
  if (f.components !== undefined) requireInt(fn, '--components', f.components, 1);
  if (f.m !== undefined) requireInt(fn, '--m', f.m, 2, d);
  const activation = f.activation === undefined ? undefined : requireOneOf(fn, '--activation', f.activation, ACTIVATIONS);
  const profile = f.profile === undefined ? undefined : requireOneOf(fn, '--profile', f.profile, BUMP_PROFILES);
  return {
    dist,
    labels,
    className,
    n,
    d,
    seed,
    distOptions: { k: f.components, m: f.m, scale: f.scale },
    labelOptions: { eta: f.eta, noise: f.noise },
    modelOptions: { k: f.k, activation, degree: f.degree, bandwidth: f.bandwidth, profile, penalty: f.penalty, ridge: f.ridge, maxIter: f.maxIter, targetMse: f.targetMse },
  };
}
