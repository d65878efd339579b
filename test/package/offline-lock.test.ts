import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { consumerLock } from './offline-lock.js';

const ROOT = join(import.meta.dirname, '..', '..');
const consumer = { name: 'c', version: '1.0.0', dependencies: { robustlaw: 'file:r.tgz' }, devDependencies: { vitest: '4.1' } };

describe('the consumer lock cut from this repository', () => {
  test("holds robustlaw's runtime dependencies and the consumer's, not the optional peers or the dev tools", () => {
    const lock = consumerLock(ROOT, consumer, 'r.tgz', 'sha512-x', false);
    const keys = Object.keys(lock.packages);
    expect(lock.packages['node_modules/robustlaw']).toMatchObject({ resolved: 'file:r.tgz', integrity: 'sha512-x' });
    for (const k of ['node_modules/zod', 'node_modules/vega', 'node_modules/@tensorflow/tfjs-core', 'node_modules/tinybench', 'node_modules/vitest']) expect(keys).toContain(k);
    for (const k of ['node_modules/tsx', 'node_modules/gpu.js', 'node_modules/eslint', 'node_modules/typescript']) expect(keys).not.toContain(k);
    expect(Object.values(lock.packages).some((e) => e.dev === true)).toBe(false);
  });

  test('a dependency this repository never installed is refused by name (known bad input)', () => {
    expect(() => consumerLock(ROOT, { ...consumer, devDependencies: { 'no-such-package-robustlaw': '1.0.0' } }, 'r.tgz', 'sha512-x')).toThrow(/no-such-package-robustlaw \(needed by the project\) is not in this repository's package-lock\.json/);
  });
});
