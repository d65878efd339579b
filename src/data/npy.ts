/**
 * NumPy's `.npy` format (version 1.0 to 3.0): a magic string, a header (a Python dict literal with
 * `descr`, `fortran_order`, `shape`) and the array's bytes. Read for `--data`; written by the example
 * scripts and the tests.
 * @module
 */
import { InputError } from '../core/input-error.js';

/** The element types read: floats, signed and unsigned integers, booleans (either byte order). */
const KINDS: Readonly<Record<string, readonly number[]>> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };

/** The magic bytes of a .npy file. */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const;

/** Whether the bytes start with the .npy magic. */
export function isNpy(bytes: Uint8Array): boolean {
  return NPY_MAGIC.every((b, i) => bytes[i] === b);
}

/** A decoded .npy array: its shape and its values in C (row-major) order, as f64. */
export interface NpyArray {
  readonly shape: readonly number[];
  readonly values: Float64Array;
  /** The dtype as the file declares it, e.g. `<f4`. */
  readonly descr: string;
}

/**
 * Decodes a .npy file. Refuses (one {@link InputError} on `parameter`, context `source`) a bad magic or
 * header, an object or structured dtype, a complex or string dtype, and a data length that does not match
 * the shape. Fortran-order arrays are returned in C order. 64-bit integers beyond 2^53 lose precision.
 */
export function parseNpy(bytes: Uint8Array, source = 'data.npy', parameter = 'data'): NpyArray {
  const fail = (rule: string, shown: string): never => {
    throw new InputError(parameter, rule, source, { context: source, shown });
  };
  if (!isNpy(bytes)) fail('a NumPy .npy file', 'no \\x93NUMPY magic');
  const major = bytes[6];
  if (major < 1 || major > 3) fail('a .npy file of format version 1, 2 or 3', `version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) fail('a .npy file with a header', `${bytes.length} bytes`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) fail('a .npy file with a complete header', `a header of ${headerLen} bytes in ${bytes.length}`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) return fail('a .npy header with descr, fortran_order and shape', header.trim().slice(0, 60));
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (m === null || !KINDS[m[2]].includes(Number(m[3]))) return fail('a .npy array of numbers (float16/32/64, int or uint 8 to 64 bits, bool)', `dtype ${descr}`);
  const little = m[1] !== '>';
  const kind = m[2];
  const size = Number(m[3]);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (!shape.every((v) => Number.isInteger(v) && v >= 0)) fail('a .npy shape of non-negative integers', `shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length - offset !== count * size) fail(`a .npy file whose data is shape x itemsize = ${count * size} bytes`, `${bytes.length - offset} bytes of data`);
  const raw = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const p = offset + i * size;
    raw[i] =
      kind === 'f'
        ? size === 8
          ? view.getFloat64(p, little)
          : size === 4
            ? view.getFloat32(p, little)
            : half(view.getUint16(p, little))
        : kind === 'b' || (kind === 'u' && size === 1)
          ? view.getUint8(p)
          : kind === 'i' && size === 1
            ? view.getInt8(p)
            : size === 2
              ? kind === 'i' ? view.getInt16(p, little) : view.getUint16(p, little)
              : size === 4
                ? kind === 'i' ? view.getInt32(p, little) : view.getUint32(p, little)
                : Number(kind === 'i' ? view.getBigInt64(p, little) : view.getBigUint64(p, little));
  }
  if (fortran === 'False' || shape.length < 2) return { shape, values: raw, descr };
  // Fortran order: the first index varies fastest; reorder into C order
  const values = new Float64Array(count);
  const strides = shape.map((_, k) => shape.slice(0, k).reduce((a, b) => a * b, 1));
  const idx = new Array<number>(shape.length).fill(0);
  for (let c = 0; c < count; c++) {
    let f = 0;
    for (let k = 0; k < shape.length; k++) f += idx[k] * strides[k];
    values[c] = raw[f];
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return { shape, values, descr };
}

/** IEEE half precision to a number. */
function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** A .npy file (format 1.0, C order, little-endian) of `values` with `shape`, as float32 (`f4`) or float64 (`f8`). */
export function npyBytes(values: Float64Array, shape: readonly number[], type: 'f4' | 'f8' = 'f8'): Uint8Array {
  let header = `{'descr': '<${type}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const data = type === 'f4' ? new Uint8Array(Float32Array.from(values).buffer) : new Uint8Array(Float64Array.from(values).buffer);
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}
