import type { TopLevelSpec } from 'vega-lite';
import { PAGE_SCRIPT } from './page-script.js';
import { fmtNum } from './table.js';
import { vegaRuntime } from './vega-runtime.js';

/** HTML-escapes text (and attribute values). */
export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON safe inside a `<script>` element: `<` is written `\u003c`, so no `</script` or `<!--` can occur. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/** One plot of an interactive page: its vega-lite spec, the static SVG of the same spec, and its text alternative. */
export interface PageFigure {
  /** Element id, unique in the page (`fig-lipschitz`); tables link to it. */
  readonly id: string;
  readonly spec: TopLevelSpec;
  /** The vega spec compiled from `spec` (compileVega, src/report/render-svg.ts): what the page's vega runtime draws. */
  readonly vega: unknown;
  /** The spec rendered to SVG in Node (src/report/render-svg.ts): shown with scripts off. */
  readonly svg: string;
  /** What the figure shows, in words: the caption and the accessible name. */
  readonly alt: string;
}

/**
 * A figure of the interactive page: the vega spec (compiled from the vega-lite spec beforehand, so the page
 * needs only the vega runtime) in a JSON script that the page script renders into `.rl-view`, and the static
 * SVG in `.rl-fallback`, shown until the view has drawn and whenever scripts are off. The caption states
 * what the figure shows and is its accessible name.
 */
export function figureHtml(f: PageFigure): string {
  const vg = f.vega;
  const svg = f.svg.replace(/^<\?xml[^>]*>\s*/, '').replace(/^<svg /, `<svg aria-label="${escapeHtml(f.alt)}" `);
  return [
    `<figure class="rl-figure" id="${escapeHtml(f.id)}" aria-labelledby="${escapeHtml(f.id)}-caption">`,
    `<div class="rl-view" hidden></div>`,
    `<div class="rl-fallback">${svg}</div>`,
    `<script type="application/json" class="rl-spec">${scriptJson(vg)}</script>`,
    `<figcaption id="${escapeHtml(f.id)}-caption">${escapeHtml(f.alt)}</figcaption>`,
    `</figure>`,
  ].join('\n');
}

/** How a row of an interactive table is marked and linked (the per-instance table). */
export interface RowLink {
  /** The instance id: the plots' `rl_hl` highlight value. */
  readonly id: string;
  /** The command that replays the row (copied by its button), or null. */
  readonly replay: string | null;
  /** A row to see first: a certified counterexample or an inconclusive instance (marked, sorted to the top). */
  readonly mark: 'counterexample' | 'inconclusive' | null;
  /** The figure whose marks show the row (`fig-law`), or null. */
  readonly figure: string | null;
}

/** A table of the interactive page: sortable and filterable per column by the page script. */
export interface PageTable {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
  /** Per row: its instance link, replay command and mark (then a "plot" and a "replay" column are added). */
  readonly links?: readonly RowLink[];
  /** The table's accessible caption. */
  readonly caption?: string;
}

/**
 * A sortable, filterable table: numbers shown to 4 significant digits with their exact value in `data-v`
 * (what sorting and `<x` filters read); with `links`, each row names its instance (`data-rl-id`), gets a
 * link to its marks in the plot and a button copying its replay command (the command also shown folded, so
 * it reads without scripts), and rows to see first carry a visible mark.
 */
export function tableHtml(t: PageTable): string {
  const cell = (c: string | number | null) => (typeof c === 'number' ? `<td class="num" data-v="${c}">${escapeHtml(fmtNum(c))}</td>` : `<td>${escapeHtml(c ?? '-')}</td>`);
  const headers = t.links ? [...t.headers, 'plot', 'replay'] : t.headers;
  const out = [`<div class="rl-table-wrap"><table class="rl-table">${t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : ''}<thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>`];
  t.rows.forEach((r, i) => {
    const link = t.links?.[i];
    if (!link) {
      out.push(`<tr>${r.map(cell).join('')}</tr>`);
      return;
    }
    const id = escapeHtml(link.id);
    const mark = link.mark ? ` class="rl-${link.mark === 'counterexample' ? 'cex' : 'inc'}"` : '';
    const first = link.mark ? `<td><span class="rl-mark" title="${link.mark}">${link.mark === 'counterexample' ? '\u2716 counterexample' : '? inconclusive'}</span> ${escapeHtml(String(r[0] ?? '-'))}</td>` : cell(r[0]);
    const plot = link.figure ? `<td><a class="rl-show" href="#${escapeHtml(link.figure)}" data-rl-id="${id}">show</a></td>` : '<td>-</td>';
    const replay = link.replay
      ? `<td><button type="button" class="rl-copy" data-rl-cmd="${escapeHtml(link.replay)}">copy</button><details><summary>command</summary><code>${escapeHtml(link.replay)}</code></details></td>`
      : '<td>-</td>';
    out.push(`<tr data-rl-id="${id}"${mark}>${first}${r.slice(1).map(cell).join('')}${plot}${replay}</tr>`);
  });
  out.push('</tbody></table></div>');
  return out.join('\n');
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#1a1a1a;line-height:1.4}
table{border-collapse:collapse;font-size:13px;margin:1em 0}th,td{border:1px solid #ccc;padding:2px 6px;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums}
caption{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}.rl-table-wrap{overflow-x:auto}
figure{margin:1em 0}figcaption{font-size:13px;color:#333;max-width:900px}.rl-view svg,.rl-fallback svg{max-width:100%;height:auto}
details>summary{cursor:pointer;color:#0b4f8a}pre,code{font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}
tr.rl-cex{background:#fde0d0;border-left:4px solid #b34700}tr.rl-inc{background:#fff3c4;border-left:4px solid #8a6d00}.rl-mark{font-weight:bold}
tr.rl-selected{outline:3px solid #0072B2}tr[hidden]{display:none}
.rl-copy,.rl-show,.rl-filters{display:none}.rl-js .rl-copy,.rl-js .rl-show{display:inline}.rl-js .rl-filters{display:table-row}
button.rl-sort{all:unset;cursor:pointer;font-weight:bold}button.rl-sort:focus-visible{outline:2px solid #0072B2}
th[aria-sort=ascending] button.rl-sort::after{content:" \\25B2"}th[aria-sort=descending] button.rl-sort::after{content:" \\25BC"}
input.rl-filter{width:100%;min-width:4em;box-sizing:border-box;font-size:12px}
#rl-tooltip{position:fixed;z-index:10;max-width:560px;background:#fff;border:1px solid #555;box-shadow:0 2px 8px rgba(0,0,0,.25);padding:6px;font-size:12px;pointer-events:none}
#rl-tooltip th{text-align:left;white-space:nowrap}#rl-tooltip table{margin:0}.rl-hint{color:#555;margin-top:4px}
#rl-status{position:fixed;bottom:0;left:0;right:0;background:#222;color:#fff;font-size:12px;padding:2px 8px}#rl-status:empty{display:none}`;

/**
 * A self-contained interactive page: `body` (built with {@link figureHtml} and {@link tableHtml}), the
 * stylesheet, the inlined vega runtime and the page script. No network access, no external file: it works
 * from `file://`, and with scripts off it is the static report (SVG figures, plain tables).
 */
export function interactivePage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head><body>
${body}
<div id="rl-status" role="status" aria-live="polite"></div>
<script>${vegaRuntime()}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
