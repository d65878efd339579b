/**
 * Size limits and overflow refusals through the CLI (issue 13, sections 4 and 5): each repro exits 2 with
 * one line naming the flag, before any work, and writes nothing.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'robustlaw-limits-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const layer = (w: number[][], b: number[]) => ({ weights: w, biases: b });
const deepNet = file('deep-net.json', { format: 'robustlaw-mlp/1', activation: 'relu', layers: Array.from({ length: 201 }, () => layer([[100]], [0])) });
const hugeNet = file('huge-net.json', { format: 'robustlaw-mlp/1', activation: 'relu', layers: [layer([[1e308, 1]], [0])] });
const hugeLabels = file('huge-labels.json', { X: [[0.1, 0.2], [0.3, 0.1]], y: [1e308, 0] });
const deepJson = file('deep.json', `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
const bigSpec = file('big-spec.json', { class: 'random-features', n: 1_000_000, d: 100_000 });
const bigGrid = file('big-grid.json', { class: 'linear', n: Array.from({ length: 100 }, (_, i) => i + 2), d: Array.from({ length: 100 }, (_, i) => i + 1), seeds: 100 });
const hugeString = file('huge-string.json', { X: [['x'.repeat(100_000)]], y: [1] });

let stdout = '';

/** Runs the CLI in this process (the shared runner); returns the exit code and everything written to stderr. */
async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const r = await runCli(args);
  stdout = r.stdout;
  return { code: r.code, stderr: r.stderr };
}

describe('refused before any work: exit 2, one line naming the flag, nothing written', () => {
  const out = (name: string) => join(dir, `out-${name}`);
  it.each([
    ['verify --count 1e9', ['verify', '--count', '1e9', '--seed', '1', '--out', out('verify')], /^robustlaw: --count must be an integer in \[1, 10000\] \(got 1000000000\)$/],
    ['fit --n 1e9', ['fit', '--n', '1e9'], /^robustlaw: --n must be small enough for the instance to fit in memory \(random-features with n = 1000000000, .* needs about [\d.e+]+ bytes \([\d.e+]+ GB\), over the limit/],
    ['fit --k 1e9', ['fit', '--k', '1e9'], /^robustlaw: --k must be small enough for the instance to fit in memory .*k = 1000000000/],
    ['fit --d 1e9', ['fit', '--d', '1e9'], /^robustlaw: --d must be small enough for the instance to fit in memory .*d = 1000000000/],
    ['lip --n 1e9', ['lip', '--n', '1e9'], /^robustlaw: --n must be small enough for the instance to fit in memory/],
    ['check-model --n 1e9', ['check-model', '--model', 'examples/net.json', '--dist', 'sphere', '--n', '1e9'], /^robustlaw: --n must be small enough for the data to fit in memory \(n = 1000000000, d = 2 need about 6\.40e\+10 bytes \(64 GB\)/],
    ['sweep spec n = 1e6, d = 1e5', ['sweep', '--spec', bigSpec, '--out', out('sweep-spec')], /^robustlaw: --spec .*big-spec\.json \(key n\) must be small enough for the instance to fit in memory \(random-features with n = 1000000, d = 100000/],
    ['sweep flags n = 1e6, d = 1e5', ['sweep', '--class', 'random-features', '--n', '1000000', '--d', '100000', '--out', out('sweep-flags')], /^robustlaw: --n must be small enough for the instance to fit in memory/],
    ['a grid of 10^6 points', ['sweep', '--spec', bigGrid, '--out', out('sweep-grid')], /^robustlaw: --spec .*big-grid\.json must be a grid of at most 100000 points \(got a grid of 1000000 points\)$/],
    ['search --path 99999999999999999999:0', ['search', '--regime', 'subspace', '--path', '99999999999999999999:0', '--out', out('search')], /^robustlaw: --path must be a fast-check path: .* \(got "99999999999999999999:0"\)$/],
    ['search --path 2000000:0', ['search', '--regime', 'subspace', '--path', '2000000:0', '--out', out('search2')], /^robustlaw: --path must be a fast-check path whose steps are at most 1000000 \(got a step of 2000000\)$/],
    ['--model /dev/zero', ['check-model', '--model', '/dev/zero', '--dist', 'sphere'], /^robustlaw: --model must be a readable network file \(robustlaw-mlp\/1 JSON, a TF\.js model\.json or an ONNX model\) \(got \/dev\/zero is not a regular file\)$/],
    ['--spec /dev/zero', ['sweep', '--spec', '/dev/zero', '--out', out('sweep-zero')], /^robustlaw: --spec must be a readable JSON or YAML file \(got \/dev\/zero is not a regular file\)$/],
    ['--data /dev/zero', ['check-model', '--model', 'examples/net.json', '--data', '/dev/zero'], /^robustlaw: --data must be a readable data file \(robustlaw-data\/1 JSON, CSV or \.npy\) \(got \/dev\/zero is not a regular file\)$/],
    ['deep JSON', ['check-model', '--model', deepJson, '--dist', 'sphere'], /^robustlaw: --model must be a readable JSON file \(got .*deep\.json nests arrays or objects more than 64 levels deep\)$/],
    ['a huge string is cut', ['check-model', '--model', 'examples/net.json', '--data', hugeString], /^robustlaw: --data .*huge-string\.json \(key X\[1\]\[1\]\) must be a finite number of magnitude at most 1e\+100 \(got "x{10,}…\)$/],
    ['check-model --sigma2 1e308', ['check-model', '--model', 'examples/net.json', '--dist', 'sphere', '--sigma2', '1e308'], /^robustlaw: --sigma2 must be in \[0, 1e\+100\] \(got 1e\+308\)$/],
    ['labels of 1e308', ['check-model', '--model', 'examples/net.json', '--data', hugeLabels], /^robustlaw: --data .*huge-labels\.json \(key y\[1\]\) must be a finite number of magnitude at most 1e\+100 \(got 1e\+308\)$/],
    ['weights of 1e308', ['check-model', '--model', hugeNet, '--dist', 'sphere'], /^robustlaw: --model .*huge-net\.json \(key layers\[1\]\.weights\) must be weights whose activations stay below .* \(got a bound of 1e308 after 1 layer\)$/],
    ['201 layers of weight 100', ['check-model', '--model', deepNet, '--dist', 'sphere'], /^robustlaw: --model .*deep-net\.json \(key layers\[151\]\.weights\) must be weights whose activations stay below .* \(got a bound of 1e302 after 151 layers\)$/],
    ['lip --model of 201 layers', ['lip', '--model', deepNet], /^robustlaw: --model .*deep-net\.json \(key layers\[151\]\.weights\)/],
    ['predict --eps 1e308', ['predict', '--eps', '1e308'], /^robustlaw: --eps must be small enough that eps\^2 n d is finite \(n = 60000, d = 15\) \(got 1e\+308\)$/],
    ['predict --lip 1e-300', ['predict', '--lip', '1e-300'], /^robustlaw: --lip must be large enough that eps\^2 n d \/ lip\^2 is finite/],
    ['bound --c 1e308', ['bound', '--n', '1000000', '--d', '100', '--p', '1000', '--eps', '1e-200', '--c', '1e308'], /^robustlaw: --c must be such that the bound is a finite number > 0/],
  ])('%s', async (_name, args, message) => {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
    const o = args.indexOf('--out');
    if (o >= 0) expect(existsSync(args[o + 1])).toBe(false);
  });
});

describe('computed finitely instead of overflowing', () => {
  it('bound --W 1e308 --J 1e308 gives the finite bound of ln(60 W J / eps) computed in logs, not 0', async () => {
    const r = await run(['bound', '--n', '1000000', '--d', '100', '--p', '1000', '--eps', '0.5', '--W', '1e308', '--J', '1e308', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(stdout) as { applies: boolean; bound: number };
    expect(j.applies).toBe(true);
    // 0.5 / 512 * sqrt(1e8 / (1000 ln(60e616 / 0.5) + ln 400))
    const logTerm = Math.log(60) + 2 * Math.log(1e308) - Math.log(0.5);
    expect(j.bound).toBeCloseTo((0.5 / 512) * Math.sqrt(1e8 / (1000 * logTerm + Math.log(400))), 12);
    expect(j.bound).toBeGreaterThan(0);
  });
});
