/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Screenshots of a run's interactive report, for the README and docs/reading-a-report.md:
//   npx tsx test/browser/screenshots.ts [run-dir]      (default reports/example; writes run-dir/screenshots/*.png)
// Uses the browser tests' Chromium (test/browser/chromium.ts); exits 2 saying why when there is none. The
// PNGs are files of the run: listed in its sweep.json through the run-directory writer, written atomically.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../../src/core/atomic-write.js';
import { openRunDir } from '../../src/sweep/run-dir.js';
import { launchChromium } from './chromium.js';

const dir = process.argv[2] ?? 'reports/example';
const out = join(dir, 'screenshots');
const found = await launchChromium();
if (!found.ok) {
  process.stderr.write(`screenshots: no browser: ${found.reason}\n`);
  process.exit(2);
}
const run = openRunDir(dir, { parameter: 'run-dir' });
const shots: string[] = [];
/** Lists screenshots/NAME in the run's manifest, then writes the PNG atomically. */
const save = (name: string, png: Buffer) => {
  run.own(`screenshots/${name}`);
  run.guard(() => writeFileAtomic(join(out, name), png));
  shots.push(join(out, name));
};
const page = await found.browser.newPage({ viewport: { width: 1200, height: 860 }, deviceScaleFactor: 1 });
await page.goto(pathToFileURL(resolve(dir, 'report.html')).href);
await page.waitForSelector('body[data-rl-ready="true"]', { state: 'attached' });

// 1. the law plot with a point's tooltip: the first lower-bound mark of the linear class that nothing covers
const target = await page.evaluate(() => {
  for (const p of document.querySelectorAll('#fig-law .rl-view .role-mark path[aria-label*="class: linear;"]')) {
    p.scrollIntoView({ block: 'center' });
    const r = p.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    if (r.width > 0 && document.elementFromPoint(x, y) === p) return { x, y };
  }
  return null;
});
if (target === null) throw new Error('screenshots: no uncovered mark of the linear class in the law plot');
await page.mouse.move(target.x, target.y);
await page.locator('#rl-tooltip').waitFor({ state: 'visible' });
save('tooltip.png', await page.screenshot());
await page.mouse.move(0, 0);

// 2. a legend toggle on the Lipschitz plot: ntk-features picked, the other classes faded
await page.locator('#fig-lipschitz .rl-view .role-legend text', { hasText: /^ntk-features \(cos\)$/ }).click();
await page.locator('#fig-lipschitz').scrollIntoViewIfNeeded();
save('legend-toggle.png', await page.locator('#fig-lipschitz').screenshot());
await page.locator('#fig-lipschitz .rl-view .role-legend text', { hasText: /^ntk-features \(cos\)$/ }).click();

// 3. the instance table sorted by R, filtered to one class
const table = page.locator('table.rl-table', { has: page.locator('th', { hasText: 'law verdict' }) });
await table.locator('thead th button', { hasText: /^R$/ }).click();
await table.locator('input.rl-filter').first().fill('random-features');
await table.scrollIntoViewIfNeeded();
await page.evaluate(() => window.scrollBy(0, -60));
save('table.png', await page.screenshot());
await found.browser.close();
run.close();
process.stdout.write(`screenshots: ${shots.join(', ')}\n`);
