import type { Command } from 'commander';
import { certificateFileJson } from '../../sweep/certificate-file.js';
import { LAW_TOLERANCE } from '../../law/verdict.js';
import { requireDataFits } from '../../law/size-limits.js';
import { MAX_SEED } from '../../core/rng.js';
import { Streams } from '../../core/streams.js';
import { requireClosed, requireInt, requireOneOf } from '../../core/validate.js';
import { MAX_DATA_MAGNITUDE, requireLawLabels, type DataSet } from '../../data/data-file.js';
import { readDataFile, rescaleLabels } from '../../data/read-data.js';
import { classifierMargin } from '../../law/classifier-margin.js';
import type { MlpModel } from '../../models/mlp.js';
import { loadNetworkFile, requireMargin } from '../network-flags.js';
import { DISTRIBUTION_NAMES } from '../../data/distribution.js';
import { makeDistribution } from '../../data/make-distribution.js';
import { LABEL_NAMES } from '../../labels/label-model.js';
import { makeLabels } from '../../labels/make-labels.js';
import { checkModel, type NoiseSource } from '../../law/check-model.js';
import { fmtNum } from '../../report/table.js';
import { addDataOptions, requireScaleRange } from '../instance-flags.js';
import { InputError } from '../../core/input-error.js';
import { MAX_ROUNDS, MAX_STARTS, MAX_STEPS, parseNumber, parseNumberList, UsageError } from '../parse.js';
import { addBackendOption, backendLines, openBackendFlag } from '../backend-flag.js';
import { refuseGiven, requireDataReads } from '../applicable.js';
import { naming } from '../errors.js';

interface CheckFlags {
  verbose?: boolean;
  backend?: string;
  model: string;
  data?: string;
  margin?: number[];
  rescaleLabels?: boolean;
  dist?: string;
  labels?: string;
  n: number;
  seed: number;
  components?: number;
  m?: number;
  scale?: number;
  eta?: number;
  noise?: number;
  sigma2?: number;
  starts: number;
  steps: number;
  rounds: number;
  json?: boolean;
}

function readData(path: string, fn: string): DataSet {
  return naming({ path: '--data' }, () => readDataFile(path, fn));
}

/** `robustlaw check-model`: a user's network against the law, in a practitioner's words. */
export function registerCheckModel(program: Command): void {
  addBackendOption(addDataOptions(program.command('check-model')))
    .description("check your own network (robustlaw-mlp/1 JSON) against the law on your data or on a built-in data law")
    .requiredOption('--model <file>', 'the network: robustlaw-mlp/1 JSON, a TF.js model.json or an ONNX model (told apart by content)')
    .option('--data <file>', 'training data: robustlaw-data/1 JSON {"X": [[...], ...], "y": [...], "sigma2"?: x}, CSV or .npy (n x (d + 1), label last); a classifier\'s labels are classes 0..m-1')
    .option('--margin <i,j>', 'for a network with several outputs: judge the margin f_i - f_j (default: the class predicted most often over its most frequent runner-up)', parseNumberList)
    .option('--rescale-labels', 'map the data file\'s labels affinely onto [-1, 1] (and sigma2 with them) instead of refusing labels outside it')
    .option('--dist <name>', `or draw the data: ${DISTRIBUTION_NAMES.join(', ')} (d from the model)`)
    .option('--labels <name>', `labels for --dist: ${LABEL_NAMES.join(', ')}`, undefined)
    .option('--n <int>', 'points to draw with --dist, an integer >= 1', parseNumber, 200)
    .option('--seed <int>', 'seed of the drawn data and the estimator, an integer in [0, 4294967295]', parseNumber, 1)
    .option('--sigma2 <x>', 'label noise variance, in [0, 1e100] (default: from --labels, the data file, else the label variance)', parseNumber)
    .option('--starts <int>', 'gradient-ascent starts, an integer in [1, 10000]', parseNumber, 16)
    .option('--steps <int>', 'ascent steps per start, an integer in [0, 100000]', parseNumber, 100)
    .option('--rounds <int>', 'maximum ascent rounds, an integer in [0, 20]', parseNumber, 3)
    .option('--json', 'machine-readable output')
    .action(async (flags: CheckFlags, cmd: Command) => {
      const fn = 'robustlaw check-model';
      if ((flags.data === undefined) === (flags.dist === undefined)) throw new UsageError(`${fn}: give exactly one of --data FILE or --dist NAME (got ${flags.data === undefined ? 'neither' : 'both'})`);
      if (flags.data !== undefined) refuseGiven(cmd, ['labels', 'n', 'components', 'm', 'scale', 'eta', 'noise'], 'with --data (the data and its labels come from the file)');
      else requireDataReads(cmd, [requireOneOf(fn, '--dist', flags.dist, DISTRIBUTION_NAMES)], [requireOneOf(fn, '--labels', flags.labels ?? 'signs', LABEL_NAMES)]);
      const seed = requireInt(fn, '--seed', flags.seed, 0, MAX_SEED);
      requireInt(fn, '--starts', flags.starts, 1, MAX_STARTS);
      requireInt(fn, '--steps', flags.steps, 0, MAX_STEPS);
      requireInt(fn, '--rounds', flags.rounds, 0, MAX_ROUNDS);
      requireScaleRange(fn, flags.scale);
      if (flags.sigma2 !== undefined) requireClosed(fn, '--sigma2', flags.sigma2, 0, MAX_DATA_MAGNITUDE);
      const net = loadNetworkFile(flags.model, fn);
      if (flags.data === undefined) refuseGiven(cmd, ['rescaleLabels'], 'with --dist (the drawn labels are in [-1, 1])');
      if (net.outputs === 1) refuseGiven(cmd, ['margin'], `to a network with one output (${flags.model})`);
      else refuseGiven(cmd, ['rescaleLabels'], `to a network with ${net.outputs} outputs (its labels are classes 0..${net.outputs - 1})`);
      const pair = flags.margin === undefined ? undefined : requireMargin(net, flags.margin, fn);
      const streams = new Streams(seed);
      let data: DataSet;
      let sigma2 = flags.sigma2;
      let source: NoiseSource = 'given';
      let c = 1;
      let k = 1;
      if (flags.data !== undefined) {
        data = readData(flags.data, fn);
        if (data.d !== net.d) throw new InputError('--data', `a data set with d = ${net.d} columns, as ${flags.model} takes ${net.d} inputs`, flags.data, { context: fn, shown: `${flags.data}, with ${data.d} columns` });
        if (flags.rescaleLabels) data = rescaleLabels(data, flags.data);
        // the law is stated for labels in [-1, 1] (a classifier's are classes: see classifierMargin)
        if (net.outputs === 1) requireLawLabels(data, flags.data);
        if (sigma2 === undefined && data.sigma2 !== undefined) sigma2 = data.sigma2;
      } else {
        const distName = requireOneOf(fn, '--dist', flags.dist, DISTRIBUTION_NAMES);
        const labelName = requireOneOf(fn, '--labels', flags.labels ?? 'signs', LABEL_NAMES);
        const n = requireInt(fn, '--n', flags.n, 1);
        requireDataFits(fn, n, net.d, net.p);
        const dist = makeDistribution(distName, net.d, { k: flags.components, m: flags.m, scale: flags.scale }, streams);
        const labels = makeLabels(labelName, net.d, { eta: flags.eta, noise: flags.noise }, streams);
        const X = dist.sample(n, streams.stream('data'));
        data = { X, y: labels.sample(X, n, net.d, streams.stream('noise')), n, d: net.d };
        if (sigma2 === undefined) {
          sigma2 = labels.sigma2;
          source = 'label model';
        }
        c = dist.isoperimetry.c ?? 1;
        k = dist.components;
      }
      // a classifier is judged by one scalar, the margin of two classes (src/law/classifier-margin.ts)
      let model: MlpModel;
      const preface: string[] = [];
      let classifier: { outputs: number; margin: readonly [number, number]; chosen: string } | undefined;
      if (net.outputs === 1) model = net.scalar(flags.model);
      else {
        const task = classifierMargin(net, data, { pair, labels: flags.data === undefined ? 'margin' : 'classes' }, flags.data ?? 'data');
        model = task.model;
        data = { ...data, X: task.X, y: task.y, n: task.n };
        preface.push(task.sentence);
        classifier = { outputs: net.outputs, margin: task.pair, chosen: task.chosen };
      }
      const dataName = flags.data ?? `${flags.dist}/${flags.labels ?? 'signs'} n=${data.n} seed=${seed}`;
      // Fixed effort (--starts, --steps, --rounds) and no time limit: the record depends on the inputs only.
      const backend = await openBackendFlag(flags.backend);
      process.stderr.write(backendLines(fn, backend, flags.verbose === true));
      const report = checkModel({ model, X: data.X, y: data.y, n: data.n, sigma2, sigma2Source: sigma2 === undefined ? undefined : source, c, k, rng: streams.stream('estimator'), starts: flags.starts, steps: flags.steps, rounds: flags.rounds, backend: backend.kernels, source: { model: flags.model, data: dataName, seed }, preface, clippedMargin: classifier !== undefined });
      if (flags.json) {
        // a network of one output with exact weights judged on the ambient d: its certificate inline, for robustlaw check
        const exact = net.outputs === 1 && net.outputTransform === undefined && !net.layers.some((L) => L.weightError || L.biasError) && report.laws?.uses !== 'effective';
        const certificate = exact
          ? (JSON.parse(
              certificateFileJson(report.record.id, {
                model: { kind: 'network', activation: net.activations[0] ?? 'linear', activations: [...net.activations], layers: net.layers },
                domain: { kind: 'ball', radius: report.estimates.radius },
                lower: report.estimates.lower,
                upper: report.estimates.upper,
                exact: report.estimates.exact,
                data: { X: data.X.subarray(0, data.n * data.d), y: data.y.subarray(0, data.n) },
                law: { n: data.n, d: data.d, p: report.record.p, eps: report.record.eps, tau: LAW_TOLERANCE, sigma2: report.record.sigma2, epsSource: report.record.epsSource },
              }),
            ) as unknown)
          : undefined;
        process.stdout.write(`${JSON.stringify({ model: flags.model, data: dataName, ...(classifier ? { classifier } : {}), ...report, ...(certificate ? { certificate } : {}) }, null, 2)}\n`);
        return;
      }
      const lines = [
        `${model.description}   (seed ${seed})`,
        `p ${report.p}   n ${report.n}   d ${report.d}   train MSE ${fmtNum(report.trainMse)}${report.clipped ? ` (of clip(f / m, -1, 1), m = ${fmtNum(report.clipped.scale)}; of f ${fmtNum(report.clipped.rawMse)})` : ''}   sigma^2 ${fmtNum(report.sigma2)} (${report.sigma2Source})   eps ${fmtNum(report.eps)}`,
        `Lipschitz    lower ${fmtNum(report.lower)} (${report.lowerMethod})   upper ${fmtNum(report.upper)} (${report.upperMethod ?? 'none'})   on ${report.domain}`,
        `law          ${report.clipped ? 'm eps sqrt(n d / p)' : 'eps sqrt(n d / p)'} = ${fmtNum(report.law)}   R = lower / law = ${fmtNum(report.R)}   verdict: ${report.verdict.law.verdict}   Theorem 3: ${report.verdict.theorem3.verdict}`,
        ...(report.effectiveDimension
          ? [`eff. dim     PCA 90% ${report.effectiveDimension.pca90}   PCA 95% ${report.effectiveDimension.pca95}   participation ratio ${fmtNum(report.effectiveDimension.participationRatio)}   TwoNN ${fmtNum(report.effectiveDimension.twoNN)}   (ambient d ${report.d})${report.effectiveDimension.farBelow ? '   FLAG: far below d, outside the ambient law' : ''}`]
          : []),
        ...(report.laws
          ? [
              `law (eff d)  ${report.clipped ? 'm eps' : 'eps'} sqrt(n d_eff / p) = ${fmtNum(report.laws.effective.law)} with d_eff ${fmtNum(report.laws.effective.d)}   R = ${fmtNum(report.laws.effective.R)}   verdict: ${report.laws.effective.verdict}`,
              `verdict uses the ${report.laws.uses} d (${report.laws.uses === 'ambient' ? 'the law as stated; the data are not far below d' : 'the data are far below d, outside the ambient law'})`,
            ]
          : []),
        '',
        ...report.sentences,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
