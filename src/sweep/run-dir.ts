/**
 * The one writer of run directories (sweep, verify, merge, report); the lock and the output location's
 * checks it takes are ../core/output-lock.ts, the single output files of search and bench ../core/out-files.ts.
 *
 * - A run directory owns exactly the files it created: its `sweep.json` lists them (`files`, relative
 *   paths), and the list is updated atomically before each new file is created. A directory is written only
 *   when it is absent, empty, or holds the same run (same kind and spec, and for a run the same shard), and
 *   never when it holds a file its `sweep.json` does not list. `replace` deletes only the listed files.
 * - The location is checked before any work ({@link checkOutDir}) and the directory's lock is held while
 *   writing ({@link acquireLock}).
 * @module
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { InputError, show } from '../core/input-error.js';
import { acquireLock, checkOutDir, guardFs, LOCK_FILE, refuseLiveLock, type NoteSink } from '../core/output-lock.js';
import { readManifest, sameExperiment, type SweepManifest } from './manifest.js';
import { canonicalJson } from './spec.js';

/** The manifest of a run directory. */
export const MANIFEST_FILE = 'sweep.json';
/** What a manifest without a `files` list (written before the list existed) is taken to own. */
export const LEGACY_FILES = ['results.jsonl', 'summary.json', 'report.md', 'report.html', ...['lipschitz', 'law', 'ratio', 'slopes', 'bench'].map((p) => `plots/${p}.svg`)] as const;
/** A temporary file of {@link writeFileAtomic}: `.<name>.<pid>.<ms>.tmp`. */
const TMP = /^\.(.+)\.\d+\.\d+\.tmp$/;


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
    refuseLiveLock(dir, parameter);
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