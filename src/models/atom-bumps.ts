import { InputError } from '../core/input-error.js';
import { requireOneOf } from '../core/validate.js';
import { BUMP_PROFILES, type BumpProfile } from './bump-profile.js';
import { bumpsModel, disjointRadius, minPairwiseDistance, PROFILE } from './bumps.js';
import type { FitContext } from './fit-context.js';
import type { FunctionClass } from './function-class.js';
import { finishFit } from './fit-result.js';
import { dataRadius, type FitResult } from './model.js';

/**
 * Bumps at the known atoms of a clustered distribution, heights trained (docs/science.md section 5.3):
 * f(x) = sum_l h_l g(||x - a_l|| / r), r = half the minimum atom separation, p = k (the atoms belong to
 * the distribution). With disjoint supports each height is the least-squares fit of its cluster,
 * h_l = sum_i y_i g_il / sum_i g_il^2, and Lip(f) = max|h_l| sup|g'| / r exactly.
 */
export function fitAtomBumps(X: Float64Array, n: number, d: number, y: Float64Array, atoms: Float64Array, k: number, profile: BumpProfile, ctx: FitContext): FitResult {
  const t0 = performance.now();
  requireOneOf('fitAtomBumps', 'profile', profile, BUMP_PROFILES);
  const dmin = minPairwiseDistance(atoms, k, d);
  const r = disjointRadius(dmin, d);
  if (!(r > 0)) throw new InputError('dist', `a law with ${k} distinct atoms (bumps need a positive minimum distance)`, atoms, { context: 'fitAtomBumps', shown: `atoms at minimum distance ${dmin}` });
  const g = PROFILE[profile].g;
  const num = new Float64Array(k);
  const den = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (X[i * d + t] - atoms[l * d + t]) ** 2;
      const dist = Math.sqrt(s);
      if (dist >= r) continue;
      const gv = g(dist / r);
      num[l] += y[i] * gv;
      den[l] += gv * gv;
    }
  }
  const h = num.map((v, l) => (den[l] > 0 ? v / den[l] : 0));
  const bumps = bumpsModel(atoms.slice(), h, d, r, profile, 'atom-bumps', dmin);
  // the domain is a ball containing every support AND every data point (mixture data lie outside the
  // supports; their ball would not contain them): bounds on a larger centred ball stay valid
  const model = { ...bumps, radius: Math.max(bumps.radius, dataRadius(X, n, d)), p: k, description: `atom-bumps: ${k} ${profile} bumps at the known atoms (heights trained), r = ${r.toPrecision(4)}` };
  return finishFit(model, X, n, y, ctx.sigma2, t0, { condition: 1, details: { k, r } });
}

/** The clusters regime's class (docs/science.md section 5.3): p = k, the number of atoms of the data law. */
export const ATOM_BUMPS: FunctionClass = {
  name: 'atom-bumps',
  summary: 'bumps at the known atoms of a clusters or mixture law, heights trained (p = number of atoms)',
  reads: ['profile'],
  dists: ['clusters', 'mixture'],
  // the atoms and heights (at most n atoms matter for the estimate) and the per-atom sums
  workingFloats: ({ n, d }) => 2 * n * (d + 1),
  parameterCount: ({ dist }) => {
    if (dist === undefined) throw new Error('atom-bumps: its parameter count is the data law\'s number of atoms; pass the law');
    return dist.components;
  },
  fit: ({ X, n, d, y, dist }, o, ctx) => {
    if (!dist.centres) throw new Error(`atom-bumps: the ${dist.name} law has no atoms`);
    return fitAtomBumps(X, n, d, y, dist.centres, dist.components, o.profile ?? 'hat', ctx);
  },
};
