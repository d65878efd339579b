import type { InstanceSpec } from '../law/instance.js';
import type { ModelOptions } from '../models/model-options.js';
import { functionClass } from '../models/registry.js';
import { modelAxes, specBlocks, type SweepGridSpec, type SweepSpec } from './spec.js';

/** One point of a sweep's grid. */
export interface GridPoint {
  /** Position in the full (unsharded) grid: fixes the order of records and the shard a point belongs to. */
  readonly index: number;
  /** A stable key naming the point's varying coordinates (block, class, model axes, dist, labels, n, d, k, seed). */
  readonly id: string;
  /** The block of a spec with blocks (absent for a one-grid spec). */
  readonly block?: string;
  readonly instance: InstanceSpec;
}

/** The seeds of a grid: `seeds: N` means 0..N-1. */
export function seedsOf(spec: Pick<SweepGridSpec, 'seeds'>): number[] {
  return typeof spec.seeds === 'number' ? Array.from({ length: spec.seeds }, (_, i) => i) : [...spec.seeds];
}

/**
 * Expands a sweep spec into its grid, block after block, each in a fixed order (dist, labels, n, d, class,
 * model axes, size, seed: the seed innermost, so the seeds of one configuration are neighbours). A class
 * without a width is swept once per (dist, labels, n, d, seed) whatever k or p say; a p that rounds to a k
 * already listed is kept once. A model option given as a list is an axis for the classes that read it
 * ({@link modelAxes}), named in the id (`activation=tanh`); a block's points start their id with `block=NAME,`.
 * Every instance of one seed shares its data: the data stream depends on (seed, dist, n, d) only.
 */
export function expandGrid(spec: SweepSpec): GridPoint[] {
  const points: GridPoint[] = [];
  const seen = new Set<string>();
  for (const { name, grid } of specBlocks(spec)) {
    const seeds = seedsOf(grid);
    const distOptions = { k: grid.distOptions.components, m: grid.distOptions.m, scale: grid.distOptions.scale };
    const labelOptions = { eta: grid.labelOptions.eta, noise: grid.labelOptions.noise };
    const prefix = name === null ? '' : `block=${name},`;
    for (const dist of grid.dist)
      for (const labels of grid.labels)
        for (const n of grid.n)
          for (const d of grid.d)
            for (const className of grid.class) {
              // a class's width rule turns a target p into its k (docs/science.md section 4)
              const width = functionClass(className).width;
              const widths: (number | null)[] = !width ? [null] : grid.k ? grid.k : grid.p ? grid.p.map((p) => width.forParameters(p, d)) : [width.forParameters(4 * n, d)];
              for (const { options, axes } of modelAxes(className, grid.model))
                for (const k of widths)
                  for (const seed of seeds) {
                    const id = `${prefix}class=${className},${axes.map((a) => `${a},`).join('')}dist=${dist},labels=${labels},n=${n},d=${d}${k === null ? '' : `,k=${k}`},seed=${seed}`;
                    if (seen.has(id)) continue;
                    seen.add(id);
                    const modelOptions: ModelOptions = { ...options, ...(k === null ? {} : { k }) };
                    points.push({ index: points.length, id, ...(name === null ? {} : { block: name }), instance: { className, dist, labels, n, d, seed, distOptions, labelOptions, modelOptions } });
                  }
            }
  }
  return points;
}
