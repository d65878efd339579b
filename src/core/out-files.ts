/**
 * Output files of the commands that write single files into a shared directory (search, bench): checked
 * before any work and written atomically under the directory's lock (./output-lock.ts); an existing file
 * of the same name is replaced only when it is one this kind of command wrote.
 * @module
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { InputError, show } from './input-error.js';
import { acquireLock, checkOutDir, guardFs, refuseLiveLock, statOrNull, type NoteSink } from './output-lock.js';


/** An output file of a command that writes single files (search, bench) into a shared directory. */
export interface OutFile {
  readonly name: string;
  /** Whether an existing file of this name is one this kind of command wrote (and so may be replaced). */
  readonly replaces: (old: string) => boolean;
  /** What such a file is, for the refusal. */
  readonly what: string;
}

/**
 * Checks, before any work, that `files` may be written into `dir`: the location ({@link checkOutDir}), no
 * live lock, and each existing file of those names a regular file this kind of command wrote.
 */
export function checkOutFiles(dir: string, files: readonly OutFile[], parameter = 'outDir'): void {
  const context = 'checkOutFiles';
  if (!checkOutDir(dir, parameter)) return;
  guardFs(dir, parameter, context, () => {
    refuseLiveLock(dir, parameter);
    for (const f of files) {
      const path = join(dir, f.name);
      const st = statOrNull(path);
      if (!st) continue;
      let ok = st.isFile();
      if (ok) {
        try {
          ok = f.replaces(readFileSync(path, 'utf8'));
        } catch {
          ok = false;
        }
      }
      if (!ok) throw new InputError(parameter, `a directory whose ${f.name}, if any, is ${f.what}`, dir, { context, shown: `${show(dir)}, whose ${f.name} is not ${f.what} (move it away)` });
    }
  });
}

/**
 * Writes output files into `dir` under its lock: checks as {@link checkOutFiles}, creates the directory, and
 * runs `write` (which writes the files, atomically), turning file-system errors into an InputError.
 */
export function withOutFiles<T>(dir: string, files: readonly OutFile[], write: () => T, parameter = 'outDir', note?: NoteSink): T {
  checkOutFiles(dir, files, parameter);
  guardFs(dir, parameter, 'withOutFiles', () => mkdirSync(dir, { recursive: true }));
  const release = acquireLock(dir, parameter, note);
  try {
    checkOutFiles(dir, files, parameter);
    return guardFs(dir, parameter, 'withOutFiles', write);
  } finally {
    release();
  }
}

/** Writes `files` (name and content) atomically into `dir` through {@link withOutFiles}; returns their paths. */
export function writeOutFiles(dir: string, files: readonly (OutFile & { readonly content: string })[], parameter = 'outDir'): string[] {
  return withOutFiles(dir, files, () => files.map((f) => {
    writeFileAtomic(join(dir, f.name), f.content);
    return join(dir, f.name);
  }), parameter);
}

/** Whether `text` is JSON with `format` (an {@link OutFile.replaces} for format-tagged files). */
export function hasFormat(format: string): (text: string) => boolean {
  return (text) => {
    try {
      return (JSON.parse(text) as { format?: unknown })?.format === format;
    } catch {
      return false;
    }
  };
}
