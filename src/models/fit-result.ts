import { norm2 } from '../linalg/gram.js';
import type { FitResult, Model } from './model.js';

/** Assembles a {@link FitResult}: train MSE and residual from the model's own predictions. */
export function finishFit<M extends Model>(
  model: M,
  X: Float64Array,
  n: number,
  y: Float64Array,
  sigma2: number,
  startMs: number,
  extra: {
    condition: number;
    jitter?: number;
    warnings?: string[];
    details?: Record<string, number | string | boolean>;
    /** model.predict(X, n) where the fit already has it, bit for bit (tests check the equality). */
    predictions?: Float64Array;
  },
): FitResult<M> {
  const f = extra.predictions ?? model.predict(X, n);
  let se = 0;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    r[i] = f[i] - y[i];
    se += r[i] * r[i];
  }
  const trainMse = se / n;
  if (!Number.isFinite(trainMse)) throw new RangeError(`fit ${model.className}: predictions are not finite (fit diverged)`);
  const ny = norm2(y);
  const relResidual = ny > 0 ? norm2(r) / ny : norm2(r);
  const warnings = [...(extra.warnings ?? [])];
  if (extra.condition === Number.POSITIVE_INFINITY) warnings.push('the system is singular (every feature vanishes on the data): the fit is theta = 0');
  if ((extra.jitter ?? 0) > 0) warnings.push(`diagonal jitter ${extra.jitter!.toExponential(2)} was needed to factorise the system`);
  return {
    model,
    trainMse,
    predictions: f,
    relResidual,
    sigma2,
    eps: sigma2 - trainMse,
    condition: extra.condition,
    jitter: extra.jitter ?? 0,
    interpolates: relResidual <= 1e-6,
    seconds: (performance.now() - startMs) / 1000,
    warnings,
    details: extra.details ?? {},
  };
}
