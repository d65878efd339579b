import { InputError } from '../core/input-error.js';
import type { Rng } from '../core/rng.js';
import { requireInt, requirePositive, requireOpen } from '../core/validate.js';
import { drawSpherePoint } from '../data/sphere.js';

/**
 * A clipped linear teacher g(x) = clamp(slope <u, x>, -A, A), with u a fixed unit vector (drawn from the
 * structure stream) and amplitude A in (0, 1]. Lip(g) = slope. With ||x|| ~ 1, <u, x> ~ 1/sqrt(d), so
 * the default slope sqrt(d) gives O(1) values (docs/science.md section 5.1: a smooth bounded teacher).
 */
export interface Teacher {
  readonly direction: Float64Array;
  readonly slope: number;
  readonly amplitude: number;
  /** g(x) for each row of X. */
  evaluate(X: Float64Array, n: number, d: number): Float64Array;
  /** The raw projection <u, x> for each row (its sign is the flip teacher). */
  project(X: Float64Array, n: number, d: number): Float64Array;
}

/** Options of {@link clippedLinearTeacher}. */
export interface TeacherOptions {
  /** slope > 0; default sqrt(d). */
  readonly slope?: number;
  /** amplitude A in (0, 1]; default 1. */
  readonly amplitude?: number;
}

/** Builds the clipped linear teacher of dimension d from the structure stream. */
export function clippedLinearTeacher(d: number, options: TeacherOptions, structure: Rng): Teacher {
  requireInt('clippedLinearTeacher', 'd', d, 1);
  const slope = requirePositive('clippedLinearTeacher', 'slope', options.slope ?? Math.sqrt(d));
  const amplitude = options.amplitude ?? 1;
  if (amplitude !== 1) requireOpen('clippedLinearTeacher', 'amplitude', amplitude, 0, 1);
  const u = new Float64Array(d);
  if (d === 1) u[0] = 1;
  else drawSpherePoint(structure, u, 0, d);
  const project = (X: Float64Array, n: number, dd: number): Float64Array => {
    if (dd !== d) throw new InputError('d', `the teacher's dimension ${d}`, dd, { context: 'teacher' });
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += u[j] * X[i * d + j];
      out[i] = s;
    }
    return out;
  };
  return {
    direction: u,
    slope,
    amplitude,
    project,
    evaluate(X, n, dd) {
      const t = project(X, n, dd);
      for (let i = 0; i < n; i++) t[i] = Math.max(-amplitude, Math.min(amplitude, slope * t[i]));
      return t;
    },
  };
}
