/**
 * The one writer of output locations: every run directory (sweep, verify, merge, report) and every output
 * file (search, bench) is checked and written here.
 *
 * - The location is checked before any work ({@link checkOutDir}): a non-empty path that is a directory, or
 *   can be created as one, and is writable. File-system errors become an {@link InputError} about the
 *   output parameter (`outDir` by default), never a stack trace.
 * - A run directory owns exactly the files it created: its `sweep.json` lists them (`files`, relative
 *   paths), and the list is updated atomically before each new file is created. A directory is written only
 *   when it is absent, empty, or holds the same run (same kind and spec, and for a run the same shard), and
 *   never when it holds a file its `sweep.json` does not list. `replace` deletes only the listed files.
 * - A lock (`.robustlaw.lock`, created with O_EXCL, holding the pid and start time) is held while writing;
 *   a second writer is refused, naming the holder's pid. A lock whose process is gone is stale and taken
 *   over with a one-line note, and so is one naming this process's own pid that it does not hold (left by a
 *   killed container whose robustlaw had the same pid, e.g. pid 1, in its own pid namespace). The lock is
 *   removed when the writer is done, on exit and on SIGINT/SIGTERM.
 * @module
 */
import { accessSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { InputError, show } from '../core/input-error.js';
import { readManifest, sameExperiment, type SweepManifest } from './manifest.js';
import { canonicalJson } from './spec.js';

/** The lock file held in a directory while it is written. */
export const LOCK_FILE = '.robustlaw.lock';
/** The manifest of a run directory. */
export const MANIFEST_FILE = 'sweep.json';
/** What a manifest without a `files` list (written before the list existed) is taken to own. */
export const LEGACY_FILES = ['results.jsonl', 'summary.json', 'report.md', 'report.html', ...['lipschitz', 'law', 'ratio', 'slopes', 'bench'].map((p) => `plots/${p}.svg`)] as const;
/** A temporary file of {@link writeFileAtomic}: `.<name>.<pid>.<ms>.tmp`. */
const TMP = /^\.(.+)\.\d+\.\d+\.tmp$/;

/** What a lock file holds. */
export interface LockInfo {
  readonly pid: number;
  /** ISO time the lock was taken. */
  readonly started: string;
}

/** Turns a file-system error under `dir` into an InputError about `parameter`; anything else is rethrown. */
function fsError(e: unknown, parameter: string, dir: string, context: string): never {
  const err = e as NodeJS.ErrnoException;
  if (err instanceof InputError || typeof err?.code !== 'string') throw e;
  const why: Record<string, string> = { ENOTDIR: 'a path through a file', EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'a read-only file system', ENOSPC: 'no space left on the device', EDQUOT: 'disk quota exceeded', EISDIR: 'a directory where a file goes', ENAMETOOLONG: 'a name too long', ENOENT: 'a path that does not exist', EEXIST: 'a file that already exists' };
  throw new InputError(parameter, 'a writable directory', dir, { context, shown: `${show(dir)}: ${why[err.code] ?? err.code}${err.path && resolve(err.path) !== resolve(dir) ? ` at ${show(err.path)}` : ''} (${err.code})` });
}

/** Runs `fn`, turning file-system errors into an InputError about `parameter` naming `dir`. */
export function guardFs<T>(dir: string, parameter: string, context: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    return fsError(e, parameter, dir, context);
  }
}

/**
 * Checks an output location before any work: a non-empty path that is a writable directory, or whose
 * nearest existing ancestor is a writable directory (so that it can be created). Throws an InputError
 * about `parameter` naming the path; returns whether the directory exists.
 */
export function checkOutDir(dir: unknown, parameter = 'outDir'): boolean {
  const context = 'checkOutDir';
  if (typeof dir !== 'string' || dir.trim() === '') throw new InputError(parameter, 'a directory path', dir, { context });
  if (dir.includes('\0')) throw new InputError(parameter, 'a directory path', dir, { context, shown: `${show(dir)}, which holds a NUL character` });
  return guardFs(dir, parameter, context, () => {
    let at = dir;
    for (;;) {
      const st = statOrNull(at);
      if (st) {
        if (!st.isDirectory()) {
          throw new InputError(parameter, 'a directory (or a path where one can be created)', dir, { context, shown: at === dir ? `${show(dir)}, which is a file` : `${show(dir)}, under ${show(at)}, which is a file` });
        }
        try {
          accessSync(at, constants.W_OK | constants.X_OK);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code ?? 'EACCES';
          throw new InputError(parameter, 'a writable directory', dir, { context, shown: `${show(dir)}${at === dir ? '' : `, under ${show(at)}`}, which is not writable (${code})` });
        }
        return at === dir;
      }
      const up = dirname(at);
      if (up === at) return false;
      at = up;
    }
  });
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
}

/** The lock of `dir` (null when none), whether its holder is alive, and the raw text when unreadable. */
function readLock(dir: string): { info: LockInfo | null; alive: boolean } | null {
  const path = join(dir, LOCK_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let info: LockInfo | null = null;
  try {
    const v = JSON.parse(text) as LockInfo;
    if (Number.isInteger(v?.pid) && v.pid > 0) info = v;
  } catch {
    info = null;
  }
  if (info === null) {
    // a lock being written this instant, or left half written: stale after a few seconds
    let age: number;
    try {
      age = Date.now() - lstatSync(path).mtimeMs;
    } catch {
      return null;
    }
    return { info: null, alive: age < 5000 };
  }
  // a lock naming this very process that it does not hold was left by an earlier process with the same pid in
  // another pid namespace: a container restarted, or a Kubernetes pod rerun, where robustlaw is pid 1 each time
  return { info, alive: info.pid === process.pid ? held.has(path) : pidAlive(info.pid) };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockRefusal(dir: string, parameter: string, lock: { info: LockInfo | null }): InputError {
  const who = lock.info ? `pid ${lock.info.pid} (since ${lock.info.started})` : 'another process';
  return new InputError(parameter, 'a directory no other robustlaw run is writing', dir, { context: 'lock', shown: `${show(dir)}, locked by ${who}; wait for it, or remove ${join(dir, LOCK_FILE)} if that process is not robustlaw` });
}

const held = new Set<string>();
let handlersOn = false;
function releaseAll(): void {
  for (const p of held) {
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
  held.clear();
}
function onSignal(signal: NodeJS.Signals): void {
  releaseAll();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  handlersOn = false;
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
function watchExit(): void {
  if (handlersOn) return;
  handlersOn = true;
  process.once('exit', releaseAll);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Notes of the writer (a stale lock taken over): one line each, to stderr unless given. */
export type NoteSink = (line: string) => void;
const stderrNote: NoteSink = (line) => void process.stderr.write(`${line}\n`);

/**
 * Takes the lock of the existing directory `dir`: refuses a live holder naming its pid, takes over a stale
 * one with a note. Returns the release function (idempotent).
 */
export function acquireLock(dir: string, parameter = 'outDir', note: NoteSink = stderrNote): () => void {
  const path = join(dir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, started: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return fsError(e, parameter, dir, 'lock');
      const lock = guardFs(dir, parameter, 'lock', () => readLock(dir));
      if (lock === null) continue;
      if (lock.alive || attempt > 2) throw lockRefusal(dir, parameter, lock);
      guardFs(dir, parameter, 'lock', () => rmSync(path, { force: true }));
      note(`${show(dir)}: took over a stale lock of ${lock.info ? `pid ${lock.info.pid} (since ${lock.info.started})` : 'an unknown process'}, which is no longer running`);
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(info)}\n`);
    } finally {
      closeSync(fd);
    }
    held.add(path);
    watchExit();
    return () => {
      if (!held.delete(path)) return;
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    };
  }
}

/** The files a manifest owns (relative paths), besides `sweep.json` itself. */
export function ownedFiles(m: SweepManifest): readonly string[] {
  return m.files ?? LEGACY_FILES;
}

/** Every file under `dir` (relative paths, `/`-separated), directories left out. */
function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out;
}

/** Whether `rel` is a leftover temporary file of an atomic write of one of `owned`. */
function isOwnTmp(rel: string, owned: ReadonlySet<string>): boolean {
  const slash = rel.lastIndexOf('/');
  const m = TMP.exec(rel.slice(slash + 1));
  return m !== null && owned.has(`${rel.slice(0, slash + 1)}${m[1]}`);
}

/** The files of `dir` that are not the run's own: neither listed in `m` (null: no manifest) nor its manifest, lock or temporary files. */
function foreignFiles(dir: string, m: SweepManifest | null): string[] {
  const owned = new Set<string>(m ? [MANIFEST_FILE, ...ownedFiles(m)] : []);
  return listFiles(dir).filter((f) => f !== LOCK_FILE && !owned.has(f) && !isOwnTmp(f, owned));
}

/** What a run writes to its directory: the experiment it is, to compare with what the directory holds. */
export interface RunIdentity {
  readonly kind: SweepManifest['kind'];
  readonly spec: SweepManifest['spec'];
  readonly shard: SweepManifest['shard'];
  /** A merge of shards (its directory must hold a merge of the same experiment, not a run). */
  readonly merged?: boolean;
}

/** Options of {@link checkRunDir} and {@link openRunDir}. */
export interface RunDirOptions {
  /** When the directory holds another run, delete the files its manifest lists and start over. */
  readonly replace?: boolean;
  /** The library's name of the directory input in errors (default `outDir`). */
  readonly parameter?: string;
  /** Where the note of a stale lock goes (default stderr). */
  readonly note?: NoteSink;
}

/** What {@link checkRunDir} found: whether the directory exists, its manifest, and whether the run continues it. */
export interface RunDirState {
  readonly exists: boolean;
  readonly old: SweepManifest | null;
  /** `resume`: the same run; `replace`: another run whose listed files are deleted first; `new`: nothing there. */
  readonly action: 'new' | 'resume' | 'replace';
}

function describeRun(m: SweepManifest): string {
  return `${m.mergedFrom ? 'a merge of a' : m.kind === 'sweep' && m.shard.count > 1 ? `shard ${m.shard.index}/${m.shard.count} of a` : 'a'} ${m.kind}`;
}

/**
 * Checks, reading only, whether a run of `want` may write `dir` (null `want`: whatever run `dir` holds, which
 * must have a manifest, as for a report): the location ({@link checkOutDir}), no live lock, no file its
 * manifest does not list, and the same run unless `replace`. Throws an InputError about the directory.
 */
export function checkRunDir(dir: string, want: RunIdentity | null, options: RunDirOptions = {}): RunDirState {
  const parameter = options.parameter ?? 'outDir';
  const context = 'checkRunDir';
  const exists = checkOutDir(dir, parameter);
  if (!exists) {
    if (want === null) throw new InputError(parameter, 'a sweep, merge or verify output directory', dir, { context, shown: `${show(dir)}, which does not exist` });
    return { exists, old: null, action: 'new' };
  }
  return guardFs(dir, parameter, context, () => {
    const lock = held.has(join(dir, LOCK_FILE)) ? null : readLock(dir);
    if (lock?.alive) throw lockRefusal(dir, parameter, lock);
    const old = readManifest(dir, parameter);
    const foreign = foreignFiles(dir, old);
    const list = (fs: readonly string[]) => `${fs.slice(0, 3).join(', ')}${fs.length > 3 ? ` and ${fs.length - 3} more` : ''}`;
    if (!old) {
      if (want === null) throw new InputError(parameter, 'a sweep, merge or verify output directory', dir, { context, shown: `${show(dir)}, which has no ${MANIFEST_FILE}` });
      if (foreign.length > 0) throw new InputError(parameter, 'an empty or new directory, or one holding this same run', dir, { context, shown: `${show(dir)}, which holds files no run created (${list(foreign)})` });
      return { exists, old, action: 'new' };
    }
    if (foreign.length > 0) throw new InputError(parameter, 'a directory holding only the files of its run', dir, { context, shown: `${show(dir)}, which holds files its ${MANIFEST_FILE} does not list (${list(foreign)}); move them away` });
    if (want === null) return { exists, old, action: 'resume' };
    const sameShard = canonicalJson(old.shard) === canonicalJson(want.shard);
    const same = sameExperiment(old, { ...old, kind: want.kind, spec: want.spec }) && (want.merged ? old.mergedFrom !== undefined : old.mergedFrom === undefined && sameShard);
    if (same) return { exists, old, action: 'resume' };
    if (options.replace) return { exists, old, action: 'replace' };
    const wantWhat = want.merged ? `a merge of this same ${want.kind}` : `a run of this same ${want.kind}${want.kind === 'sweep' ? ' and shard' : ''}`;
    const of = sameExperiment(old, { ...old, kind: want.kind, spec: want.spec }) ? ' of this spec' : old.kind === want.kind ? ' of another spec' : '';
    throw new InputError(parameter, `a new directory or ${wantWhat}`, dir, { context, shown: `${show(dir)}, which holds ${describeRun(old)}${of} (see its ${MANIFEST_FILE})` });
  });
}

/** An open run directory: its manifest (with the list of files it owns) and its lock. */
export interface RunDir {
  readonly dir: string;
  /** The manifest as on disk (the list grows as files are created). */
  readonly manifest: SweepManifest;
  /** What the directory held when opened (null: nothing) and what the run does with it. */
  readonly state: RunDirState;
  /** The absolute-or-relative path of a file of the run. */
  path(rel: string): string;
  /** Adds `rel` to the manifest's list (written atomically) before the file is created. */
  own(rel: string): void;
  /** Writes a file of the run atomically, listing it first. */
  writeFile(rel: string, content: string): string;
  /** Runs `fn` (which writes files of this directory), turning file-system errors into an InputError. */
  guard<T>(fn: () => T): T;
  /** Releases the lock (idempotent). */
  close(): void;
}

/** Options of {@link openRunDir}. */
export interface OpenRunDirOptions extends RunDirOptions {
  /** The run to write (`format`, kind, spec, shard, ...): written as the manifest when the directory is new or replaced. Absent: the directory must hold a run, which is kept (a report). */
  readonly manifest?: SweepManifest;
  /** A merge (see {@link RunIdentity.merged}). */
  readonly merged?: boolean;
  /** Called with the manifest of the same run found there: throw to refuse continuing it, return true to
   * replace it (only asked with `replace`), false to continue it. */
  readonly continues?: (old: SweepManifest) => boolean;
}

/**
 * Opens a run directory for writing: checks it as {@link checkRunDir} does, creates it, takes its lock,
 * deletes the listed files of another run when replacing, and writes the manifest of a new run (with an
 * empty list of files). Call `close()` when done (also done on exit).
 */
export function openRunDir(dir: string, options: OpenRunDirOptions = {}): RunDir {
  const parameter = options.parameter ?? 'outDir';
  const context = 'openRunDir';
  const want: RunIdentity | null = options.manifest ? { kind: options.manifest.kind, spec: options.manifest.spec, shard: options.manifest.shard, merged: options.merged } : null;
  checkRunDir(dir, want, options);
  const created = !existsSync(dir);
  guardFs(dir, parameter, context, () => mkdirSync(dir, { recursive: true }));
  const release = acquireLock(dir, parameter, options.note);
  try {
    let state = checkRunDir(dir, want, options);
    if (state.action === 'resume' && state.old && options.continues?.(state.old)) state = { ...state, action: 'replace' };
    let manifest: SweepManifest;
    guardFs(dir, parameter, context, () => {
      if (state.old) {
        const owned = new Set([MANIFEST_FILE, ...ownedFiles(state.old)]);
        for (const f of listFiles(dir)) if (isOwnTmp(f, owned)) rmSync(join(dir, f), { force: true });
      }
      if (state.action === 'replace' && state.old) {
        for (const f of ownedFiles(state.old)) rmSync(join(dir, f), { force: true });
        rmSync(join(dir, MANIFEST_FILE), { force: true });
        if (existsSync(join(dir, 'plots')) && readdirSync(join(dir, 'plots')).length === 0) rmdirSync(join(dir, 'plots'));
      }
    });
    if (state.action === 'resume' && state.old) {
      manifest = state.old.files ? state.old : { ...state.old, files: LEGACY_FILES.filter((f) => existsSync(join(dir, f))) };
    } else {
      manifest = { ...options.manifest!, files: [] };
    }
    if (manifest !== state.old) guardFs(dir, parameter, context, () => writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`));
    const run: RunDir = {
      dir,
      get manifest() {
        return manifest;
      },
      state,
      path: (rel) => join(dir, rel),
      own(rel) {
        if (manifest.files!.includes(rel)) return;
        manifest = { ...manifest, files: [...manifest.files!, rel] };
        guardFs(dir, parameter, context, () => writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`));
      },
      writeFile(rel, content) {
        run.own(rel);
        guardFs(dir, parameter, context, () => writeFileAtomic(join(dir, rel), content));
        return join(dir, rel);
      },
      guard: (fn) => guardFs(dir, parameter, context, fn),
      close: release,
    };
    return run;
  } catch (e) {
    release();
    if (created) {
      try {
        rmdirSync(dir);
      } catch {
        // not empty: keep it
      }
    }
    throw e;
  }
}

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
    const lock = held.has(join(dir, LOCK_FILE)) ? null : readLock(dir);
    if (lock?.alive) throw lockRefusal(dir, parameter, lock);
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
