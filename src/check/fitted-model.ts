/**
 * The fitted model of a record's certificate file, as the checker evaluates it (docs/science.md section 11):
 * read from the file's `model` (its numbers as written: `{ "f64": base64 }` arrays of little-endian doubles),
 * one module per kind under ./models/, each with its upper-bound certificates.
 * @module
 */
import type { Interval } from './interval.js';
import type { CheckedDomain, Refuted } from './domain.js';
import type { Evaluator } from './witness.js';
import { linearModel } from './models/linear.js';
import { ntkModel } from './models/ntk.js';
import { kernelModel } from './models/kernel.js';
import { bumpsModel } from './models/bumps.js';
import { networkModel } from './models/network.js';

/** What an upper bound's certificate proves: a bound (an upper end), or why none (rejected: it certainly fails). */
export type UpperCheck = { readonly bound: number } | { readonly reason: string; readonly rejected: boolean };

/** A record's fitted function with its certificates. */
export interface CheckedModel extends Evaluator {
  /** The exact value of Lip(f) on D that the method names (with its certificate's terms and data), enclosed; a reason where the checker has none. */
  exact(method: string, terms: Readonly<Record<string, unknown>>, data: unknown, D: CheckedDomain): Interval | string | Refuted;
  /** What the upper bound's certificate (method, formula terms and data) proves on D. */
  upper(method: string, terms: Readonly<Record<string, unknown>>, data: unknown, D: CheckedDomain): UpperCheck;
}

/** The model's JSON with its arrays decoded. */
export type ModelJson = Readonly<Record<string, unknown>>;

/** An `{ f64: base64 }` array as doubles, or null. */
export function f64s(v: unknown): Float64Array | null {
  if (typeof v !== 'object' || v === null || typeof (v as { f64?: unknown }).f64 !== 'string') return null;
  const bytes = Buffer.from((v as { f64: string }).f64, 'base64');
  if (bytes.length % 8 !== 0) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return Float64Array.from({ length: bytes.length / 8 }, (_, i) => view.getFloat64(i * 8, true));
}

/** A positive integer field, or null. */
export const count = (v: unknown): number | null => (Number.isInteger(v) && (v as number) > 0 ? (v as number) : null);

/** Readers by kind: a model, or why the certificate's model cannot be read. */
const KINDS: Readonly<Record<string, (m: ModelJson) => CheckedModel | string>> = {
  linear: linearModel,
  'ntk-features': ntkModel,
  'gaussian-kernel': kernelModel,
  bumps: bumpsModel,
  network: networkModel,
};

/** The certificate's model, or why the checker cannot read it. */
export function checkedModel(m: unknown): CheckedModel | string {
  if (typeof m !== 'object' || m === null) return 'the certificate holds no model';
  const kind = (m as ModelJson).kind;
  const read = typeof kind === 'string' ? KINDS[kind] : undefined;
  return read === undefined ? `a model of kind ${String(kind)} is not checked` : read(m as ModelJson);
}

/** The ball's radius of a domain (Infinity for R^d), or null for a domain the certificates are not checked on. */
export function ballRadius(D: CheckedDomain): number | null {
  return D.kind === 'Rd' ? Number.POSITIVE_INFINITY : D.kind === 'ball' && D.radius !== undefined && D.radius >= 0 ? D.radius : null;
}
