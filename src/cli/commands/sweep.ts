import type { Command } from 'commander';
import { DISTRIBUTION_NAMES } from '../../data/distribution.js';
import { LABEL_NAMES } from '../../labels/label-model.js';
import { ACTIVATIONS } from '../../activations/activation.js';
import { BUMP_PROFILES } from '../../models/bump-profile.js';
import { fmtNum } from '../../report/table.js';
import { writeReport } from '../../report/write-report.js';
import { defaultSweepSpec } from '../../sweep/default-spec.js';
import { classLabel, isCounterexampleRecord } from '../../law/record.js';
import { runSweepYielding, shardPoints } from '../../sweep/run-sweep.js';
import { checkRunDir } from '../../sweep/run-dir.js';
import { parseShard, WHOLE, type Shard } from '../../sweep/shard.js';
import { shardFromEnv, SHARD_COUNT_VAR, type EnvShard } from '../../sweep/shard-env.js';
import { checkShardCount } from '../../sweep/shard-count.js';
import { parseSweepSpec, specBlocks, SWEEP_CLASSES, type SweepSpec } from '../../sweep/spec.js';
import { functionClass } from '../../models/registry.js';
import { refuseGiven, requireDataReads } from '../applicable.js';
import { naming } from '../errors.js';
import { checkBenchFlag, readFileFlag } from '../files.js';
import { addDataOptions, requireScaleRange } from '../instance-flags.js';
import { parseList, parseNumber, parseNumberList, UsageError } from '../parse.js';
import { progress } from '../progress.js';
import { appendStepSummary } from '../step-summary.js';
import { runStepSummary } from '../../report/step-summary-markdown.js';
import { LAW_TOLERANCE } from '../../law/verdict.js';
import { addBackendOption, backendLines, openBackendFlag } from '../backend-flag.js';

interface SweepFlags {
  verbose?: boolean;
  spec?: string;
  backend?: string;
  class?: string[];
  dist?: string[];
  labels?: string[];
  n?: number[];
  d?: number[];
  k?: number[];
  p?: number[];
  seeds?: number[];
  activation?: string[];
  degree?: number[];
  profile?: string[];
  penalty?: number[];
  components?: number;
  m?: number;
  scale?: number;
  eta?: number;
  noise?: number;
  starts?: number;
  steps?: number;
  out: string;
  shard?: string;
  report: boolean;
  bench?: string | false;
  printSpec?: boolean;
  replace?: boolean;
  certificates?: boolean;
}

const GRID_FLAGS = ['class', 'dist', 'labels', 'n', 'd', 'k', 'p', 'seeds', 'activation', 'degree', 'profile', 'penalty', 'components', 'm', 'scale', 'eta', 'noise', 'starts', 'steps'] as const;

/** A model-option flag's values: one value, or a list (a grid axis). */
const axis = <T>(v: T[] | undefined): T | T[] | undefined => (v === undefined ? undefined : v.length === 1 ? v[0] : v);

/** Builds the raw spec object from flags (validated by the same schema as a spec file). */
function specFromSweepFlags(f: SweepFlags): SweepSpec {
  const drop = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const raw = drop({
    class: f.class,
    dist: f.dist,
    labels: f.labels,
    n: f.n,
    d: f.d,
    k: f.k,
    p: f.p,
    seeds: f.seeds === undefined ? undefined : f.seeds.length === 1 ? f.seeds[0] : f.seeds,
    // a list is a grid axis; one value is written as one value (the spec's canonical form, as in a file)
    model: drop({ activation: axis(f.activation), degree: axis(f.degree), profile: axis(f.profile), penalty: axis(f.penalty) }),
    distOptions: drop({ components: f.components, m: f.m, scale: f.scale }),
    labelOptions: drop({ eta: f.eta, noise: f.noise }),
    estimator: drop({ starts: f.starts, steps: f.steps }),
  });
  return naming(gridFlag, () => parseSweepSpec(raw, 'robustlaw sweep'));
}

/** A spec built from flags names its keys by their flags: `spec.n[1]` -> `--n (item 2)`, `spec.distOptions.m` -> `--m`, `spec` -> `the grid flags`. */
function gridFlag(parameter: string): string | undefined {
  if (parameter === 'spec') return 'the grid flags';
  const m = /^spec(?:\.(?:model|distOptions|labelOptions|estimator))?\.([A-Za-z]+)(?:\[(\d+)\])?/.exec(parameter);
  if (!m || !(GRID_FLAGS as readonly string[]).includes(m[1])) return undefined;
  return m[2] === undefined ? `--${m[1]}` : `--${m[1]} (item ${Number(m[2]) + 1})`;
}

/** Library inputs of the run and its report that are the --out directory here. */
const OUT_NAMES = { outDir: '--out', dir: '--out', path: '--out' } as const;

/** `robustlaw sweep`: a grid of instances, resumable, shardable, with a report at the end. */
export function registerSweep(program: Command): void {
  const cmd = addDataOptions(program.command('sweep'))
    .description('fit and bound a grid of instances (classes x data x n x d x p x seeds); resumable, shardable; writes results.jsonl and a report (exit 1 on a certified counterexample)')
    .option('--spec <file>', 'a JSON or YAML sweep spec (the same keys as the flags below; see README)')
    .option('--class <list>', `classes: ${SWEEP_CLASSES.join(', ')}`, parseList)
    .option('--dist <list>', `covariates: ${DISTRIBUTION_NAMES.join(', ')} (default sphere)`, parseList)
    .option('--labels <list>', `labels: ${LABEL_NAMES.join(', ')} (default signs)`, parseList)
    .option('--n <list>', 'numbers of training points, e.g. 60,120', parseNumberList)
    .option('--d <list>', 'dimensions', parseNumberList)
    .option('--k <list>', 'widths of random-features (p = k), ntk-features (p = d k), two-layer (p = k (d + 2) + 1)', parseNumberList)
    .option('--p <list>', 'target parameter counts instead of --k (converted to k per class)', parseNumberList)
    .option('--seeds <N|list>', 'N: seeds 0..N-1; or a list of seeds (default 1)', parseNumberList)
    .option('--activation <list>', `activations of the width classes: ${ACTIVATIONS.join(', ')} (a list is a grid axis)`, parseList)
    .option('--degree <list>', 'polynomial degrees (a list is a grid axis)', parseNumberList)
    .option('--profile <list>', `bump profiles: ${BUMP_PROFILES.join(', ')} (a list is a grid axis)`, parseList)
    .option('--penalty <list>', 'two-layer input-gradient penalties (a list is a grid axis)', parseNumberList)
    .option('--starts <int>', 'gradient-ascent starts per instance (default 8)', parseNumber)
    .option('--steps <int>', 'ascent steps per start (default 60)', parseNumber)
    .option('--out <dir>', 'output directory (rerun the same command to resume)', 'reports/latest')
    .option('--replace', 'if --out holds a different run or shard, delete the files its sweep.json lists and start over (default: refuse)')
    .option('--shard <i/N|env>', `run only shard i of N (round-robin over the grid); join with robustlaw merge. env: the task's shard from its scheduler (Slurm SLURM_ARRAY_TASK_ID of the array's ids; Kubernetes JOB_COMPLETION_INDEX of ${SHARD_COUNT_VAR})`)
    .option('--certificates', 'write each record\'s certificate (the fitted parameters, witnesses, certificate data) to --out/certificates/, for robustlaw check')
    .option('--no-report', 'skip summary.json, report.md, report.html and plots')
    .option('--bench <file>', 'benchmark JSON for the report\'s bars (default reports/bench/latest.json, else baseline.json)')
    .option('--no-bench', 'no benchmark bars in the report')
    .option('--print-spec', 'print the validated spec as JSON and exit (a starting point for --spec files)');
  addBackendOption(cmd)
    .action(async (flags: SweepFlags, cmd: Command) => {
      const fn = 'robustlaw sweep';
      const gridFlags = GRID_FLAGS.filter((k) => flags[k] !== undefined);
      if (flags.spec !== undefined && gridFlags.length > 0) throw new UsageError(`${fn}: give --spec or grid flags, not both (got --spec and --${gridFlags[0]})`);
      requireScaleRange(fn, flags.scale);
      if (!flags.report && typeof flags.bench === 'string') refuseGiven(cmd, ['bench'], 'with --no-report (the bars are drawn in the report)');
      const spec = flags.spec !== undefined ? readFileFlag('--spec', flags.spec, (raw) => parseSweepSpec(raw, flags.spec), true) : gridFlags.length > 0 ? specFromSweepFlags(flags) : defaultSweepSpec();
      // data-law and label options that no data law or label model of the grid reads
      const grids = specBlocks(spec).map((b) => b.grid);
      requireDataReads(cmd, grids.flatMap((g) => g.dist), grids.flatMap((g) => g.labels));
      const classes = [...new Set(grids.flatMap((g) => g.class))];
      for (const key of ['activation', 'degree', 'profile', 'penalty'] as const) {
        if (!classes.some((c) => (functionClass(c).reads as readonly string[]).includes(key))) refuseGiven(cmd, [key], `to --class ${classes.join(',')} (no class of the grid reads it)`);
      }
      const fromEnv: EnvShard | null = flags.shard === 'env' ? shardFromEnv(process.env) : null;
      const shard: Shard = fromEnv ? { index: fromEnv.index, count: fromEnv.count } : flags.shard === undefined ? WHOLE : parseShard(flags.shard);
      if (flags.printSpec) {
        process.stdout.write(`${JSON.stringify(spec, null, 2)}\n`);
        return;
      }
      if (flags.report) checkBenchFlag(flags.bench);
      // the backend name checked before anything is written
      const backend = await openBackendFlag(flags.backend ?? spec.backend);
      // a task of a job array: the count its directory and its siblings' recorded must be this one
      if (fromEnv && flags.replace !== true) checkShardCount(flags.out, spec, shard, fromEnv.from);
      // --out checked before any work: a new or empty directory, or this same run and shard (or --replace)
      naming(OUT_NAMES, () => checkRunDir(flags.out, { kind: 'sweep', spec, shard }, { replace: flags.replace === true }));
      const total = shardPoints(spec, shard).length;
      process.stderr.write(`${fn}: ${total} instances${shard.count > 1 || fromEnv ? ` (shard ${shard.index}/${shard.count}${fromEnv ? `, from ${fromEnv.from}` : ''})` : ''} -> ${flags.out}${flags.spec === undefined && gridFlags.length === 0 ? ' (the built-in quick sweep; --print-spec shows it)' : ''}\n`);
      let bar: ReturnType<typeof progress> | null = null;
      const outcome = await naming(OUT_NAMES, () => runSweepYielding({
        spec,
        outDir: flags.out,
        shard,
        replace: flags.replace === true,
        backend,
        certificates: flags.certificates === true,
        onStart: (n, done, torn) => {
          process.stderr.write(backendLines(fn, backend, flags.verbose === true));
          if (torn > 0) process.stderr.write(`${fn}: dropped a torn last line (${torn} bytes) left by an interrupted run\n`);
          if (done > 0) process.stderr.write(`${fn}: resuming, ${done} of ${n} already done\n`);
          bar = progress(n, 'sweep', done, flags.verbose === true);
        },
        onRecord: (r) => bar?.tick(`${classLabel(r.spec)} n=${r.spec.n} d=${r.spec.d} p=${r.p} seed=${r.spec.seed}: R=${fmtNum(r.R)}`),
      }));
      (bar as ReturnType<typeof progress> | null)?.stop();
      const cex = outcome.records.filter(isCounterexampleRecord);
      process.stdout.write(`${outcome.records.length} instances (${outcome.computed} computed, ${outcome.resumed} resumed) in ${flags.out}/results.jsonl\n`);
      if (flags.report) {
        const { summary, files } = await naming(OUT_NAMES, () => writeReport(flags.out, { bench: flags.bench === false ? null : flags.bench }));
        process.stdout.write(`smallest R over the law's regime ${fmtNum(summary.smallestR)} (tau = ${summary.tau}); report: ${files.filter((f) => /report\.(md|html)$/.test(f)).join(', ')}\n`);
      }
      process.stdout.write(cex.length ? `CERTIFIED COUNTEREXAMPLE(S): ${cex.map((r) => r.id).join('; ')}\n` : 'No certified counterexample.\n');
      appendStepSummary(runStepSummary(`robustlaw sweep${shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : ''}`, outcome.records, LAW_TOLERANCE, flags.out));
      process.exitCode = cex.length ? 1 : 0;
    });
}
