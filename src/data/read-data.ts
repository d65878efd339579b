/**
 * Reads a data file for `check-model --data` in any of the formats the tool takes, told apart by content:
 * robustlaw-data/1 JSON, NumPy `.npy` (an n x (d + 1) array), or CSV (n rows of d + 1 numbers, an optional
 * header row). In the two matrix formats the last column is the label y.
 * @module
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError } from '../core/input-error.js';
import { MAX_FILE_DEPTH, nestingDepth, readFileBytes } from '../core/read-file.js';
import { MAX_DATA_MAGNITUDE, parseDataFile, type DataSet } from './data-file.js';
import { isNpy, parseNpy } from './npy.js';

/** The data formats, as error messages and docs name them. */
export const DATA_FORMATS = ['robustlaw-data/1 JSON', 'CSV (n rows of d + 1 numbers, label last, optional header)', 'NumPy .npy (an n x (d + 1) array, label last)'] as const;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A matrix (n x (d + 1), row-major, label last) as a data set; cells are checked finite and at most {@link MAX_DATA_MAGNITUDE}. */
function fromMatrix(M: Float64Array, n: number, cols: number, source: string, where: (i: number, j: number) => string): DataSet {
  const d = cols - 1;
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) {
      const v = M[i * cols + j];
      if (!(Math.abs(v) <= MAX_DATA_MAGNITUDE)) {
        throw new InputError(j < d ? `data.X[${i + 1}][${j + 1}]` : `data.y[${i + 1}]`, `a finite number of magnitude at most ${MAX_DATA_MAGNITUDE}`, v, { context: source, shown: `${v}${where(i, j)}` });
      }
      if (j < d) X[i * d + j] = v;
      else y[i] = v;
    }
  }
  return { X, y, n, d };
}

/**
 * CSV data: rows of d + 1 numbers (comma-separated, the label last), an optional header row (a first row
 * with any cell that is not a number), blank lines skipped. Refuses (one {@link InputError} naming the
 * row and column as `data.X[i][j]` or `data.y[i]`, and the line) a row of another length, a cell that is
 * not a number, and fewer than 2 columns.
 */
export function parseCsvData(text: string, source = 'data.csv'): DataSet {
  let rows: string[][];
  try {
    const parsed: unknown = parseCsv(text, { skip_empty_lines: true, trim: true, relax_column_count: true, bom: true });
    rows = parsed as string[][];
  } catch (e) {
    throw new InputError('data', 'a CSV file of numbers', source, { context: source, shown: (e as Error).message.split('\n')[0] });
  }
  const header = rows.length > 0 && rows[0].some((c) => !NUMBER.test(c));
  const body = header ? rows.slice(1) : rows;
  const line0 = header ? 2 : 1;
  if (body.length === 0) throw new InputError('data', 'a CSV file with at least one row of numbers', source, { context: source, shown: header ? 'a header only' : 'no rows' });
  const cols = body[0].length;
  if (cols < 2) throw new InputError('data.X', 'rows of d + 1 >= 2 columns (the covariates, then the label)', cols, { context: source, shown: `${cols} column on line ${line0}` });
  const M = new Float64Array(body.length * cols);
  body.forEach((row, i) => {
    if (row.length !== cols) throw new InputError(`data.X[${i + 1}]`, `a row of ${cols} numbers like row 1`, row.length, { context: source, shown: `${row.length} cells on row ${i + 1}` });
    row.forEach((cell, j) => {
      if (!NUMBER.test(cell)) throw new InputError(j < cols - 1 ? `data.X[${i + 1}][${j + 1}]` : `data.y[${i + 1}]`, 'a decimal number', cell, { context: source, shown: `${JSON.stringify(cell.slice(0, 40))} on row ${i + 1}` });
      M[i * cols + j] = Number(cell);
    });
  });
  return fromMatrix(M, body.length, cols, source, (i) => ` on row ${i + 1}`);
}

/** A .npy array of shape (n, d + 1), the label last, as a data set. */
export function parseNpyData(bytes: Uint8Array, source = 'data.npy'): DataSet {
  const arr = parseNpy(bytes, source);
  if (arr.shape.length !== 2 || arr.shape[0] < 1 || arr.shape[1] < 2) {
    throw new InputError('data', 'a 2-D .npy array of shape (n, d + 1), n >= 1, d >= 1 (the covariates, then the label)', source, { context: source, shown: `shape (${arr.shape.join(', ')}) of ${arr.descr}` });
  }
  return fromMatrix(arr.values, arr.shape[0], arr.shape[1], source, () => '');
}

/**
 * Reads the data file at `path` by content: `.npy` magic, a JSON object (robustlaw-data/1), else CSV.
 * A missing or unreadable file is an InputError on `path`; bad content one on `data.*` (context: the path).
 */
export function readDataFile(path: string, context = 'readDataFile'): DataSet {
  const bytes = readFileBytes(path, 'path', 'a readable data file (robustlaw-data/1 JSON, CSV or .npy)', context);
  if (isNpy(bytes)) return parseNpyData(bytes, path);
  const text = new TextDecoder().decode(bytes);
  if (/^\uFEFF?\s*[{[]/.test(text)) {
    if (nestingDepth(text, MAX_FILE_DEPTH) > MAX_FILE_DEPTH) throw new InputError('path', 'a readable JSON file', path, { context, shown: `${path} nests arrays or objects more than ${MAX_FILE_DEPTH} levels deep` });
    let json: unknown;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new InputError('path', 'a readable JSON file', path, { context, shown: `${path} is not valid JSON (${(e as Error).message.split('\n')[0]})` });
    }
    return parseDataFile(json, path);
  }
  if (text.includes('\u0000')) throw new InputError('path', 'a readable data file (robustlaw-data/1 JSON, CSV or .npy)', path, { context, shown: `${path}: binary, and not a .npy file` });
  return parseCsvData(text, path);
}

/**
 * Maps the labels affinely onto [-1, 1] (y -> 2 (y - min) / (max - min) - 1), only when asked
 * (`check-model --rescale-labels`); a given noise level sigma^2 scales by the square of the slope.
 * Constant labels are refused (no affine map spreads them over [-1, 1]).
 */
export function rescaleLabels(data: DataSet, source = 'data'): DataSet & { readonly slope: number; readonly offset: number } {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of data.y) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (!(hi > lo)) throw new InputError('data.y', 'labels that are not all equal (to rescale them onto [-1, 1])', lo, { context: source, shown: `every label ${lo}` });
  const slope = 2 / (hi - lo);
  const offset = -1 - slope * lo;
  const y = Float64Array.from(data.y, (v) => Math.max(-1, Math.min(1, slope * v + offset)));
  return { ...data, y, ...(data.sigma2 !== undefined ? { sigma2: data.sigma2 * slope * slope } : {}), slope, offset };
}
