import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | null = null;

/**
 * The vega runtime (the installed `vega` package's `build/vega.min.js`, about 0.5 MB) with its licence as a
 * leading comment, ready to be inlined in a `<script>` of a self-contained page: it defines the global
 * `vega`, needs no network and runs from `file://`. The page ships vega only; the vega-lite specs are
 * compiled to vega in Node (src/report/interactive-figure.ts), so the vega-lite compiler stays out of it.
 *
 * @throws Error when the bundle holds `</script` (it would end the inline script early).
 */
export function vegaRuntime(): string {
  if (cached !== null) return cached;
  // `vega` resolves to build/vega.module.js; its package exports nothing else, so the bundle is found beside it
  const build = dirname(createRequire(import.meta.url).resolve('vega'));
  const pkg = JSON.parse(readFileSync(join(build, '..', 'package.json'), 'utf8')) as { version: string; license: string };
  const code = readFileSync(join(build, 'vega.min.js'), 'utf8');
  const licence = readFileSync(join(build, '..', 'LICENSE'), 'utf8').replace(/\*\//g, '* /');
  if (/<\/script/i.test(code)) throw new Error('vega.min.js holds </script and cannot be inlined');
  cached = `/*! vega ${pkg.version} (${pkg.license}), inlined from the npm package 'vega'.\n${licence}*/\n${code}`;
  return cached;
}
