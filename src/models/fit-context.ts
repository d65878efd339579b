import type { Rng } from '../core/rng.js';

/** What every fit needs besides the data: seeded streams and the label model's exact sigma^2. */
export interface FitContext {
  /** Stream for model initialisation and random features (the `init` sub-stream). */
  readonly init: Rng;
  /** Stream for solver diagnostics (condition-number start vectors). */
  readonly solver: Rng;
  /** Exact noise level of the labels. */
  readonly sigma2: number;
}
