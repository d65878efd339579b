import type { Command } from 'commander';
import { Streams } from '../../core/streams.js';
import { buildInstance } from '../../law/instance.js';
import { ball, DOMAIN_KINDS, type Domain } from '../../lipschitz/domain.js';
import type { LipEstimate } from '../../lipschitz/estimate.js';
import { lipschitz, type LipschitzReport } from '../../estimators/lipschitz.js';
import type { MlpNetwork } from '../../models/mlp.js';
import { vectorLipschitz, type VectorLipschitzReport } from '../../estimators/vector-lipschitz.js';
import { loadNetworkFile, networkView, outputHead } from '../network-flags.js';
import type { Model } from '../../models/model.js';
import { fmtNum } from '../../report/table.js';
import { requireInt, requireOneOf, requirePositive } from '../../core/validate.js';
import { addInstanceOptions, requireInstanceFlagsApply, specFromFlags, type InstanceFlags } from '../instance-flags.js';
import { MODEL_OPTION_FLAGS, refuseGiven } from '../applicable.js';
import { InputError } from '../../core/input-error.js';
import { MAX_FRESH, MAX_ROUNDS, MAX_STARTS, MAX_STEPS, parseNumber, parseNumberList } from '../parse.js';
import { addBackendOption, backendLines, openBackendFlag } from '../backend-flag.js';

interface LipFlags extends InstanceFlags {
  verbose?: boolean;
  backend?: string;
  model?: string;
  output?: number;
  margin?: number[];
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

/** Builds the domain from --domain/--radius. */
export function domainFromFlags(kind: string, radius: number | undefined, model: Pick<Model, 'radius'>, fn: string): Domain {
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
    .option('--model <file>', 'a network instead of fitting a class: robustlaw-mlp/1 JSON, a TF.js model.json or an ONNX model (told apart by content)')
    .option('--output <i>', 'with --model: the constant of output i alone (counted from 0)', parseNumber)
    .option('--margin <i,j>', 'with --model: the constant of the margin f_i - f_j of two outputs (counted from 0)', parseNumberList)
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
      else refuseGiven(cmd, ['output', 'margin'], 'without --model (a fitted class has one output)');
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
        const net = loadNetworkFile(flags.model, fn);
        const seed = requireInt(fn, '--seed', flags.seed, 0, 0xffffffff);
        const view = networkView(net, flags.output, flags.margin, fn);
        if (view === null) {
          // a network read from a file states no input radius: the unit ball, as for one output
          process.stderr.write(backendLines(fn, backend, flags.verbose === true));
          vectorReport(net, flags, domainFromFlags(flags.domain, flags.radius, { radius: 1 }, fn), seed, t0);
          return;
        }
        model = view.model;
        const domain = domainFromFlags(flags.domain, flags.radius, model, fn);
        report = lipschitz(model, { domain, rng: new Streams(seed).stream('estimator'), starts: flags.starts, steps: flags.steps, rounds: flags.rounds, targetRatio: flags.targetRatio, timeLimit: flags.timeLimit, backend: backend.kernels });
        // the scalar c^T f bounded (exactly: `robustlaw check` recomputes the witness from it) and the domain's exact radius
        const c = Array.from({ length: net.outputs }, (_, i) => (view.outputs.length === 0 ? 1 : i === view.outputs[0] ? 1 : i === view.outputs[1] ? -1 : 0));
        header = { model: flags.model, seed, ...(view.outputs.length > 0 ? { outputs: net.outputs, of: view.name } : {}), head: c, domainSpec: domainSpec(domain) };
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
      process.stderr.write(backendLines(fn, backend, flags.verbose === true));
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
          ? w.region
            ? `||grad f|| >= ${fmtNum(w.gradNorm)} on the relu region of a point x of the domain, checked in exact arithmetic (see --json)`
            : `||grad f(x)|| = ${fmtNum(w.gradNorm)} at a point x (see --json)`
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

/** The domain with its exact radius (the name rounds it to 6 digits), for `robustlaw check`. */
function domainSpec(D: Domain): { kind: string; radius?: number } {
  return D.kind === 'ball' || D.kind === 'sphere' ? { kind: D.kind, radius: D.radius } : { kind: D.kind };
}

/**
 * `lip --model` on a network with several outputs and neither --output nor --margin: the l2 -> l2 constant
 * of f (src/estimators/vector-lipschitz.ts) and the constant of each output, each with its lower and upper
 * bounds. The effort flags apply to each search; --time-limit is shared among the m + 1 searches.
 */
function vectorReport(net: MlpNetwork, flags: LipFlags, domain: Domain, seed: number, t0: number): void {
  const streams = new Streams(seed);
  const share = flags.timeLimit / (net.outputs + 1);
  const effort = { domain, starts: flags.starts, steps: flags.steps, rounds: flags.rounds, targetRatio: flags.targetRatio, timeLimit: share };
  const l2: VectorLipschitzReport = vectorLipschitz(net, { ...effort, rng: streams.stream('estimator') });
  const per = Array.from({ length: net.outputs }, (_, i) => lipschitz(outputHead(net, [i]).model, { ...effort, rng: streams.stream(`estimator/output${i}`) }));
  const seconds = (performance.now() - t0) / 1000;
  const fin = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? null : x);
  if (flags.json) {
    const out = {
      model: flags.model,
      seed,
      description: net.description,
      outputs: net.outputs,
      norm: 'l2 -> l2',
      domain: l2.domain,
      domainSpec: domainSpec(domain),
      lower: l2.lower.value,
      upper: fin(l2.upper?.value),
      exact: fin(l2.exact?.value),
      ratio: fin(l2.ratio),
      witness: l2.lower.witness,
      lowerMethod: l2.lower.method,
      upperMethod: l2.upper?.method ?? null,
      perOutput: per.map((r, i) => ({ output: i, lower: r.lower.value, upper: fin(r.upper?.value), exact: fin(r.exact?.value), ratio: fin(r.ratio), lowerMethod: r.lower.method, upperMethod: r.upper?.method ?? null, witness: r.lower.witness, estimates: r.upper ? [estimateJson(r.upper)] : [] })),
      seconds,
      estimates: [l2.exact, l2.upper, l2.lower].filter((e) => e !== null).map(estimateJson),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const w = l2.lower.witness;
  const witness = w.type === 'jacobian' ? `||J(x)||_2 = ${fmtNum(w.sigma)} at a point x, with its top singular vectors (see --json)` : w.type === 'vector-pair' ? `||f(a) - f(b)|| / ||a - b|| = ${fmtNum(w.secant)} for a pair (a, b) (see --json)` : w.type === 'certificate' ? w.formula : '';
  const col = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : fmtNum(x)).padStart(12);
  const lines = [
    `${net.description}   (seed ${seed})`,
    `outputs      ${net.outputs}: the l2 -> l2 constant of f: R^${net.d} -> R^${net.outputs} (--output i or --margin i,j for one scalar)`,
    `domain       ${l2.domain}`,
    `lower        ${fmtNum(l2.lower.value)}   (${l2.lower.method}; certified: ${witness})`,
    `upper        ${l2.upper ? `${fmtNum(l2.upper.value)}   (${l2.upper.method})` : 'none'}`,
    `exact        ${l2.exact ? fmtNum(l2.exact.value) : 'unknown'}`,
    `upper/lower  ${Number.isFinite(l2.ratio) ? fmtNum(l2.ratio) : 'inf'}`,
    `per output   ${'output'.padStart(6)}${'lower'.padStart(12)}${'upper'.padStart(12)}${'upper/lower'.padStart(12)}`,
    ...per.map((r, i) => `             ${String(i).padStart(6)}${col(r.lower.value)}${col(r.upper?.value)}${col(r.ratio)}`),
    `time         ${seconds.toFixed(2)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
