import type { Command } from 'commander';
import { MAX_VERIFY_COUNT } from '../../law/size-limits.js';
import { MAX_SEED } from '../../core/rng.js';
import { requireInt, requireOneOf } from '../../core/validate.js';
import { verifyCount, verifyRunYielding } from '../../sweep/verify-run.js';
import { fmtNum, textTable } from '../../report/table.js';
import { parseNumber } from '../parse.js';
import { writeReport } from '../../report/write-report.js';
import { appendStepSummary } from '../step-summary.js';
import { runStepSummary } from '../../report/step-summary-markdown.js';
import { refuseGiven } from '../applicable.js';
import { checkBenchFlag } from '../files.js';
import { naming } from '../errors.js';
import { checkRunDir } from '../../sweep/run-dir.js';
import { WHOLE } from '../../sweep/shard.js';
import { progress } from '../progress.js';
import { addBackendOption, backendLines, openBackendFlag } from '../backend-flag.js';

interface VerifyFlags {
  verbose?: boolean;
  backend?: string;
  profile: string;
  seed?: number;
  count?: number;
  json?: boolean;
  out?: string;
  bench?: string | false;
  replace?: boolean;
  certificates?: boolean;
}

/** Library inputs that are the --out directory here. */
const OUT = { outDir: '--out', dir: '--out', path: '--out' } as const;

/** `robustlaw verify`: the in-regime verification as a report; exit 1 on a certified counterexample. */
export function registerVerify(program: Command): void {
  const cmd = program.command('verify');
  addBackendOption(cmd)
    .description('fit seeded in-regime instances of every class and check each against Theorem 3 and the law (exit 1 on a certified counterexample)')
    .option('--profile <name>', 'quick or deep', 'quick')
    .option('--seed <int>', 'seed (default: random, printed)', parseNumber)
    .option('--count <int>', 'number of instances (default 48 quick, 200 deep)', parseNumber)
    .option('--json', 'machine-readable output')
    .option('--out <dir>', 'also write results.jsonl, summary.json, report.md, report.html and plots/ there')
    .option('--replace', 'if --out holds another run, delete the files its sweep.json lists and start over (default: refuse)')
    .option('--certificates', 'write each record\'s certificate to --out/certificates/, for robustlaw check')
    .option('--bench <file>', 'benchmark JSON for the report\'s bars (default reports/bench/latest.json, else baseline.json)')
    .option('--no-bench', 'no benchmark bars in the report')
    .action(async (flags: VerifyFlags, cmd: Command) => {
      const fn = 'robustlaw verify';
      if (flags.out === undefined) refuseGiven(cmd, ['replace', 'bench', 'certificates'], 'without --out (nothing is written)');
      const profile = requireOneOf(fn, '--profile', flags.profile, ['quick', 'deep'] as const);
      const seed = flags.seed === undefined ? (Date.now() ^ (process.pid << 10)) >>> 0 : requireInt(fn, '--seed', flags.seed, 0, MAX_SEED);
      const count = flags.count === undefined ? undefined : requireInt(fn, '--count', flags.count, 1, MAX_VERIFY_COUNT);
      const total = count ?? verifyCount(profile);
      if (flags.out !== undefined) checkBenchFlag(flags.bench);
      // the backend name checked before anything is printed or written
      const backend = await openBackendFlag(flags.backend);
      // --out checked before any work: a new or empty directory, or this same verify run (or --replace)
      if (flags.out !== undefined) naming(OUT, () => checkRunDir(flags.out!, { kind: 'verify', spec: { profile, seed, count: total }, shard: WHOLE }, { replace: flags.replace === true }));
      process.stderr.write(`robustlaw verify: profile=${profile} seed=${seed} (replay with --seed ${seed})\n`);
      process.stderr.write(backendLines(fn, backend, flags.verbose === true));
      const bar = progress(total, 'verify', 0, flags.verbose === true);
      // With --out the records go to results.jsonl through the runner (resumable); a directory holding another
      // run is refused unless --replace (which deletes only the files its sweep.json lists).
      const result = await naming(OUT, () => verifyRunYielding({ profile, seed, count, backend, outDir: flags.out, replace: flags.replace === true, certificates: flags.certificates === true, onRecord: (r) => bar.tick(`${r.spec.className} n=${r.spec.n} d=${r.spec.d}`) }));
      bar.stop();
      const bad = result.counterexamples.length > 0;
      if (flags.out !== undefined) {
        await naming(OUT, () => writeReport(flags.out!, { bench: flags.bench === false ? null : flags.bench }));
        process.stderr.write(`robustlaw verify: report in ${flags.out}/report.md and ${flags.out}/report.html\n`);
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        const rows = result.records.map((r, i) => [
          String(i + 1),
          `${r.spec.className}${r.spec.modelOptions?.activation ? `/${r.spec.modelOptions.activation}` : ''}${r.spec.modelOptions?.penalty ? '+pen' : ''}`,
          `${r.spec.dist}/${r.spec.labels}`,
          r.spec.n,
          r.spec.d,
          r.p,
          r.eps,
          r.lower,
          r.upper,
          r.law,
          r.R,
          r.law === null ? null : r.lower / (result.tau * r.law),
          r.inLawRegime ? r.lawVerdict : '(outside)',
          r.theorem3.verdict,
        ]);
        process.stdout.write(`${textTable(['#', 'class', 'data', 'n', 'd', 'p', 'eps', 'Lip lower', 'Lip upper', 'law', 'R', 'margin', `law (tau=${result.tau})`, 'Theorem 3'], rows)}\n\n`);
        const na = result.records.filter((r) => r.theorem3.verdict === 'not-applicable').length;
        process.stdout.write(
          [
            `${result.records.length} instances in ${result.seconds.toFixed(1)} s; smallest R over the law's regime = ${fmtNum(result.smallestR)} (tolerance tau = ${result.tau}).`,
            `R = Lip lower / (eps sqrt(n d / p)); margin = Lip lower / (tau eps sqrt(n d / p)); '(outside)': eps < 0.1 or n eps^2 < 8 k, where the law makes no claim.`,
            `Theorem 3 was not applicable to ${na} of ${result.records.length} (its k-condition needs n >= 27,381 at eps ~ 1: see 'robustlaw bound').`,
            bad ? `CERTIFIED COUNTEREXAMPLE(S): ${result.counterexamples.length} (see --json)` : 'No certified counterexample.',
          ].join('\n') + '\n',
        );
      }
      appendStepSummary(runStepSummary(`robustlaw verify (profile ${profile}, seed ${seed})`, result.records, result.tau, flags.out ?? '(not written)'));
      process.exitCode = bad ? 1 : 0;
    });
}
