import type { InstanceSpec } from '../law/instance.js';
import type { ModelOptions } from '../models/fit-model.js';
import type { SweepSpec } from './spec.js';

/** Classes whose size is set by a width k; every other class has p fixed by (n, d) (docs/science.md section 3). */
export const WIDTH_CLASSES = ['random-features', 'ntk-features', 'two-layer'] as const;

/** One point of a sweep's grid. */
export interface GridPoint {
  /** Position in the full (unsharded) grid: fixes the order of records and the shard a point belongs to. */
  readonly index: number;
  /** A stable key naming the point's varying coordinates (class, dist, labels, n, d, k, seed). */
  readonly id: string;
  readonly instance: InstanceSpec;
}

/**
 * The width k that gives about p parameters: random-features p = k, ntk-features p = d k, two-layer
 * p = k (d + 2) + 1 (the counts of src/models), rounded, at least 1 (2 for two-layer).
 */
export function widthForParameters(className: (typeof WIDTH_CLASSES)[number], p: number, d: number): number {
  switch (className) {
    case 'random-features':
      return Math.max(1, Math.round(p));
    case 'ntk-features':
      return Math.max(1, Math.round(p / d));
    case 'two-layer':
      return Math.max(2, Math.round((p - 1) / (d + 2)));
  }
}

/** Which sweep-wide model options each class reads (the others would only clutter its label). */
const OPTION_CLASSES: Readonly<Record<string, readonly string[]>> = {
  activation: WIDTH_CLASSES,
  degree: ['polynomial'],
  bandwidth: ['gaussian-kernel'],
  profile: ['bumps', 'intrinsic-bumps', 'atom-bumps'],
  penalty: ['two-layer'],
  maxIter: ['two-layer'],
  targetMse: ['two-layer'],
  ridge: ['linear', 'random-features', 'ntk-features', 'gaussian-kernel', 'polynomial'],
};

/** The sweep's model options that `className` reads. */
export function optionsFor(className: string, model: Readonly<Record<string, unknown>>): ModelOptions {
  return Object.fromEntries(Object.entries(model).filter(([key, v]) => v !== undefined && (OPTION_CLASSES[key] ?? []).includes(className))) as ModelOptions;
}

function isWidthClass(c: string): c is (typeof WIDTH_CLASSES)[number] {
  return (WIDTH_CLASSES as readonly string[]).includes(c);
}

/** The seeds of a spec: `seeds: N` means 0..N-1. */
export function seedsOf(spec: SweepSpec): number[] {
  return typeof spec.seeds === 'number' ? Array.from({ length: spec.seeds }, (_, i) => i) : [...spec.seeds];
}

/**
 * Expands a sweep spec into its grid, in a fixed order (dist, labels, n, d, class, size, seed: the seed
 * innermost, so the seeds of one configuration are neighbours). A class without a width is swept once per
 * (dist, labels, n, d, seed) whatever k or p say; a p that rounds to a k already listed is kept once.
 * Every instance of one seed shares its data: the data stream depends on (seed, dist, n, d) only.
 */
export function expandGrid(spec: SweepSpec): GridPoint[] {
  const points: GridPoint[] = [];
  const seen = new Set<string>();
  const seeds = seedsOf(spec);
  const distOptions = { k: spec.distOptions.components, m: spec.distOptions.m, scale: spec.distOptions.scale };
  const labelOptions = { eta: spec.labelOptions.eta, noise: spec.labelOptions.noise };
  for (const dist of spec.dist)
    for (const labels of spec.labels)
      for (const n of spec.n)
        for (const d of spec.d)
          for (const className of spec.class) {
            const widths: (number | null)[] = !isWidthClass(className)
              ? [null]
              : spec.k
                ? spec.k
                : spec.p
                  ? spec.p.map((p) => widthForParameters(className, p, d))
                  : [widthForParameters(className, 4 * n, d)];
            for (const k of widths)
              for (const seed of seeds) {
                const id = `class=${className},dist=${dist},labels=${labels},n=${n},d=${d}${k === null ? '' : `,k=${k}`},seed=${seed}`;
                if (seen.has(id)) continue;
                seen.add(id);
                const modelOptions: ModelOptions = { ...optionsFor(className, spec.model), ...(k === null ? {} : { k }) };
                points.push({ index: points.length, id, instance: { className, dist, labels, n, d, seed, distOptions, labelOptions, modelOptions } });
              }
          }
  return points;
}
