import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { appendStepSummary } from '../../src/cli/step-summary.js';
import { cli } from '../cli/helpers.js';

describe('GITHUB_STEP_SUMMARY', () => {
  test('appendStepSummary appends when the variable names a file, and does nothing when it is unset or empty', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'robustlaw-summary-')), 'summary.md');
    expect(appendStepSummary('# a', {})).toBeNull();
    expect(appendStepSummary('# a', { GITHUB_STEP_SUMMARY: '' })).toBeNull();
    expect(existsSync(file)).toBe(false);
    expect(appendStepSummary('# a\n\n\n', { GITHUB_STEP_SUMMARY: file })).toBe(file);
    appendStepSummary('# b', { GITHUB_STEP_SUMMARY: file });
    expect(readFileSync(file, 'utf8')).toBe('# a\n\n# b\n\n');
  });

  test('sweep, verify and bench append their Markdown summaries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustlaw-summary-'));
    const file = join(dir, 'summary.md');
    const env = { GITHUB_STEP_SUMMARY: file };
    const sweep = cli(['sweep', '--class', 'linear,bumps', '--n', '20', '--d', '4', '--seeds', '1', '--starts', '2', '--steps', '5', '--backend', 'cpu', '--no-report', '--out', join(dir, 'sweep')], 120_000, env);
    expect(sweep.code, sweep.stderr).toBe(0);
    const verify = cli(['verify', '--count', '1', '--seed', '3', '--backend', 'cpu'], 120_000, env);
    expect(verify.code, verify.stderr).toBe(0);
    const bench = cli(['bench', '--backend', 'cpu', '--kernel', 'matmul', '--small', '--iterations', '2', '--out', join(dir, 'bench')], 120_000, env);
    expect(bench.code, bench.stderr).toBe(0);
    const md = readFileSync(file, 'utf8');
    expect(md).toMatch(/^## robustlaw sweep\n\n2 instances in `[^`]+`; smallest R over the law's regime [\d.]+ \(tau = 0\.25\)\.\n\n\*\*No certified counterexample\.\*\*\n\n\| class \| instances \| in regime \|/);
    expect(md).toContain('| bumps | 1 | 1 | 1 | 0 | 0 |');
    expect(md).toMatch(/## robustlaw verify \(profile quick, seed 3\)\n\n1 instances in `\(not written\)`/);
    expect(md).toMatch(/## robustlaw bench\n\n\| case \| backend \| mode \| median ms \|[^\n]*\n\|[-|]+\n\| matmul-128 \| cpu \|/);
  }, 300_000);
});
