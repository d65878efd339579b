import type { Command } from 'commander';
import { MAX_SEED } from '../../core/rng.js';
import { requireInt, requireOneOf, requirePositive } from '../../core/validate.js';
import { counterexampleFile } from '../../search/counterexample-file.js';
import { REGIME_NAMES, regimeEffort } from '../../search/regimes.js';
import { runInstance } from '../../sweep/runner.js';
import { certificateFileJson } from '../../sweep/certificate-file.js';
import { requireReplayPath, searchRegime } from '../../search/search.js';
import { runFamily } from '../../search/regime-family.js';
import { familyPlot } from '../../report/family-plot.js';
import { renderSvg } from '../../report/render-svg.js';
import { premiseLine, SEARCH_REPORT_MARK, searchReportMarkdown } from '../../report/search-report.js';
import { checkOutFiles, hasFormat, writeOutFiles } from '../../core/out-files.js';
import { refuseGiven } from '../applicable.js';
import { naming } from '../errors.js';
import { fmtNum, textTable } from '../../report/table.js';
import type { FamilyResult } from '../../search/regime-family.js';
import { MAX_SEARCH_BUDGET, parseNumber } from '../parse.js';
import { addBackendOption, backendLines, openBackendFlag } from '../backend-flag.js';

interface SearchFlags {
  verbose?: boolean;
  backend?: string;
  regime: string;
  budget: number;
  seed: number;
  path?: string;
  factor: number;
  inRegime?: boolean;
  allowOutsidePremise?: boolean;
  out: string;
  write: boolean;
  certificates?: boolean;
  json?: boolean;
}

/** Library inputs that are the --out directory here. */
const OUT = { outDir: '--out' } as const;

/** `robustlaw search`: one counterexample search, shrunk, written to reports/counterexamples/<regime>.json. */
export function registerSearch(program: Command): void {
  const cmd = program.command('search');
  addBackendOption(cmd, 'cpu: regime instances are small')
    .description('search a regime outside the theorem for instances that beat the law by a large factor, shrunk to a minimal one')
    .requiredOption('--regime <name>', `regime: ${REGIME_NAMES.join(', ')}`)
    .option('--budget <runs>', 'instances to generate before shrinking, an integer in [1, 100000]', parseNumber, 100)
    .option('--seed <int>', 'search seed (printed; replays with --path)', parseNumber, 1)
    .option('--path <path>', 'fast-check replay path of an earlier result')
    .option('--factor <x>', 'the law counts as beaten when the certified ratio is <= this', parseNumber, 0.2)
    .option('--in-regime', 'run the in-regime control instead (it must find nothing)')
    .option('--allow-outside-premise', 'let the search and its shrinker leave the premise (eps >= 0.1, n eps^2 >= 8 k, n >= 50)')
    .option('--out <dir>', 'directory for <regime>.json, <regime>.md and <regime>-family.svg', 'reports/counterexamples')
    .option('--certificates', 'also write <regime>.certificate.json, the minimal instance\'s certificate, for robustlaw check')
    .option('--no-write', 'do not write the files')
    .option('--json', 'machine-readable output')
    .action(async (flags: SearchFlags, cmd: Command) => {
      const fn = 'robustlaw search';
      if (!flags.write) refuseGiven(cmd, ['out', 'certificates'], 'with --no-write (nothing is written)');
      if (flags.inRegime) refuseGiven(cmd, ['certificates'], 'with --in-regime (the control writes no file)');
      if (flags.inRegime) refuseGiven(cmd, ['out'], 'with --in-regime (the control writes no file)');
      if (flags.inRegime) refuseGiven(cmd, ['allowOutsidePremise'], 'with --in-regime (the control judges instances in the law\'s regime)');
      const regime = requireOneOf(fn, '--regime', flags.regime, REGIME_NAMES);
      const budget = requireInt(fn, '--budget', flags.budget, 1, MAX_SEARCH_BUDGET);
      const seed = requireInt(fn, '--seed', flags.seed, 0, MAX_SEED);
      const factor = requirePositive(fn, '--factor', flags.factor);
      if (flags.path !== undefined) requireReplayPath(fn, flags.path);
      const backend = await openBackendFlag(flags.backend, 'cpu');
      // --out checked before any work: a writable directory whose <regime>.json, if any, is a counterexample file
      const outFile = { name: `${regime}.json`, what: 'a robustlaw-counterexample/1 file', replaces: hasFormat('robustlaw-counterexample/1') };
      const reportFile = { name: `${regime}.md`, what: 'a search report', replaces: (old: string) => old.startsWith(SEARCH_REPORT_MARK) };
      const plotFile = { name: `${regime}-family.svg`, what: 'a search report\'s plot', replaces: (old: string) => old.includes(PLOT_MARK) };
      const writes = flags.write && !flags.inRegime;
      if (writes) naming(OUT, () => checkOutFiles(flags.out, [outFile, reportFile, plotFile, { name: `${regime}.certificate.json`, what: 'a robustlaw-certificate/1 file', replaces: hasFormat('robustlaw-certificate/1') }]));
      process.stderr.write(backendLines(fn, backend, flags.verbose === true));
      process.stderr.write(`robustlaw search: regime=${regime} seed=${seed} budget=${budget}${flags.inRegime ? ' (in-regime control)' : ''}\n`);
      const r = searchRegime(regime, { budget, seed, path: flags.path, factor, inRegime: flags.inRegime, allowOutsidePremise: flags.allowOutsidePremise, backend });
      // the scaling family inside the premise follows every search but the control (docs/science.md section 5)
      const family = flags.inRegime ? null : runFamily(regime, { seed, backend });
      let doc = counterexampleFile(r, family);
      // the minimal instance evaluated once more (the same spec and effort: the same record) with its certificate
      const certFile = { name: `${regime}.certificate.json`, what: 'a robustlaw-certificate/1 file', replaces: hasFormat('robustlaw-certificate/1') };
      let certText: string | null = null;
      if (writes && flags.certificates === true && doc.record !== null) {
        const again = runInstance({ index: 0, id: doc.record.id, instance: doc.record.spec }, regimeEffort(false), backend, true);
        if (again.report.certificate !== undefined) {
          certText = certificateFileJson(doc.record.id, again.report.certificate);
          doc = { ...doc, record: { ...doc.record, certificate: certFile.name } };
        }
      }
      if (writes) {
        const svg = family ? markPlot(await renderSvg(familyPlot(family), `family-${regime}`)) : null;
        const files = [{ ...outFile, content: `${JSON.stringify(doc, null, 2)}\n` }, { ...reportFile, content: searchReportMarkdown(doc, svg ? plotFile.name : null) }, ...(certText === null ? [] : [{ ...certFile, content: certText }])];
        naming(OUT, () => writeOutFiles(flags.out, svg ? [...files, { ...plotFile, content: svg }] : files));
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        return;
      }
      if (!r.found) {
        process.stdout.write(`No instance beat the law by the factor ${factor} in ${r.numRuns} runs (seed ${seed})${r.mode === 'premise' ? ' inside the premise' : ''}.\n`);
      } else {
        const m = doc.measured!;
        process.stdout.write(
          [
            `verdict: counterexample (regime ${regime}): the informal law with the ambient d and c = 1 is beaten by a factor ${fmtNum(1 / (m.Rcertified as number))}`,
            `  ${r.description}`,
            `  minimal instance after ${r.numShrinks} shrinks: n = ${m.n}, d = ${m.d}, p = ${m.p}, params ${JSON.stringify(r.counterexample)}`,
            `  eps = ${fmtNum(m.eps as number)} (${m.epsSource}), law eps sqrt(n d / p) = ${fmtNum(m.law as number)}, certified ${regime === 'average' ? 'E||grad f|| <=' : 'Lip <='} ${fmtNum(((m.Rcertified as number) * (m.law as number)))}, R = ${fmtNum(m.Rcertified as number)}`,
            `  premise (${r.mode === 'outside' ? 'the search may leave it: --allow-outside-premise' : 'the search stays inside it'}): ${doc.premise ? premiseLine(doc.premise) : '-'}`,
            `  replay: ${doc.replay.command}`,
          ].join('\n') + '\n',
        );
      }
      if (family) process.stdout.write(familyText(family, regime === 'average' ? 'E||grad f|| <=' : 'Lip <='));
    });
}

/** A marker the family plot carries, so that `search --out` replaces only a plot it wrote. */
const PLOT_MARK = '<!-- robustlaw-search-family-plot/1 -->';

/** Puts {@link PLOT_MARK} after the opening svg tag. */
function markPlot(svg: string): string {
  const end = svg.indexOf('>', svg.indexOf('<svg'));
  return `${svg.slice(0, end + 1)}${PLOT_MARK}${svg.slice(end + 1)}`;
}

/** The family as printed: one line per point, the fit, the prediction and the sentence. */
function familyText(f: FamilyResult, statistic: string): string {
  const rows = f.points.map((q) => [String(q.n), String(q.d), String(q.p), String(q.k), q.eps, q.law, q.certified, q.R, q.premise.holds ? 'yes' : 'NO']);
  const s = f.slope;
  return [
    `scaling family inside the premise (${f.parameter} doubled; ${f.fixed}; seed ${f.seed}; ${fmtNum(f.seconds)} s):`,
    textTable(['n', 'd', 'p', 'k', 'eps', 'law', statistic, 'R', 'premise'], rows).replace(/^/gm, '  '),
    `  slope of log R on log ${f.parameter}: ${s === null ? '-' : `${fmtNum(s.slope)}${s.lo === null ? '' : ` (95% interval [${fmtNum(s.lo)}, ${fmtNum(s.hi)}])`}`}; predicted ${fmtNum(f.predictedSlope)}: ${f.prediction}`,
    `  every instance inside the premise: ${f.allInPremise ? 'yes' : 'NO'}`,
    `  ${f.sentence}`,
  ].join('\n') + '\n';
}
