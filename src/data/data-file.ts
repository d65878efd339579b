import { InputError } from '../core/input-error.js';

/** A data set read from a `robustlaw-data/1` file. */
export interface DataSet {
  /** n x d covariates, row-major. */
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  readonly d: number;
  /** The noise level, when the file states it. */
  readonly sigma2?: number;
}

/** The largest magnitude of a covariate or label in a data file: squares and sums of them stay finite. */
export const MAX_DATA_MAGNITUDE = 1e100;

const inRange = (v: unknown): v is number => typeof v === 'number' && Math.abs(v) <= MAX_DATA_MAGNITUDE;

/**
 * The data format of `robustlaw check-model --data` (robustlaw-data/1):
 * ```json
 * { "format": "robustlaw-data/1", "X": [[x11, ..., x1d], ...], "y": [y1, ...], "sigma2": 1 }
 * ```
 * `X` has n rows of d finite numbers, `y` n finite numbers, each at most {@link MAX_DATA_MAGNITUDE} in
 * magnitude (so the MSE, the variance and the law are finite); `sigma2` (the label noise variance, at most
 * 1e100) is optional.
 * Throws an InputError naming the field (`data.X[1][2]`), the rule and the value; `source` is its context.
 */
export function parseDataFile(json: unknown, source = 'data'): DataSet {
  const fail = (field: string, rule: string, value: unknown, shown?: string): never => {
    throw new InputError(field ? `data.${field}` : 'data', rule, value, { context: source, shown });
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('', 'a JSON object with "X" and "y"', json);
  const o = json as Record<string, unknown>;
  if (o.format !== undefined && o.format !== 'robustlaw-data/1') fail('format', '"robustlaw-data/1"', o.format);
  if (!Array.isArray(o.X) || o.X.length === 0) fail('X', 'a non-empty array of rows', o.X, o.X === undefined ? 'missing X' : undefined);
  const rows = o.X as unknown[];
  if (!Array.isArray(rows[0]) || rows[0].length === 0) fail('X', 'an array of non-empty rows (arrays of numbers)', rows[0], 'row 1 empty or not an array');
  const n = rows.length;
  const d = (rows[0] as unknown[]).length;
  const X = new Float64Array(n * d);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== d) fail(`X[${i + 1}]`, `a row of ${d} numbers like row 1`, row, Array.isArray(row) ? `${row.length}` : typeof row);
    (row as unknown[]).forEach((v, j) => {
      if (!inRange(v)) fail(`X[${i + 1}][${j + 1}]`, `a finite number of magnitude at most ${MAX_DATA_MAGNITUDE}`, v, JSON.stringify(v));
      X[i * d + j] = v as number;
    });
  });
  if (!Array.isArray(o.y) || o.y.length !== n) fail('y', `an array of n = ${n} numbers`, o.y, Array.isArray(o.y) ? `${o.y.length} values` : 'none');
  const y = Float64Array.from(o.y as unknown[], (v, i) => {
    if (!inRange(v)) fail(`y[${i + 1}]`, `a finite number of magnitude at most ${MAX_DATA_MAGNITUDE}`, v, JSON.stringify(v));
    return v as number;
  });
  if (o.sigma2 !== undefined && !(inRange(o.sigma2) && o.sigma2 >= 0)) fail('sigma2', `a number in [0, ${MAX_DATA_MAGNITUDE}]`, o.sigma2, JSON.stringify(o.sigma2));
  return { X, y, n, d, ...(o.sigma2 !== undefined ? { sigma2: o.sigma2 as number } : {}) };
}

/**
 * Refuses labels outside [-1, 1], the range the law is stated for (Bubeck & Sellke: |y| <= 1), naming the
 * first one (`data.y[3]`, context `source`). The file format itself only bounds their magnitude; a front end
 * that checks a model against the law (check-model --data) calls this after {@link parseDataFile}.
 */
export function requireLawLabels(data: DataSet, source = 'data'): DataSet {
  for (let i = 0; i < data.n; i++) {
    const v = data.y[i];
    if (!(Math.abs(v) <= 1)) throw new InputError(`data.y[${i + 1}]`, 'a label in [-1, 1] (the law is stated for labels in [-1, 1])', v, { context: source });
  }
  return data;
}
