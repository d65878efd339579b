import type { TopLevelSpec } from 'vega-lite';

/**
 * Renders a vega-lite spec to SVG headlessly (vega's `none` renderer; text widths are estimated, no
 * canvas). Vega numbers clip paths and gradients from a process-wide counter, so the ids are renumbered
 * in order of appearance and prefixed with `idPrefix`: the same spec gives the same bytes in any process,
 * and several SVGs can be inlined in one HTML page without id clashes. vega itself is loaded on the first call.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  // loaded here, not at the top: vega's graph awaits at its top level (vega-canvas probes for 'canvas'), which
  // would keep a CommonJS project from require()-ing the library (docs/package.md, "CommonJS projects")
  const vega = await import('vega');
  const view = new vega.View(vega.parse((await compileVega(spec)) as Parameters<typeof vega.parse>[0]), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return normaliseIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

/** Renumbers vega's generated ids (clip1, gradient3, ...) in order of first appearance, with a prefix. */
export function normaliseIds(svg: string, prefix: string): string {
  const map = new Map<string, string>();
  return svg.replace(/\b(clip|gradient|pattern)(\d+)\b/g, (whole, kind: string) => {
    let v = map.get(whole);
    if (v === undefined) {
      v = `${prefix}-${kind}${map.size + 1}`;
      map.set(whole, v);
    }
    return v;
  });
}

/**
 * The vega spec of a vega-lite spec (vega-lite's `compile`), loaded on the first call like vega itself: the
 * interactive page embeds it so that the page needs only the vega runtime.
 */
export async function compileVega(spec: TopLevelSpec): Promise<unknown> {
  const { compile } = await import('vega-lite');
  return compile(spec).spec;
}
