import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedAsDependency, packageRoot, tfjsNodeSetupCommand } from '../../src/core/package-root.js';

describe("robustlaw's own location, for hints that name commands which exist where the user is", () => {
  it('in this checkout: the repository root, not installed, the npm script', () => {
    expect(packageRoot()).toBe(join(import.meta.dirname, '..', '..'));
    expect(installedAsDependency()).toBe(false);
    expect(tfjsNodeSetupCommand()).toBe('npm run setup:tfjs-node');
  });
  it("installed under a project's node_modules: the shipped script, relative to the working directory", () => {
    expect(installedAsDependency('/home/u/proj/node_modules/robustlaw')).toBe(true);
    expect(tfjsNodeSetupCommand('/home/u/proj/node_modules/robustlaw', '/home/u/proj')).toBe('node node_modules/robustlaw/scripts/setup-tfjs-node.mjs');
    expect(tfjsNodeSetupCommand('/home/u/proj/node_modules/robustlaw', '/home/u/proj/sub')).toBe('node ../node_modules/robustlaw/scripts/setup-tfjs-node.mjs');
    // a folder merely named like one is not node_modules
    expect(installedAsDependency('/home/u/my_node_modules_notes/robustlaw')).toBe(false);
  });
});
