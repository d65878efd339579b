import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/input-error.js';
import { readFileBytes, readStructuredFile } from '../../core/read-file.js';
import { checkLipResult, isLipResult, type BoundCheck } from '../../check/lip-record.js';
import { checkRecord, parseCertificate } from '../../check/record.js';
import { readNetworkFile } from '../../models/formats/read-network.js';
import { naming } from '../errors.js';

interface CheckFlags {
  json?: boolean;
  verbose?: boolean;
}

/** Whether the path is a directory. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A results.jsonl line as a record object (an input error naming the file otherwise). */
function parseRecordLine(line: string, file: string, fn: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    json = null;
  }
  if (typeof json !== 'object' || json === null || (json as Record<string, unknown>).format !== 'robustlaw-record/1') throw new InputError('<files...>', 'a results.jsonl of robustlaw-record/1 lines', file, { context: fn, shown: `${file}: a line that is not a record` });
  return json as Record<string, unknown>;
}

/** A record's certificate file, parsed, or why it cannot be read. */
function certificateAt(path: string): Record<string, unknown> | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return `its certificate file ${path} cannot be read`;
  }
  return parseCertificate(text);
}

/**
 * `robustlaw check FILE...`: re-checks every bound of saved results from their files alone, by the
 * independent checker (src/check/, docs/science.md, "The independent checker"). Prints per bound checked,
 * rejected (what failed) or not checkable (why); exit 1 on any rejection.
 */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('re-check the bounds and verdicts of saved results from their files, by the independent checker')
    .argument('<files...>', 'run directories written with --certificates (or their results.jsonl), search counterexample files, and the JSON that `lip --model ... --json` prints')
    .option('--json', 'machine-readable output')
    .option('--verbose', 'print every check, not only those that are not checked')
    .action((files: string[], flags: CheckFlags) => {
      const fn = 'robustlaw check';
      const all: (BoundCheck & { file: string })[] = [];
      for (const file of files) {
        // a run directory or its results.jsonl: every record against its certificate file
        const results = isDirectory(file) ? join(file, 'results.jsonl') : file.endsWith('.jsonl') ? file : null;
        if (results !== null) {
          const text = Buffer.from(readFileBytes(results, '<files...>', 'a run directory with a results.jsonl, or a results.jsonl', fn)).toString('utf8');
          const dir = dirname(results);
          for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
            const record = naming({ path: '<files...>' }, () => parseRecordLine(line, results, fn));
            const cert = typeof record.certificate !== 'string' ? 'the record has no certificate (run with --certificates)' : certificateAt(join(dir, record.certificate));
            for (const c of checkRecord(record, cert)) all.push({ file: results, ...c });
          }
          continue;
        }
        // a file that cannot be read, or is no result, is named as the argument that gave it
        const json = naming({ path: '<files...>' }, () => readStructuredFile(file, fn));
        // check-model's JSON with its certificate inline
        const doc = json as { format?: unknown; record?: Record<string, unknown> | null; certificate?: unknown };
        const cm = json as { model?: unknown; data?: unknown };
        if (typeof doc?.record === 'object' && doc.record !== null && doc.format === undefined && typeof cm.model === 'string' && typeof cm.data === 'string') {
          const cert = typeof doc.certificate === 'object' && doc.certificate !== null ? parseCertificate(JSON.stringify(doc.certificate)) : 'check-model gives a certificate for a network of one output with exact weights judged on the ambient d only';
          for (const c of checkRecord(doc.record, cert)) all.push({ file, ...c });
          continue;
        }
        // a search's counterexample file: its minimal instance's record, with the certificate beside it
        if (doc?.format === 'robustlaw-counterexample/1' && typeof doc.record === 'object' && doc.record !== null) {
          const rec = doc.record;
          const cert = typeof rec.certificate !== 'string' ? 'the record has no certificate (search with --certificates)' : certificateAt(join(dirname(file), rec.certificate));
          for (const c of checkRecord(rec, cert)) all.push({ file, ...c });
          continue;
        }
        if (!isLipResult(json)) throw new InputError('<files...>', 'a run directory (--certificates), its results.jsonl, a search\'s counterexample file, or the JSON of `lip --model ... --json` or `check-model ... --json`', file, { context: fn, shown: `${file}: neither a run nor a lip --model result` });
        // the model path as lip was given it: from the current folder, else beside the result
        const model = json.model as string;
        const path = existsSync(model) ? model : join(dirname(file), model);
        const net = naming({ path: '<files...>' }, () => readNetworkFile(path, `${fn} (the model of ${file})`));
        for (const c of checkLipResult(json, net)) all.push({ file, ...c });
      }
      const rejected = all.filter((c) => c.status === 'rejected').length;
      const checked = all.filter((c) => c.status === 'checked').length;
      const open = all.length - rejected - checked;
      // per record (file and record name): rejected if any of its checks is, checked if all are
      const records = new Map<string, BoundCheck['status'][]>();
      for (const c of all) records.set(`${c.file}\u0000${c.record}`, [...(records.get(`${c.file}\u0000${c.record}`) ?? []), c.status]);
      const per = [...records.values()].map((s) => (s.includes('rejected') ? 'rejected' : s.every((v) => v === 'checked') ? 'checked' : 'not checkable'));
      const count = (s: string) => per.filter((v) => v === s).length;
      const recordLine = `${records.size} records: ${count('checked')} checked, ${count('rejected')} rejected, ${count('not checkable')} not checkable`;
      if (flags.json) process.stdout.write(`${JSON.stringify({ records: { total: records.size, checked: count('checked'), rejected: count('rejected'), notCheckable: count('not checkable') }, checked, rejected, notCheckable: open, bounds: all }, null, 2)}\n`);
      else {
        for (const c of all) if (c.status !== 'checked' || flags.verbose) process.stdout.write(`${c.file}  ${c.record}  ${c.bound} ${c.value ?? '-'}  ${c.status}: ${c.detail}\n`);
        process.stdout.write(`${recordLine} (${checked} bounds and verdicts checked, ${rejected} rejected, ${open} not checkable)\n`);
      }
      if (rejected > 0) process.exitCode = 1;
    });
}
