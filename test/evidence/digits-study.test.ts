import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/input-error.js';
import { DIGITS_D, DIGITS_N, parseDigitsCsv } from '../../src/data/digits.js';
import { effectiveDimension } from '../../src/data/effective-dimension/effective-dimension.js';
import { DIGITS_FILE, digitsSample, readDigits } from '../../src/evidence/digits-source.js';
import { DIGITS_SAMPLE, DIGITS_STUDY, digitsMarkdown, generatedPart, pointMismatches, type DigitsStudyFile } from '../../src/evidence/digits-study.js';
import { studyPoint, type StudyPoint } from '../../src/evidence/real-data-study.js';

const committed = JSON.parse(readFileSync('docs/evidence/digits/results.json', 'utf8')) as DigitsStudyFile;
const all = readDigits();
const sample = digitsSample(all, DIGITS_SAMPLE.n, DIGITS_SAMPLE.seed, DIGITS_SAMPLE.eta);
const data = { X: sample.X, n: sample.n, d: sample.d, source: 'examples/digits', labelSets: sample.labelSets };

describe('the committed digits (examples/digits)', () => {
  it('are the file SOURCE.md names: 1797 images of 64 pixels, its sha256', () => {
    expect(all.n).toBe(DIGITS_N);
    expect(all.d).toBe(DIGITS_D);
    const sha = createHash('sha256').update(readFileSync(DIGITS_FILE)).digest('hex');
    expect(readFileSync('examples/digits/SOURCE.md', 'utf8')).toContain(sha);
    expect(new Set(all.digit).size).toBe(10);
  });
  it('refuses a malformed line, naming it', () => {
    const line = `${Array(64).fill(0).join(',')},3`;
    expect(parseDigitsCsv(`${line}\n${line}\n`).n).toBe(2);
    expect(() => parseDigitsCsv(`${line}\n${line.replace(/^0/, '17')}\n`)).toThrow(/digits line 2 field 1 must be an integer in \[0, 16\]/);
    expect(() => parseDigitsCsv('1,2,3\n')).toThrow(InputError);
  });
});

describe('the digits study (docs/evidence.md) matches a fresh run', () => {
  it('was made with the current design and sample', () => {
    expect(committed.spec).toEqual(JSON.parse(JSON.stringify(DIGITS_STUDY)));
    expect(committed.sample).toEqual(DIGITS_SAMPLE);
    expect(committed.result.points).toHaveLength(2 * DIGITS_STUDY.classes.length * DIGITS_STUDY.pMultiples.length);
  });
  it('has the effective dimensions of the sample', () => {
    expect(effectiveDimension(sample.X, sample.n, sample.d)).toEqual(committed.result.dims);
  });
  // A slice: one point per class, both labellings, small and large p (the whole study takes minutes).
  const slice: [string, number, number][] = [
    ['random', 1, 8],
    ['true', 2, 1],
    ['true', 0, 2],
  ];
  for (const [labels, c, m] of slice) {
    const cls = DIGITS_STUDY.classes[c];
    it(`reruns ${labels} labels, ${cls.className} (${cls.activation}), p = ${m} n, to the committed numbers`, () => {
      const at = committed.result.points.find((p) => p.labels === labels && p.className === cls.className && Math.abs(p.p / committed.result.n - m) < 0.1 * m) as StudyPoint;
      expect(at).toBeDefined();
      const fresh = studyPoint(data, sample.labelSets.find((l) => l.name === labels)!, cls, m, DIGITS_STUDY);
      // A change to a fit or an estimator changes these numbers: rerun `npm run evidence:digits` and commit its files.
      expect(pointMismatches(at, fresh), 'docs/evidence/digits/results.json is stale: rerun npm run evidence:digits').toEqual([]);
    });
  }
  // The deep profile reruns every point (a few minutes on 2 cores).
  it.runIf(process.env.ROBUSTLAW_PROFILE === 'deep')('(deep) reruns every point of the study to the committed numbers', () => {
    const mismatched: string[] = [];
    for (const at of committed.result.points) {
      const cls = DIGITS_STUDY.classes.find((c) => c.className === at.className && c.activation === at.activation)!;
      const m = DIGITS_STUDY.pMultiples.find((k) => Math.abs(at.p / committed.result.n - k) < 0.1 * k)!;
      const fresh = studyPoint(data, sample.labelSets.find((l) => l.name === at.labels)!, cls, m, DIGITS_STUDY);
      for (const x of pointMismatches(at, fresh)) mismatched.push(`${at.labels} ${at.className} p=${at.p}: ${x}`);
    }
    expect(mismatched, 'docs/evidence/digits/results.json is stale: rerun npm run evidence:digits').toEqual([]);
  }, 1_800_000);
  it('detects a committed number that a fresh run does not give (the comparison can fail)', () => {
    const pt = committed.result.points[0];
    expect(pointMismatches(pt, { ...pt, lower: pt.lower * (1 + 1e-6) })).toEqual([expect.stringContaining('lower')]);
    expect(pointMismatches(pt, { ...pt, verdictEffective: 'inconclusive' })).toHaveLength(1);
    expect(pointMismatches(pt, pt)).toEqual([]);
  });
  it('docs/evidence.md shows what the committed numbers render to', () => {
    const page = readFileSync('docs/evidence.md', 'utf8');
    expect(generatedPart(page)).toBe(digitsMarkdown(committed));
    const tampered: DigitsStudyFile = { ...committed, result: { ...committed.result, points: committed.result.points.map((p, i) => (i === 0 ? { ...p, lower: p.lower * 2 } : p)) } };
    expect(generatedPart(page)).not.toBe(digitsMarkdown(tampered));
  });
});
