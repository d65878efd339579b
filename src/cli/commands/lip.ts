import type { Command } from 'commander';
import { Streams } from '../../core/streams.js';
import { buildInstance } from '../../law/instance.js';
import { ball, DOMAIN_KINDS, type Domain } from '../../lipschitz/domain.js';
import type { LipEstimate } from '../../lipschitz/estimate.js';
import { lipschitz, type LipschitzReport } from '../../lipschitz/lipschitz.js';
import { parseMlp } from '../../models/mlp.js';
import type { Model } from '../../models/model.js';
import { fmtNum } from '../../report/table.js';
import { requireInt, requireOneOf, requirePositive } from '../../core/validate.js';
import { addInstanceOptions, requireInstanceFlagsApply, specFromFlags, type InstanceFlags } from '../instance-flags.js';
import { MODEL_OPTION_FLAGS, refuseGiven } from '../applicable.js';
import { asInputError, readFileFlag } from '../files.js';
import { InputError } from '../../core/input-error.js';
import { MAX_FRESH, MAX_ROUNDS, MAX_STARTS, MAX_STEPS, parseNumber } from '../parse.js';
import { addBackendOption, backendLines, openBackendFlag } from '../backend-flag.js';

interface LipFlags extends InstanceFlags {
  backend?: string;
  model?: string;
  domain: string;
  radius?: number;
  starts: number;
  steps: number;
  rounds: number;
  targetRatio: number;
  timeLimit: number;
  fresh: number;
  json?: boolean;
}

/** Loads an `mlp` JSON file given by --model; errors name the flag, the file and the layer. */
export function loadMlpFile(path: string) {
  return readFileFlag('--model', path, (raw) => {
    try {
      return parseMlp(raw, path);
    } catch (e) {
      throw asInputError(e, '--model', path, 'a robustlaw-mlp/1 network');
    }
  });
}

/** Builds the domain from --domain/--radius. */
export function domainFromFlags(kind: string, radius: number | undefined, model: Model, fn: string): Domain {
  const k = requireOneOf(fn, '--domain', kind, DOMAIN_KINDS);
  if (k === 'Rd') return { kind: 'Rd' };
  const R = radius === undefined ? model.radius : requirePositive(fn, '--radius', radius);
  if (k === 'ball') return ball(R);
  if (k === 'sphere') return { kind: 'sphere', radius: R };
  throw new InputError('--domain', 'Rd, ball or sphere here (data-ball needs the data: use it through the library API)', kind, { context: fn });
}

/** Serialises an estimate for JSON output. */
export function estimateJson(e: LipEstimate | null) {
  return e === null ? null : { kind: e.kind, value: Number.isFinite(e.value) ? e.value : null, method: e.method, domain: e.domain, evaluations: e.evaluations, witness: e.witness };
}

/** `robustlaw lip`: certified Lipschitz lower and upper bounds of a fitted (or loaded) model. */
export function registerLip(program: Command): void {
  const cmd = program.command('lip').description('certified Lipschitz lower and upper bounds (and exact values where known) of a fitted model');
  addBackendOption(cmd);
  addInstanceOptions(cmd)
    .option('--model <file.json>', 'an mlp network (robustlaw-mlp/1 JSON) instead of fitting a class')
    .option('--domain <kind>', `domain: ${DOMAIN_KINDS.filter((k) => k !== 'data-ball').join(', ')} (default: ball of the model's stated radius)`, 'ball')
    .option('--radius <x>', 'domain radius (default: the model stated radius, max(1, max ||x_i||))', parseNumber)
    .option('--starts <int>', 'gradient-ascent starts in the first round, an integer in [1, 10000]', parseNumber, 16)
    .option('--steps <int>', 'ascent steps per start, an integer in [0, 100000]', parseNumber, 100)
    .option('--rounds <int>', 'maximum ascent rounds (starts double each round), an integer in [0, 20]', parseNumber, 3)
    .option('--target-ratio <x>', 'stop once upper / lower <= this', parseNumber, 1.01)
    .option('--time-limit <s>', 'estimator time budget in seconds', parseNumber, 25)
    .option('--fresh <int>', 'fresh draws from the data distribution, an integer in [0, 1000000]', parseNumber, 512)
    .option('--json', 'machine-readable output')
    .action(async (flags: LipFlags, cmd: Command) => {
      const fn = 'robustlaw lip';
      if (flags.model !== undefined) refuseGiven(cmd, ['class', 'dist', 'labels', 'n', 'd', ...MODEL_OPTION_FLAGS, 'components', 'm', 'scale', 'eta', 'noise', 'fresh'], 'with --model (the network is loaded from the file, not fitted to drawn data)');
      if (flags.domain === 'Rd') refuseGiven(cmd, ['radius'], 'with --domain Rd (the whole space has no radius)');
      requireInt(fn, '--starts', flags.starts, 1, MAX_STARTS);
      requireInt(fn, '--steps', flags.steps, 0, MAX_STEPS);
      requireInt(fn, '--rounds', flags.rounds, 0, MAX_ROUNDS);
      requireInt(fn, '--fresh', flags.fresh, 0, MAX_FRESH);
      requirePositive(fn, '--target-ratio', flags.targetRatio);
      requirePositive(fn, '--time-limit', flags.timeLimit);
      const t0 = performance.now();
      let model: Model;
      let report: LipschitzReport;
      const backend = await openBackendFlag(flags.backend);
      let header: Record<string, unknown>;
      if (flags.model !== undefined) {
        model = loadMlpFile(flags.model);
        const seed = requireInt(fn, '--seed', flags.seed, 0, 0xffffffff);
        const domain = domainFromFlags(flags.domain, flags.radius, model, fn);
        report = lipschitz(model, { domain, rng: new Streams(seed).stream('estimator'), starts: flags.starts, steps: flags.steps, rounds: flags.rounds, targetRatio: flags.targetRatio, timeLimit: flags.timeLimit, backend: backend.kernels });
        header = { model: flags.model, seed };
      } else {
        const spec = specFromFlags(flags, fn);
        requireInstanceFlagsApply(cmd, spec, fn);
        const inst = buildInstance(spec);
        model = inst.fit.model;
        const domain = domainFromFlags(flags.domain, flags.radius, model, fn);
        const fresh = flags.fresh > 0 ? inst.dist.sample(flags.fresh, inst.streams.stream('estimator/fresh')) : undefined;
        report = lipschitz(model, {
          domain,
          X: inst.X,
          n: spec.n,
          fresh,
          freshCount: flags.fresh,
          backend: backend.kernels,
          rng: inst.streams.stream('estimator'),
          starts: flags.starts,
          steps: flags.steps,
          rounds: flags.rounds,
          targetRatio: flags.targetRatio,
          timeLimit: flags.timeLimit,
        });
        header = { class: spec.className, dist: spec.dist, labels: spec.labels, n: spec.n, d: spec.d, seed: spec.seed, p: model.p, trainMse: inst.fit.trainMse, eps: inst.fit.eps };
      }
      const seconds = (performance.now() - t0) / 1000;
      const fin = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? null : x);
      process.stderr.write(backendLines(fn, backend));
      if (flags.json) {
        const out = {
          ...header,
          description: model.description,
          domain: report.domain,
          lower: report.lower.value,
          upper: fin(report.upper?.value),
          exact: fin(report.exact?.value),
          ratio: fin(report.ratio),
          witness: report.lower.witness,
          lowerMethod: report.lower.method,
          upperMethod: report.upper?.method ?? null,
          dataFloor: fin(report.dataFloor?.value),
          averageGradientNorm: fin(report.average?.value),
          seconds,
          search: report.search,
          estimates: report.estimates.map(estimateJson),
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      const w = report.lower.witness;
      const witness =
        w.type === 'point'
          ? `||grad f(x)|| = ${fmtNum(w.gradNorm)} at a point x (see --json)`
          : w.type === 'pair'
            ? `|f(a) - f(b)| / ||a - b|| = ${fmtNum(w.secant)} for a pair (a, b) (see --json)`
            : w.type === 'certificate'
              ? w.formula
              : '';
      const lines = [
        `${model.description}   (seed ${String(header.seed)})`,
        `domain       ${report.domain}`,
        `lower        ${fmtNum(report.lower.value)}   (${report.lower.method}; certified: ${witness})`,
        `upper        ${report.upper ? `${fmtNum(report.upper.value)}   (${report.upper.method})` : 'none for this class on this domain'}`,
        `exact        ${report.exact ? fmtNum(report.exact.value) : 'unknown'}`,
        `upper/lower  ${Number.isFinite(report.ratio) ? fmtNum(report.ratio) : 'inf'}`,
        ...(report.dataFloor ? [`data floor   ${fmtNum(report.dataFloor.value)}   (max secant over the fitted values at the data; any interpolant has at least this)`] : []),
        ...(report.average ? [`avg |grad|   ${fmtNum(report.average.value)}   (a statistic under the data distribution, NOT a Lipschitz bound)`] : []),
        `time         ${seconds.toFixed(2)} s (${report.rounds} ascent round${report.rounds === 1 ? '' : 's'})`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
