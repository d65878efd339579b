/**
 * What the checker knows of a record's fitted model (docs/science.md section 11): the interface each model kind
 * under ./models/ implements, and the helpers they share to read the certificate file's fields.
 * @module
 */
import type { Interval } from './interval.js';
import type { CheckedDomain, Refuted } from './domain.js';
import type { Evaluator } from './witness.js';

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

/** The ball's radius of a domain (Infinity for R^d), or null for a domain the certificates are not checked on. */
export function ballRadius(D: CheckedDomain): number | null {
  return D.kind === 'Rd' ? Number.POSITIVE_INFINITY : D.kind === 'ball' && D.radius !== undefined && D.radius >= 0 ? D.radius : null;
}

/** An exact value's enclosure as what it proves of the upper bound: its upper end, or why none. */
export function exactAsUpper(e: Interval | string | Refuted): UpperCheck {
  return typeof e === 'string' ? { reason: e, rejected: false } : 'refuted' in e ? { reason: e.refuted, rejected: true } : { bound: e.hi };
}
