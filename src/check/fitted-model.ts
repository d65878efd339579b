/**
 * The fitted model of a record's certificate file, as the checker evaluates it (docs/science.md section 11):
 * read from the file's `model` (its numbers as written: `{ "f64": base64 }` arrays of little-endian doubles),
 * one module per kind under ./models/, each with its upper-bound certificates.
 * @module
 */
import type { CheckedModel, ModelJson } from './checked-model.js';
import { linearModel } from './models/linear.js';
import { ntkModel } from './models/ntk.js';
import { kernelModel } from './models/kernel.js';
import { bumpsModel } from './models/bumps.js';
import { networkModel } from './models/network.js';
import { polynomialModel } from './models/polynomial.js';

/** Readers by kind: a model, or why the certificate's model cannot be read. */
const KINDS: Readonly<Record<string, (m: ModelJson) => CheckedModel | string>> = {
  linear: linearModel,
  'ntk-features': ntkModel,
  'gaussian-kernel': kernelModel,
  bumps: bumpsModel,
  network: networkModel,
  polynomial: polynomialModel,
};

/** The certificate's model, or why the checker cannot read it. */
export function checkedModel(m: unknown): CheckedModel | string {
  if (typeof m !== 'object' || m === null) return 'the certificate holds no model';
  const kind = (m as ModelJson).kind;
  const read = typeof kind === 'string' ? KINDS[kind] : undefined;
  return read === undefined ? `a model of kind ${String(kind)} is not checked` : read(m as ModelJson);
}
