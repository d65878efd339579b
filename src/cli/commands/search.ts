import type { Command } from 'commander';
import { MAX_SEED } from '../../core/rng.js';
import { requireInt, requireOneOf, requirePositive } from '../../core/validate.js';
import { counterexampleFile } from '../../law/counterexample-file.js';
import { REGIME_NAMES } from '../../law/regimes.js';
import { requireReplayPath, searchRegime } from '../../law/search.js';
import { checkOutFiles, hasFormat, writeOutFiles } from '../../sweep/run-dir.js';
import { refuseGiven } from '../applicable.js';
import { naming } from '../errors.js';
import { fmtNum } from '../../report/table.js';
import { MAX_SEARCH_BUDGET, parseNumber } from '../parse.js';
import { addBackendOption, backendLines, openBackendFlag } from '../backend-flag.js';

interface SearchFlags {
  backend?: string;
  regime: string;
  budget: number;
  seed: number;
  path?: string;
  factor: number;
  inRegime?: boolean;
  out: string;
  write: boolean;
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
    .option('--out <dir>', 'directory for <regime>.json', 'reports/counterexamples')
    .option('--no-write', 'do not write the JSON file')
    .option('--json', 'machine-readable output')
    .action(async (flags: SearchFlags, cmd: Command) => {
      const fn = 'robustlaw search';
      if (!flags.write) refuseGiven(cmd, ['out'], 'with --no-write (nothing is written)');
      if (flags.inRegime) refuseGiven(cmd, ['out'], 'with --in-regime (the control writes no file)');
      const regime = requireOneOf(fn, '--regime', flags.regime, REGIME_NAMES);
      const budget = requireInt(fn, '--budget', flags.budget, 1, MAX_SEARCH_BUDGET);
      const seed = requireInt(fn, '--seed', flags.seed, 0, MAX_SEED);
      const factor = requirePositive(fn, '--factor', flags.factor);
      if (flags.path !== undefined) requireReplayPath(fn, flags.path);
      const backend = await openBackendFlag(flags.backend, 'cpu');
      // --out checked before any work: a writable directory whose <regime>.json, if any, is a counterexample file
      const outFile = { name: `${regime}.json`, what: 'a robustlaw-counterexample/1 file', replaces: hasFormat('robustlaw-counterexample/1') };
      const writes = flags.write && !flags.inRegime;
      if (writes) naming(OUT, () => checkOutFiles(flags.out, [outFile]));
      process.stderr.write(backendLines(fn, backend));
      process.stderr.write(`robustlaw search: regime=${regime} seed=${seed} budget=${budget}${flags.inRegime ? ' (in-regime control)' : ''}\n`);
      const r = searchRegime(regime, { budget, seed, path: flags.path, factor, inRegime: flags.inRegime, backend });
      const doc = counterexampleFile(r);
      if (writes) naming(OUT, () => writeOutFiles(flags.out, [{ ...outFile, content: `${JSON.stringify(doc, null, 2)}\n` }]));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        return;
      }
      if (!r.found) {
        process.stdout.write(`No instance beat the law by the factor ${factor} in ${r.numRuns} runs (seed ${seed}).\n`);
        return;
      }
      const m = doc.measured!;
      process.stdout.write(
        [
          `verdict: counterexample (regime ${regime}): the informal law with the ambient d and c = 1 is beaten by a factor ${fmtNum(1 / (m.Rcertified as number))}`,
          `  ${r.description}`,
          `  minimal instance after ${r.numShrinks} shrinks: n = ${m.n}, d = ${m.d}, p = ${m.p}, params ${JSON.stringify(r.counterexample)}`,
          `  eps = ${fmtNum(m.eps as number)} (${m.epsSource}), law eps sqrt(n d / p) = ${fmtNum(m.law as number)}, certified ${regime === 'average' ? 'E||grad f|| <=' : 'Lip <='} ${fmtNum(((m.Rcertified as number) * (m.law as number)))}, R = ${fmtNum(m.Rcertified as number)}`,
          `  replay: ${doc.replay.command}`,
        ].join('\n') + '\n',
      );
    });
}
