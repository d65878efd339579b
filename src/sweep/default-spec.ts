import { parseSweepSpec, type SweepSpec } from './spec.js';

/**
 * The built-in quick sweep behind `npm start` and a bare `robustlaw sweep`: n = 60 noisy sign labels on
 * the sphere S^19, three width classes at p = n .. n d (the law's window, docs/science.md section 4: NTK
 * features should track eps sqrt(n d / p), random features should not), bumps and the linear class as the
 * two ends, 3 seeds. About a minute on 2 cores.
 */
export const DEFAULT_SWEEP_SPEC = {
  format: 'robustlaw-sweep-spec/1',
  class: ['random-features', 'ntk-features', 'bumps', 'gaussian-kernel', 'linear'],
  dist: ['sphere'],
  labels: ['signs'],
  n: [100],
  d: [25],
  p: [200, 400, 800, 1600, 2500],
  seeds: 3,
  model: { activation: 'cos' },
} as const;

/** {@link DEFAULT_SWEEP_SPEC}, validated. */
export function defaultSweepSpec(): SweepSpec {
  return parseSweepSpec(DEFAULT_SWEEP_SPEC, 'built-in sweep');
}
