/**
 * The lock of an output location, shared by every command that writes (run directories, search and bench
 * output files): `.robustlaw.lock`, created with O_EXCL and holding the pid and start time, held while
 * writing. A second writer is refused, naming the holder's pid. A lock whose process is gone is stale and
 * taken over with a one-line note, and so is one naming this process's own pid that it does not hold (left by
 * a killed container whose robustlaw had the same pid, e.g. pid 1, in its own pid namespace). The lock is
 * removed when the writer is done, on exit and on SIGINT/SIGTERM. Also here: the output location's check
 * before any work ({@link checkOutDir}) and the file-system errors turned into an InputError about it.
 * @module
 */
import { accessSync, closeSync, constants, lstatSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError, show } from './input-error.js';

/** The lock file held in a directory while it is written. */
export const LOCK_FILE = '.robustlaw.lock';

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

/** stat, or null when the path (or a folder on it) does not exist. */
export function statOrNull(path: string): ReturnType<typeof statSync> | null {
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
/** Refuses `dir` when another live process holds its lock (this process's own lock is not a refusal). */
export function refuseLiveLock(dir: string, parameter: string): void {
  const lock = held.has(join(dir, LOCK_FILE)) ? null : readLock(dir);
  if (lock?.alive) throw lockRefusal(dir, parameter, lock);
}
