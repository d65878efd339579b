import type { InstanceSpec } from '../law/instance.js';
import { isCounterexampleRecord, seriesLabel, smallestR, type SweepRecord } from '../law/record.js';
import { fmtNum, markdownTable } from './table.js';

/**
 * The Markdown a sweep, merge or verify run appends to the GitHub Actions job summary (docs/package.md):
 * the headline (instances, smallest R = lower / law over the law's regime, docs/science.md section 1),
 * the certified counterexamples, and per class the verdict counts.
 */
export function runStepSummary(title: string, records: readonly SweepRecord<InstanceSpec>[], tau: number, where: string): string {
  const cex = records.filter(isCounterexampleRecord);
  const byClass = new Map<string, SweepRecord<InstanceSpec>[]>();
  for (const r of records) byClass.set(seriesLabel(r), [...(byClass.get(seriesLabel(r)) ?? []), r]);
  const rows = [...byClass.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([cls, rs]) => {
      const inRegime = rs.filter((r) => r.inLawRegime);
      const count = (v: string) => inRegime.filter((r) => r.lawVerdict === v).length;
      return [cls, rs.length, inRegime.length, count('holds'), count('inconclusive'), rs.filter(isCounterexampleRecord).length, smallestR(rs)];
    });
  return [
    `## ${title}`,
    '',
    `${records.length} instances in \`${where}\`; smallest R over the law's regime ${fmtNum(smallestR(records))} (tau = ${tau}).`,
    '',
    cex.length === 0 ? '**No certified counterexample.**' : `**CERTIFIED COUNTEREXAMPLE(S)**: ${cex.map((r) => `\`${r.id}\``).join(', ')}`,
    '',
    markdownTable(['class', 'instances', 'in regime', 'holds', 'inconclusive', 'counterexamples', 'R min'], rows),
  ].join('\n');
}
