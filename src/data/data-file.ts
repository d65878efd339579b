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

/**
 * The data format of `robustlaw check-model --data` (robustlaw-data/1):
 * ```json
 * { "format": "robustlaw-data/1", "X": [[x11, ..., x1d], ...], "y": [y1, ...], "sigma2": 1 }
 * ```
 * `X` has n rows of d finite numbers, `y` n finite numbers; `sigma2` (the label noise variance) is optional.
 * Throws a TypeError/RangeError naming the field, row and column.
 */
export function parseDataFile(json: unknown, source = 'data'): DataSet {
  const fail = (msg: string): never => {
    throw new RangeError(`${source}: ${msg}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TypeError(`${source}: must be a JSON object with "X" and "y"`);
  const o = json as Record<string, unknown>;
  if (o.format !== undefined && o.format !== 'robustlaw-data/1') fail(`format must be "robustlaw-data/1" (got ${JSON.stringify(o.format)})`);
  if (!Array.isArray(o.X) || o.X.length === 0) fail('X must be a non-empty array of rows (missing X)');
  const rows = o.X as unknown[];
  if (!Array.isArray(rows[0]) || rows[0].length === 0) fail('X must be an array of non-empty rows (arrays of numbers)');
  const n = rows.length;
  const d = (rows[0] as unknown[]).length;
  const X = new Float64Array(n * d);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== d) fail(`X row ${i + 1} must have ${d} numbers like row 1 (got ${Array.isArray(row) ? row.length : typeof row})`);
    (row as unknown[]).forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`X[${i + 1}][${j + 1}] must be a finite number (got ${JSON.stringify(v)})`);
      X[i * d + j] = v as number;
    });
  });
  if (!Array.isArray(o.y) || o.y.length !== n) fail(`y must be an array of n = ${n} numbers (got ${Array.isArray(o.y) ? `${o.y.length} values` : 'none'})`);
  const y = Float64Array.from(o.y as unknown[], (v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`y[${i + 1}] must be a finite number (got ${JSON.stringify(v)})`);
    return v as number;
  });
  if (o.sigma2 !== undefined && !(typeof o.sigma2 === 'number' && Number.isFinite(o.sigma2) && o.sigma2 >= 0)) fail(`sigma2 must be a finite number >= 0 (got ${JSON.stringify(o.sigma2)})`);
  return { X, y, n, d, ...(o.sigma2 !== undefined ? { sigma2: o.sigma2 as number } : {}) };
}
