/**
 * `npm run evidence:digits`: the law on the 8x8 digits (docs/evidence.md, "The law on real data").
 * Fits the study's classes at every p to true and to random labels, writes docs/evidence/digits/results.json
 * and its plots (lipschitz.svg, ratio.svg), and regenerates the marked block of docs/evidence.md.
 * Deterministic (the f64 cpu path, fixed effort): a rerun gives the same file; test/evidence/digits-study.test.ts
 * reruns a slice and compares it with the committed numbers.
 * @module
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.js';
import { renderSvg } from '../report/render-svg.js';
import { digitsSample, readDigits } from './digits-source.js';
import { DIGITS_SAMPLE, DIGITS_STUDY, DIGITS_STUDY_COMMAND, DIGITS_STUDY_DIR, digitsLipschitzPlot, digitsMarkdown, digitsRatioPlot, replaceGenerated, type DigitsStudyFile } from './digits-study.js';
import { runRealDataStudy } from './real-data-study.js';

async function main(): Promise<void> {
  const t0 = performance.now();
  const s = digitsSample(readDigits(), DIGITS_SAMPLE.n, DIGITS_SAMPLE.seed, DIGITS_SAMPLE.eta);
  const result = runRealDataStudy({ X: s.X, n: s.n, d: s.d, source: 'examples/digits', labelSets: s.labelSets }, DIGITS_STUDY, (pt, done, total) => {
    process.stderr.write(`digits ${done}/${total} ${pt.labels} ${pt.className} (${pt.activation}) p=${pt.p}: lower ${pt.lower.toPrecision(4)} R ${pt.R === null ? '-' : pt.R.toPrecision(4)} R_eff ${pt.Reffective === null ? '-' : pt.Reffective.toPrecision(4)}\n`);
  });
  const file: DigitsStudyFile = { format: 'robustlaw-digits-study/1', command: DIGITS_STUDY_COMMAND, sample: DIGITS_SAMPLE, spec: DIGITS_STUDY, result };
  writeFileAtomic(`${DIGITS_STUDY_DIR}/results.json`, `${JSON.stringify(file, null, 1)}\n`);
  writeFileAtomic(`${DIGITS_STUDY_DIR}/lipschitz.svg`, await renderSvg(digitsLipschitzPlot(file), 'digits-lip'));
  writeFileAtomic(`${DIGITS_STUDY_DIR}/ratio.svg`, await renderSvg(digitsRatioPlot(file), 'digits-ratio'));
  const page = 'docs/evidence.md';
  writeFileAtomic(page, replaceGenerated(readFileSync(page, 'utf8'), digitsMarkdown(file)));
  process.stderr.write(`digits study: ${result.points.length} fits in ${((performance.now() - t0) / 1000).toFixed(0)} s -> ${DIGITS_STUDY_DIR}/, ${page}\n`);
}

await main();
