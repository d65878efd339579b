import type { InstanceSpec } from '../law/instance.js';
import type { ModelOptions } from '../models/model-options.js';
import { functionClass, optionsFor } from '../models/registry.js';
import type { SweepSpec } from './spec.js';

/** One point of a sweep's grid. */
export interface GridPoint {
  /** Position in the full (unsharded) grid: fixes the order of records and the shard a point belongs to. */
  readonly index: number;
  /** A stable key naming the point's varying coordinates (class, dist, labels, n, d, k, seed). */
  readonly id: string;
  readonly instance: InstanceSpec;
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
            // a class's width rule turns a target p into its k (docs/science.md section 4)
            const width = functionClass(className).width;
            const widths: (number | null)[] = !width ? [null] : spec.k ? spec.k : spec.p ? spec.p.map((p) => width.forParameters(p, d)) : [width.forParameters(4 * n, d)];
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
