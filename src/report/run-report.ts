import type { TopLevelSpec } from 'vega-lite';
import { fmtNum, markdownTable } from './table.js';
import type { Summary } from './summary.js';
import { isCounterexampleRecord, type SweepRecord } from '../law/record.js';
import { escapeHtml, figureHtml, interactivePage, tableHtml, type RowLink } from './interactive-page.js';
import type { ReplayFn } from './point-details.js';

/** One block of a report: a heading, paragraphs, an optional table and an optional plot. */
export interface ReportSection {
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly table?: { readonly headers: readonly string[]; readonly rows: readonly (readonly (string | number | null)[])[]; readonly links?: readonly RowLink[] };
  /** Plot file name under plots/, with its SVG text (inlined in HTML, linked from Markdown) and, for the
   * interactive HTML page, the vega-lite spec it was rendered from. */
  readonly plot?: { readonly file: string; readonly svg: string; readonly alt: string; readonly spec?: TopLevelSpec; readonly vega?: unknown };
  /** Long text shown folded (HTML `<details>`), e.g. the run's spec JSON. */
  readonly folded?: { readonly summary: string; readonly text: string };
}

/** A plot as the report's writers take it: its SVG, its text alternative and its vega-lite spec. */
export interface ReportPlot {
  readonly svg: string;
  readonly alt: string;
  readonly spec?: TopLevelSpec;
  /** The vega spec compiled from `spec` (the interactive page draws it). */
  readonly vega?: unknown;
}

/** Which instances a reader should see first: 0 a certified counterexample, 1 inconclusive (in the law's regime), 2 the rest. */
export function attentionRank(r: SweepRecord): 0 | 1 | 2 {
  if (isCounterexampleRecord(r)) return 0;
  return (r.inLawRegime && r.lawVerdict === 'inconclusive') || r.theorem3.verdict === 'inconclusive' ? 1 : 2;
}

const MAX_ROWS = 400;

/** The sections of a run's report, shared by the Markdown and HTML writers. */
export function reportSections(
  title: string,
  describe: string,
  summary: Summary,
  records: readonly SweepRecord[],
  plots: Readonly<Record<string, ReportPlot | undefined>>,
  options: { readonly replay?: ReplayFn; readonly folded?: ReportSection['folded'] } = {},
): ReportSection[] {
  const cex = summary.counterexamples.length;
  const sections: ReportSection[] = [
    {
      title,
      ...(options.folded ? { folded: options.folded } : {}),
      paragraphs: [
        describe,
        `${summary.instances} instances of a grid of ${summary.gridSize}${summary.missing > 0 ? ` (**${summary.missing} missing**: an unfinished run or a missing shard)` : ''}; seeds ${summary.seeds.join(', ') || '-'}.`,
        cex > 0
          ? `**${cex} certified counterexample(s)**: ${summary.counterexamples.join('; ')}. A certified upper bound on Lip(f) lies below tau eps sqrt(n d / p) for an instance in the law's regime (or below Theorem 3's bound where it applies).`
          : `**No certified counterexample.** Smallest R over the law's regime: ${fmtNum(summary.smallestR)} (tolerance tau = ${summary.tau}). Theorem 3's own assumptions hold for ${summary.theorem3Applicable} of ${summary.instances} instances.`,
      ],
    },
    {
      title: 'How to read this report',
      paragraphs: [
        'Every Lipschitz number is certified: "lower" is a gradient norm or a secant of the fitted function (Lip(f) is at least that), "upper" is a class-specific certificate (Lip(f) is at most that). Their ratio says how well Lip(f) is pinned down.',
        "The law (Bubeck & Sellke 2021, docs/science.md section 1) predicts Lip(f) >~ eps sqrt(n d / p) for a fit eps below the noise level. R = lower / law: the instance holds the law when R >= tau, is a certified counterexample when even the upper bound is below tau times the law, and is inconclusive in between. Outside the law's regime (eps < 0.1, or n eps^2 < 8 k) the law makes no claim.",
        "Between p = n and p = n d the law predicts Lip ~ p^(-1/2): the fitted slopes should sit near -0.5 for classes that realise it (NTK features, docs/science.md section 4) and above it for classes that do not.",
      ],
    },
    {
      title: 'Per class',
      paragraphs: ["R over the instances in the law's regime; upper/lower: the median and the worst certified upper / lower over the class's instances (1 where Lip(f) is known exactly)."],
      table: {
        headers: ['class', 'instances', 'in regime', 'holds', 'inconclusive', 'counterexamples', 'R min', 'R median', 'R max', 'upper/lower median', 'upper/lower worst'],
        rows: summary.classes.map((c) => [c.label, c.instances, c.inRegime, c.holds, c.inconclusive, c.counterexamples, c.Rmin, c.Rmedian, c.Rmax, c.ratioMedian, c.ratioMax]),
      },
    },
  ];
  if (summary.blocks)
    sections.push({
      title: 'Per block',
      paragraphs: ["The spec's blocks, in its order: each a grid of its own; the per-class table above names each series after its block."],
      table: {
        headers: ['block', 'instances', 'series', 'in regime', 'counterexamples', 'R min', 'upper/lower median', 'upper/lower worst'],
        rows: summary.blocks.map((b) => [b.name, b.instances, b.series.map((l) => (l.startsWith(`${b.name}: `) ? l.slice(b.name.length + 2) : l)).join('; '), b.inRegime, b.counterexamples, b.smallestR, b.ratioMedian, b.ratioMax]),
      },
    });
  if (plots.lipschitz) sections.push({ title: 'Lipschitz bounds against p', paragraphs: [], plot: { file: 'lipschitz.svg', ...plots.lipschitz } });
  if (!plots.lipschitz && records.length > 0) sections.push({ title: 'Lipschitz bounds against p', paragraphs: ['Left out: the run has more than 8 data configurations (one panel each); see the plot against the law below.'] });
  if (plots.law) sections.push({ title: 'Lipschitz bounds against the law', paragraphs: [], plot: { file: 'law.svg', ...plots.law } });
  if (plots.ratio) sections.push({ title: 'R per class', paragraphs: [], plot: { file: 'ratio.svg', ...plots.ratio } });
  if (summary.slopes.length > 0)
    sections.push({
      title: 'Fitted exponents',
      paragraphs: ['Least squares of log Lip on log p over every seed, with 95% t intervals, of the certified lower bound, the certified upper bound and their midpoint sqrt(lower upper): Lip(f) lies between the first two, so its exponent is pinned down where their slopes agree.'],
      table: { headers: ['class', 'data', 'regressed', 'slope', '95% interval', 'points', 'p range'], rows: summary.slopes.map((s) => [s.label, s.group, s.statistic, s.slope, s.lo === null ? '-' : `[${fmtNum(s.lo)}, ${fmtNum(s.hi)}]`, s.points, `${s.pMin}..${s.pMax}`]) },
      ...(plots.slopes ? { plot: { file: 'slopes.svg', ...plots.slopes } } : {}),
    });
  else sections.push({ title: 'Fitted exponents', paragraphs: ['No class was run at two or more values of p in one data configuration: no slope to fit.'] });
  if (plots.bench) sections.push({ title: 'Kernel benchmarks', paragraphs: [], plot: { file: 'bench.svg', ...plots.bench } });
  // counterexamples first, then inconclusive instances, then the rest, each in run order
  const shown = records
    .map((r, i) => ({ r, i, rank: attentionRank(r) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .slice(0, MAX_ROWS);
  const marked = shown.filter((x) => x.rank < 2).length;
  const figure = plots.law ? 'fig-law' : plots.ratio ? 'fig-ratio' : null;
  sections.push({
    title: 'Instances',
    paragraphs: [
      ...(marked > 0 ? [`The ${marked} certified counterexample(s) and inconclusive instance(s) come first, marked.`] : []),
      ...(records.length > MAX_ROWS ? [`First ${MAX_ROWS} of ${records.length}; all of them are in results.jsonl.`] : []),
    ],
    table: {
      headers: ['id', 'p', 'eps', 'Lip lower', 'Lip upper', 'law', 'R', 'law verdict', 'Theorem 3'],
      rows: shown.map(({ r }) => [r.id, r.p, r.eps, r.lower, r.upper, r.law, r.R, r.inLawRegime ? r.lawVerdict : '(outside)', r.theorem3.verdict]),
      links: shown.map(({ r, rank }) => ({ id: r.id, replay: options.replay ? options.replay([r]) : null, mark: rank === 0 ? 'counterexample' : rank === 1 ? 'inconclusive' : null, figure })),
    },
  });
  return sections;
}

/** Renders sections as Markdown, linking plots under `plots/`. */
export function toMarkdown(sections: readonly ReportSection[]): string {
  const out: string[] = [];
  sections.forEach((s, i) => {
    out.push(`${i === 0 ? '#' : '##'} ${s.title}`, '');
    for (const p of s.paragraphs) out.push(p, '');
    if (s.folded) out.push(`${s.folded.summary}: \`${s.folded.text.replace(/\s*\n\s*/g, ' ')}\``, '');
    if (s.plot) out.push(`![${s.plot.alt}](plots/${s.plot.file})`, '');
    if (s.table) out.push(markdownTable(s.table.headers, s.table.rows), '');
  });
  return out.join('\n');
}

const inline = (s: string) => escapeHtml(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/`([^`]+)`/g, '<code>$1</code>');

/**
 * Renders sections as one self-contained interactive HTML page (src/report/interactive-page.ts): plots drawn
 * by the inlined vega runtime from their specs, with hover details and legend toggles, over the inline SVG
 * shown when scripts are off; sortable, filterable tables; no network access, no external file.
 */
export function toHtml(sections: readonly ReportSection[]): string {
  const body: string[] = [];
  sections.forEach((s, i) => {
    body.push(`<h${i === 0 ? 1 : 2}>${escapeHtml(s.title)}</h${i === 0 ? 1 : 2}>`);
    for (const p of s.paragraphs) body.push(`<p>${inline(p)}</p>`);
    if (s.folded) body.push(`<details><summary>${escapeHtml(s.folded.summary)}</summary><pre>${escapeHtml(s.folded.text)}</pre></details>`);
    if (s.plot) {
      const id = `fig-${s.plot.file.replace(/\.svg$/, '')}`;
      body.push(s.plot.spec && s.plot.vega !== undefined ? figureHtml({ id, spec: s.plot.spec, vega: s.plot.vega, svg: s.plot.svg, alt: s.plot.alt }) : `<figure id="${id}">${s.plot.svg.replace(/^<\?xml[^>]*>\s*/, '')}<figcaption>${escapeHtml(s.plot.alt)}</figcaption></figure>`);
    }
    if (s.table) body.push(tableHtml({ ...s.table, caption: s.title }));
  });
  return interactivePage(sections[0]?.title ?? 'robustlaw report', body.join('\n'));
}
