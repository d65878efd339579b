/**
 * What a record's bounds rest on, for the independent checker (docs/science.md section 11): the fitted model's
 * parameters, the domain, the lower bound's witness, the upper bound's certificate and the law's inputs.
 * @module
 */
import type { CheckableModel } from '../models/model.js';
import type { LipEstimate } from '../lipschitz/estimate.js';

/** The certificate of one record: written beside it as a robustlaw-certificate/1 file (src/sweep/certificate-file.ts). */
export interface RecordCertificate {
  /** The model's parameters (null where the class has no checkable form: the record is then not checkable). */
  readonly model: CheckableModel | null;
  /** The centred ball the bounds hold on, with its exact radius. */
  readonly domain: { readonly kind: 'ball'; readonly radius: number };
  /** The best lower-bound estimate, the upper bound and the exact value, each with its witness. */
  readonly lower: LipEstimate;
  readonly upper: LipEstimate | null;
  readonly exact: LipEstimate | null;
  /** The training data (n x d, row-major) and labels the model was fitted to: the domain must hold them, and the fit's error is recomputed from them. */
  readonly data: { readonly X: Float64Array; readonly y: Float64Array };
  /** The law's threshold tau eps sqrt(n d / p): its inputs as the verdict used them. */
  readonly law: { readonly n: number; readonly d: number; readonly p: number; readonly eps: number; readonly tau: number; readonly sigma2: number; readonly epsSource: 'sigma2' | 'label-variance' };
}
