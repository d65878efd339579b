import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a vega-lite spec to SVG headlessly (vega's `none` renderer; text widths are estimated, no
 * canvas). Vega numbers clip paths and gradients from a process-wide counter, so the ids are renumbered
 * in order of appearance and prefixed with `idPrefix`: the same spec gives the same bytes in any process,
 * and several SVGs can be inlined in one HTML page without id clashes.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
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
