import { requirePositive } from '../core/validate.js';
import { parametersNeeded } from './informal.js';

/** One row of the section 1.1 arithmetic. */
export interface RealDataRow {
  readonly dataset: string;
  readonly n: number;
  readonly d: number;
  /** What d is: an effective (intrinsic) dimension estimate or the ambient pixel count. */
  readonly dKind: string;
  /** Parameters to interpolate at all ("parameters = equations"): about n. */
  readonly pInterpolate: number;
  /** Parameters to interpolate with Lip = lip at margin eps: eps^2 n d / lip^2. */
  readonly pSmooth: number;
  readonly note: string;
}

/** A dataset described by its size and the dimensions worth trying. */
export interface RealDataset {
  readonly dataset: string;
  readonly n: number;
  readonly dims: readonly { readonly d: number; readonly dKind: string; readonly note: string }[];
}

/**
 * Section 1.1 of Bubeck & Sellke (docs/science.md section 6): MNIST n = 6e4, effective d 15 to 150 (ambient
 * 784), giving n d in [9e5, 9e6] against ~1e4 by "parameters = equations" (Madry et al.'s robust accuracy
 * jumps near 2e5 parameters and reaches ~95% near 3e6); ImageNet n = 1.4e7 of ~2e5 pixels, effective d a
 * couple of orders of magnitude smaller, giving 1e10 to 1e11 parameters.
 */
export const PAPER_DATASETS: readonly RealDataset[] = [
  {
    dataset: 'MNIST',
    n: 6e4,
    dims: [
      { d: 15, dKind: 'effective (low)', note: 'paper: n d ~ 1e6' },
      { d: 150, dKind: 'effective (high)', note: 'paper: n d ~ 1e7; robust accuracy ~95% near 3e6 (Madry et al.)' },
      { d: 784, dKind: 'ambient (28x28)', note: 'upper end, not the paper\'s estimate' },
    ],
  },
  {
    dataset: 'ImageNet',
    n: 1.4e7,
    dims: [
      { d: 2e3, dKind: 'effective (2e5 / 100)', note: 'paper: 1e10 to 1e11 parameters' },
      { d: 7e3, dKind: 'effective (high)', note: 'n d ~ 1e11 ("at least 100 billion")' },
      { d: 2e5, dKind: 'ambient (pixels)', note: 'upper end, not the paper\'s estimate' },
    ],
  },
];

/** The table of the paper's arithmetic (or of `datasets`) at margin eps and target Lipschitz lip. */
export function realDataTable(eps = 1, lip = 1, datasets: readonly RealDataset[] = PAPER_DATASETS): RealDataRow[] {
  requirePositive('realDataTable', 'eps', eps);
  requirePositive('realDataTable', 'lip', lip);
  const rows: RealDataRow[] = [];
  for (const ds of datasets) {
    for (const dim of ds.dims) {
      rows.push({ dataset: ds.dataset, n: ds.n, d: dim.d, dKind: dim.dKind, pInterpolate: ds.n, pSmooth: parametersNeeded(ds.n, dim.d, eps, lip), note: dim.note });
    }
  }
  return rows;
}
