import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIP_SERIES } from '../../src/report/plot-specs.js';
import { normaliseIds } from '../../src/report/render-svg.js';
import { logLogSlope, tQuantile975 } from '../../src/law/slope.js';
import { writeReport } from '../../src/report/write-report.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { parseSweepSpec } from '../../src/sweep/spec.js';
import { runCli } from '../cli/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'robustlaw-report-'));
const dir = join(root, 'run');
const bench = 'reports/bench/full-matrix.json';
const spec = parseSweepSpec({ class: ['random-features', 'ntk-features', 'bumps'], n: 30, d: 8, p: [60, 120, 240], seeds: 2, model: { activation: 'cos' } });
const svgs = () => Object.fromEntries(readdirSync(join(dir, 'plots')).sort().map((f) => [f, readFileSync(join(dir, 'plots', f), 'utf8')]));

/** The text of a parsed <text> node: the node itself (a string or number) or its `#text`. */
function textOf(t: unknown): string {
  const v = t !== null && typeof t === 'object' ? (t as Record<string, unknown>)['#text'] : t;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** Every <text> content of an SVG. */
function texts(svg: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'text') out.push(...(Array.isArray(v) ? (v as unknown[]) : [v]).map(textOf));
        else walk(v);
      }
    }
  };
  walk(new XMLParser({ ignoreAttributes: true }).parse(svg));
  return out;
}

describe('reports', () => {
  let first: Record<string, string>;
  beforeAll(async () => {
    runSweep({ spec, outDir: dir });
    await writeReport(dir, { bench });
    first = svgs();
  });

  it('writes summary.json, report.md, report.html and the plots', () => {
    expect(Object.keys(first)).toEqual(['bench.svg', 'law.svg', 'lipschitz.svg', 'ratio.svg', 'slopes.svg']);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { instances: number; missing: number; classes: { label: string; ratioMedian: number | null; ratioMax: number | null }[]; slopes: { label: string; statistic: string; slope: number }[] };
    expect(summary.instances).toBe(14);
    expect(summary.missing).toBe(0);
    expect(summary.classes.map((c) => c.label)).toEqual(['bumps', 'ntk-features (cos)', 'random-features (cos)']);
    // two curves with several p (the cos classes), each regressed three ways: lower, upper and their midpoint
    expect(summary.slopes.length).toBe(6);
    expect(summary.slopes.map((s) => s.statistic).sort()).toEqual(['lower', 'lower', 'midpoint', 'midpoint', 'upper', 'upper']);
    // the midpoint's slope is the mean of the lower's and the upper's (log sqrt(l u) = (log l + log u) / 2, one regression)
    for (const label of new Set(summary.slopes.map((s) => s.label))) {
      const of = (st: string) => summary.slopes.find((s) => s.label === label && s.statistic === st)!.slope;
      expect(of('midpoint')).toBeCloseTo((of('lower') + of('upper')) / 2, 10);
    }
    // the gap per class: median and worst upper / lower, the worst at least the median
    for (const c of summary.classes) if (c.ratioMedian !== null) expect(c.ratioMax!).toBeGreaterThanOrEqual(c.ratioMedian);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/!\[.*\]\(plots\/lipschitz\.svg\)/);
    expect(md).toMatch(/\| class \| instances \| in regime/);
    expect(md).toMatch(/\| upper\/lower median \| upper\/lower worst \|/);
  });

  it('every SVG parses as XML', () => {
    for (const [name, svg] of Object.entries(first)) expect(XMLValidator.validate(svg), name).toBe(true);
  });

  it('the Lipschitz plot holds the five series and every class; the others their own series', () => {
    const lip = texts(first['lipschitz.svg']);
    for (const s of [...LIP_SERIES, 'bumps', 'ntk-features (cos)', 'random-features (cos)', 'sphere/signs n=30 d=8', 'parameters p']) expect(lip).toContain(s);
    // one line (path) per (class, series) drawn with more than one p
    expect((first['lipschitz.svg'].match(/aria-roledescription="line mark"/g) ?? []).length).toBeGreaterThanOrEqual(10);
    expect(texts(first['ratio.svg'])).toEqual(expect.arrayContaining(['bumps', 'ntk-features (cos)', 'random-features (cos)', 'R']));
    expect(texts(first['slopes.svg'])).toEqual(expect.arrayContaining(['lower', 'upper', 'midpoint', 'slope']));
    const benchTexts = texts(first['bench.svg']);
    expect(benchTexts).toEqual(expect.arrayContaining(['matmul-1024', 'tfjs-wasm (wasm)', 'GFLOP/s']));
    expect(benchTexts.some((t) => /^cpu \((wasm-simd|js)-f64\)$/.test(t))).toBe(true);
    expect(texts(first['law.svg'])).toEqual(expect.arrayContaining(['Lip lower (certified)', 'Lip upper (certified)']));
  });

  it('is byte-identical across two runs, in this process and in a fresh one', async () => {
    const html1 = readFileSync(join(dir, 'report.html'), 'utf8');
    await writeReport(dir, { bench });
    expect(svgs()).toEqual(first);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(html1);
    const r = await runCli(['report', dir, '--bench', bench]);
    expect(r.code, r.stderr).toBe(0);
    expect(svgs()).toEqual(first);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(html1);
  });

  it('report.html is self-contained: the SVGs inline with unique ids, inline scripts only (vega and the page script), no external reference', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect((html.match(/<svg /g) ?? []).length).toBe(5);
    expect(html).not.toMatch(/<script [^>]*src=|<link |src="http|<img /);
    // five figure specs, the vega runtime and the page script, all inline
    expect((html.match(/<script type="application\/json" class="rl-spec">/g) ?? []).length).toBe(5);
    expect((html.match(/<script>/g) ?? []).length).toBe(2);
    expect(html).toContain('vega 6.');
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('normaliseIds renumbers in order of appearance (the fix for vega\'s process-wide counter)', () => {
    expect(normaliseIds('<clipPath id="clip7"/><g clip-path="url(#clip7)"/><clipPath id="clip9"/>', 'x')).toBe('<clipPath id="x-clip1"/><g clip-path="url(#x-clip1)"/><clipPath id="x-clip2"/>');
  });

  it('a directory without sweep.json gets a clear error', async () => {
    await expect(writeReport(root)).rejects.toThrow(/has no sweep\.json/);
    expect((await runCli(['report', root])).code).toBe(2);
  });
});

describe('logLogSlope', () => {
  it('recovers an exact power law with a zero-width interval', () => {
    const x = [10, 20, 40, 80];
    const f = logLogSlope(x, x.map((v) => 3 * v ** -0.5))!;
    expect(f.slope).toBeCloseTo(-0.5, 12);
    expect(f.hi! - f.lo!).toBeLessThan(1e-9);
  });

  it('matches a hand computation on noisy points (golden values)', () => {
    // log x = 0, 1, 2 (base e); log y = 0, -1, -1.5: slope -0.75, intercept -1/12, SSE 1/24, SE sqrt(SSE / (1 * 2)).
    const f = logLogSlope([1, Math.E, Math.E ** 2], [1, Math.exp(-1), Math.exp(-1.5)])!;
    expect(f.slope).toBeCloseTo(-0.75, 12);
    expect(f.intercept).toBeCloseTo(-1 / 12, 12);
    const half = 12.706 * Math.sqrt(1 / 24 / 2);
    expect(f.lo).toBeCloseTo(-0.75 - half, 10);
    expect(f.hi).toBeCloseTo(-0.75 + half, 10);
  });

  it('edge cases: one distinct x, non-positive values dropped, two points without interval', () => {
    expect(logLogSlope([5, 5, 5], [1, 2, 3])).toBeNull();
    expect(logLogSlope([1, 2, -1, 0], [1, 0.5, 3, 4])!.m).toBe(2);
    expect(logLogSlope([1, 2], [1, 0.5])!.lo).toBeNull();
    expect(() => logLogSlope([1], [1, 2])).toThrow(/logLogSlope: y must be as long as x \(1\) \(got length 2\)/);
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(1000)).toBe(1.96);
    expect(() => tQuantile975(0)).toThrow(/df must be an integer >= 1 \(got 0\)/);
  });
});
