/**
 * A package-lock.json for a fresh project that depends on the packed robustlaw tarball, cut from this
 * repository's own lock: `npm ci` fills npm's cache with the tarballs of exactly these versions, but not
 * with the registry's metadata, so an offline `npm install <tarball>` cannot resolve version ranges while
 * an offline `npm ci` from a complete lock can (every entry names its version and integrity).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  peer?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

interface Lock {
  name?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** The lock path a package `name` required from the package at `from` resolves to (Node's lookup upwards). */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return null;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/** What the fresh project declares: its dependencies (the tarball among them) and devDependencies. */
export interface ConsumerManifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

/**
 * The lock of `consumer`, whose dependency `robustlaw` is the tarball `file:<tarballName>` with this
 * repository's package.json (`manifest`) and integrity `integrity`. Every other package comes at the
 * version this repository's lock holds (it was installed and cached by `npm ci`). Optional dependencies
 * are left out when `omitOptional` (the install then runs with --omit=optional).
 */
export function consumerLock(repoRoot: string, consumer: ConsumerManifest, tarballName: string, integrity: string, omitOptional = true): Lock {
  const repo = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as LockEntry & { name: string; bin?: Record<string, string> };
  const src = repo.packages;
  const out: Record<string, LockEntry> = {
    '': { name: consumer.name, version: consumer.version, dependencies: consumer.dependencies, devDependencies: consumer.devDependencies },
    'node_modules/robustlaw': {
      version: manifest.version,
      resolved: `file:${tarballName}`,
      integrity,
      license: manifest.license,
      dependencies: manifest.dependencies,
      ...(manifest.optionalDependencies ? { optionalDependencies: manifest.optionalDependencies } : {}),
      ...(manifest.peerDependencies ? { peerDependencies: manifest.peerDependencies, peerDependenciesMeta: manifest.peerDependenciesMeta } : {}),
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  // the packages a consumer's install needs, from the repository's tree (hoisted the same way)
  const queue: { from: string; deps: Record<string, string>; optional: boolean; peer: boolean }[] = [];
  const push = (from: string, e: LockEntry) => {
    queue.push({ from, deps: e.dependencies ?? {}, optional: false, peer: false });
    if (!omitOptional) queue.push({ from, deps: e.optionalDependencies ?? {}, optional: true, peer: false });
    const required = Object.fromEntries(Object.entries(e.peerDependencies ?? {}).filter(([k]) => !e.peerDependenciesMeta?.[k]?.optional));
    queue.push({ from, deps: required, optional: false, peer: true });
  };
  push('', { dependencies: { ...consumer.dependencies, ...consumer.devDependencies } });
  push('node_modules/robustlaw', out['node_modules/robustlaw']);
  while (queue.length > 0) {
    const { from, deps, optional } = queue.shift()!;
    for (const name of Object.keys(deps)) {
      if (name === 'robustlaw') continue;
      const at = resolveIn(src, from === 'node_modules/robustlaw' ? '' : from, name);
      if (at === null) {
        if (optional) continue;
        throw new Error(`consumerLock: ${name} (needed by ${from || 'the project'}) is not in this repository's package-lock.json`);
      }
      if (out[at]) continue;
      const entry: LockEntry = { ...src[at] };
      delete entry.dev;
      delete entry.devOptional;
      delete entry.peer;
      if (!omitOptional || !entry.optional) {
        out[at] = entry;
        push(at, entry);
      }
    }
  }
  return { name: consumer.name, lockfileVersion: 3, requires: true, packages: out };
}
