import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { figureHtml, interactivePage, tableHtml } from '../../src/report/interactive-page.js';
import { vegaRuntime } from '../../src/report/vega-runtime.js';
import { INSTANCE_TOOLTIP, instanceDetails, optionsText } from '../../src/report/point-details.js';
import type { SweepRecord } from '../../src/law/record.js';
import { readFileSync } from 'node:fs';

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const hostile = 'a </script><script>alert(1)</script> <!-- "quoted" & more';

describe('the interactive page', () => {
  it("inlines a figure's vega spec so that no text of the data can close its script; the JSON reads back", () => {
    const spec: TopLevelSpec = { title: hostile, data: { values: [{ x: 1, label: hostile }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } };
    const html = figureHtml({ id: 'fig-t', spec, vega: compile(spec).spec, svg: '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><path d="M0,0"/></svg>', alt: hostile });
    expect(html.match(/<\/script/g)).toHaveLength(1);
    expect(html).not.toContain('<!--');
    const json = /<script type="application\/json" class="rl-spec">(.*)<\/script>/.exec(html)![1];
    expect(JSON.parse(json)).toEqual(compile(spec).spec);
    // the static SVG without its XML prolog, named by the caption
    expect(html).not.toContain('<?xml');
    expect(html).toContain(`<svg aria-label="${hostile.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}" xmlns=`);
    expect(html).toContain('<div class="rl-view" hidden></div>');
  });

  it('tables: text escaped, numbers with their exact value, marked rows with their replay command in an attribute that reads back', () => {
    const cmd = `echo '{"a":"<b>&"}' > replay.json && robustlaw sweep --spec replay.json --out replay`;
    const html = tableHtml({ headers: ['id', 'R'], rows: [['<b>x</b>', 1.23456789], ['y', null]], links: [{ id: 'i"1', replay: cmd, mark: 'counterexample', figure: 'fig-law' }, { id: 'i2', replay: null, mark: null, figure: null }] });
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x');
    expect(html).toContain('<td class="num" data-v="1.23456789">1.235</td>');
    expect(unescape(/data-rl-cmd="([^"]*)"/.exec(html)![1])).toBe(cmd);
    expect(html).toContain('<tr data-rl-id="i&quot;1" class="rl-cex">');
    expect(html).toContain('\u2716 counterexample');
    expect(html).toContain('<tr data-rl-id="i2"><td>y</td><td>-</td><td>-</td><td>-</td></tr>');
    expect(html.match(/<th scope="col">/g)).toHaveLength(4); // id, R, plot, replay
  });

  it('the page inlines the vega runtime with its licence and references nothing outside itself', () => {
    const page = interactivePage('t <x>', '<p>body</p>');
    expect(page).toContain('<title>t &lt;x&gt;</title>');
    expect(page).toContain(vegaRuntime());
    expect(vegaRuntime()).toMatch(/^\/\*! vega 6\.\d+\.\d+ \(BSD-3-Clause\)/);
    expect(page).not.toMatch(/<script [^>]*src=|<link |https?:\/\/(?!vega\.github\.io\/schema|www\.w3\.org|github\.com|opensource)/);
    expect(page.length).toBeLessThan(700_000);
  });

  it("a mark's tooltip: every field of INSTANCE_TOOLTIP, options beyond class, activation and width, bounds with their methods", () => {
    const r = JSON.parse(readFileSync('reports/example/results.jsonl', 'utf8').split('\n')[0]) as SweepRecord;
    const t = instanceDetails(r, () => 'cmd');
    expect(Object.keys(t)).toEqual(INSTANCE_TOOLTIP.map(([f]) => f));
    expect(t.tt_options).toBe('-');
    expect(t.tt_lower).toBe(`${Number(r.lower.toPrecision(4))} (${r.lowerMethod})`);
    expect(t.tt_replay).toBe('cmd');
    const other = { ...r, spec: { ...r.spec, distOptions: { k: 3, scale: 0.5 }, labelOptions: { eta: 0.2 }, modelOptions: { k: 9, activation: 'cos' as const, ridge: 0.01 } } };
    expect(optionsText(other)).toBe('components 3, scale 0.5, eta 0.2, ridge 0.01');
    expect(instanceDetails({ ...r, upper: null }, undefined).tt_upper).toBe('- (no certificate)');
  });
});
