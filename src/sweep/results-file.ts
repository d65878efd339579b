import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { InputError, show } from '../core/input-error.js';
import { RECORD_FORMAT, type SweepRecord } from '../law/record.js';

/** What {@link readResults} found in a results file. */
export interface ResultsRead {
  readonly records: SweepRecord[];
  /** Bytes of a torn final line (an append cut off by a crash) that a repair would drop; 0 when clean. */
  readonly tornBytes: number;
  /** Length of the file's valid prefix (every complete line). */
  readonly validBytes: number;
}

/**
 * Reads `results.jsonl`: one record per line. A final line without its newline, or one that does not
 * parse, is a torn append (a crash between write and fsync) and is reported in `tornBytes`, not returned.
 * A bad line anywhere else is corruption the harness did not cause: a RangeError naming the line.
 */
export function readResults(path: string): ResultsRead {
  if (!existsSync(path)) return { records: [], tornBytes: 0, validBytes: 0 };
  const buf = readFileSync(path);
  const text = buf.toString('utf8');
  const records: SweepRecord[] = [];
  let pos = 0;
  let line = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    line++;
    const isLast = nl < 0 || nl === text.length - 1;
    const body = text.slice(pos, nl < 0 ? text.length : nl);
    let rec: SweepRecord | null = null;
    try {
      const v = JSON.parse(body) as SweepRecord;
      if (v && v.format === RECORD_FORMAT && typeof v.id === 'string' && Number.isInteger(v.index)) rec = v;
    } catch {
      rec = null;
    }
    if (nl < 0 || rec === null) {
      if (isLast) return { records, tornBytes: Buffer.byteLength(text.slice(pos)), validBytes: Buffer.byteLength(text.slice(0, pos)) };
      throw new InputError('path', `a file of ${RECORD_FORMAT} records, one per line (move a damaged file away to start over)`, path, { context: 'readResults', shown: `${show(path)}, whose line ${line} is not a record: the file was edited or damaged` });
    }
    records.push(rec);
    pos = nl + 1;
  }
  return { records, tornBytes: 0, validBytes: buf.length };
}

/** Drops a torn final line found by {@link readResults} (truncating to the valid prefix). */
export function repairResults(path: string, read: ResultsRead): void {
  if (read.tornBytes > 0) truncateSync(path, read.validBytes);
}

/**
 * Appends one record as one line with a single write, then fsyncs: a kill at any moment leaves every
 * earlier line intact and at most one torn final line, which {@link readResults} detects and a resume drops.
 */
export function appendRecord(path: string, record: SweepRecord): void {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, `${JSON.stringify(record)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
