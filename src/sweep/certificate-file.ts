/**
 * The robustlaw-certificate/1 file: one record's certificate ({@link RecordCertificate}) as JSON, beside the
 * record in a run directory (`certificates/<index>.json`), read by `robustlaw check` (docs/cli.md, "check";
 * docs/science.md section 11). Arrays of the model's f64 numbers are written as `{ "f64": "<base64>" }`, the
 * little-endian IEEE 754 bytes of the exact fitted numbers (10.7 characters a number instead of about 20);
 * every other number is a JSON number, whose shortest round-trip decimal is exact.
 * @module
 */
import type { RecordCertificate } from '../law/record-certificate.js';

/** The format tag of a certificate file. */
export const CERTIFICATE_FORMAT = 'robustlaw-certificate/1';

/** A Float64Array as `{ f64: base64 }` of its little-endian bytes. */
function encoded(a: Float64Array): { readonly f64: string } {
  const le = new DataView(new ArrayBuffer(a.length * 8));
  for (let i = 0; i < a.length; i++) le.setFloat64(i * 8, a[i], true);
  return { f64: Buffer.from(le.buffer).toString('base64') };
}

/** The text of the certificate file of record `id`. */
export function certificateFileJson(id: string, c: RecordCertificate): string {
  return `${JSON.stringify({ format: CERTIFICATE_FORMAT, record: id, ...c }, (_key, v: unknown) => (v instanceof Float64Array ? encoded(v) : v))}\n`;
}
