import type { CounterexampleFile } from '../search/counterexample-file.js';
import type { FamilyResult } from '../search/regime-family.js';
import type { Premise } from '../law/law-regime.js';
import { markdownTable, fmtNum } from './table.js';

/** The first line of a search report (what `search --out` may replace). */
export const SEARCH_REPORT_MARK = '<!-- robustlaw-search-report/1 -->';

/** The premise items as one line: `eps >= 0.1: 1 (yes); n eps^2 >= 8 k: 50 vs 8 (yes); ...`. */
export function premiseLine(p: Premise): string {
  return p.items.map((i) => `${i.rule}: ${fmtNum(i.value)}${i.rule.startsWith('n eps^2') ? ` vs ${fmtNum(i.bound)}` : ''} (${i.holds ? 'yes' : 'NO'})`).join('; ');
}

/** The family's table rows: value, n, d, p, k, eps, law, certified statistic, R, premise. */
export function familyTable(f: FamilyResult, statistic: string): string {
  return markdownTable(
    ['n', 'd', 'p', 'k', 'eps', 'law eps sqrt(n d / p)', statistic, 'R (certified)', 'inside the premise'],
    f.points.map((q) => [String(q.n), String(q.d), String(q.p), String(q.k), q.eps, q.law, q.certified, q.R, q.premise.holds ? 'yes' : `NO (${q.premise.items.filter((i) => !i.holds).map((i) => i.rule).join(', ')})`]),
  );
}

/**
 * The search's Markdown report (`<out>/<regime>.md`): the minimal instance with its premise items, the
 * scaling family's table, fitted and predicted slopes, the sentence, the plot (`plotFile`, relative) and the
 * replay commands (docs/science.md section 5).
 */
export function searchReportMarkdown(doc: CounterexampleFile, plotFile: string | null): string {
  const m = doc.measured;
  const statistic = doc.regime === 'average' ? 'certified E||grad f|| <=' : 'certified Lip <=';
  const lines = [SEARCH_REPORT_MARK, `# Counterexample search: ${doc.regime}`, '', doc.description, ''];
  lines.push('## Minimal instance', '');
  if (!doc.found || m === null) {
    lines.push(`No instance beat the law by the factor ${doc.factor} in ${doc.search.numRuns} runs (seed ${doc.replay.seed}).`, '');
  } else {
    lines.push(
      `After ${doc.search.numRuns} runs and ${doc.search.numShrinks} shrinks (${fmtNum(doc.search.seconds)} s): n = ${String(m.n)}, d = ${String(m.d)}, p = ${String(m.p)}, params \`${JSON.stringify(doc.params)}\`.`,
      '',
      `eps = ${fmtNum(m.eps as number)} (${String(m.epsSource)}), law eps sqrt(n d / p) = ${fmtNum(m.law as number)}, ${statistic} ${fmtNum((m.Rcertified as number) * (m.law as number))}, R = ${fmtNum(m.Rcertified as number)}.`,
      '',
      doc.premise
        ? `Premise (${doc.allowOutsidePremise ? 'the search was allowed to leave it' : 'the search stays inside it'}): ${premiseLine(doc.premise)}.`
        : 'Premise: not computed.',
      '',
      `Replay: \`${doc.replay.command}\``,
      '',
    );
  }
  const f = doc.family;
  if (f) {
    lines.push(`## Scaling family (${f.parameter} doubled; ${f.fixed}; seed ${f.seed})`, '', familyTable(f, statistic), '');
    const s = f.slope;
    lines.push(
      `Fitted slope of log R on log ${f.parameter}: ${s === null ? '-' : `${fmtNum(s.slope)}${s.lo === null ? '' : `, 95% interval [${fmtNum(s.lo)}, ${fmtNum(s.hi)}]`} over ${s.m} points`}. Predicted: ${fmtNum(f.predictedSlope)}, ${f.prediction}.`,
      '',
      f.sentence,
      '',
      `Every instance inside the premise: ${f.allInPremise ? 'yes' : 'NO'}. The family follows the search; \`${f.replay}\` replays both (${fmtNum(f.seconds)} s for the family here).`,
      '',
    );
    if (plotFile) lines.push(`![${doc.regime}: certified R against ${f.parameter}](${plotFile})`, '');
  }
  return `${lines.join('\n')}\n`;
}
