import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { InputError } from '../../core/input-error.js';
import { buildInstance } from '../../law/instance.js';
import { mlpFileJson } from '../../models/formats/robustlaw-mlp.js';
import { functionClass } from '../../models/registry.js';
import { fmtNum } from '../../report/table.js';
import { addInstanceOptions, requireInstanceFlagsApply, specFromFlags, type InstanceFlags } from '../instance-flags.js';

/** `robustlaw fit`: draws an instance from its seed, fits a class, prints p, train MSE, eps, sigma^2, condition. */
export function registerFit(program: Command): void {
  const cmd = program.command('fit').description('fit one function class to seeded data and report the fit');
  addInstanceOptions(cmd)
    .option('--json', 'machine-readable output')
    .option('--save <file>', 'write the fitted model as a robustlaw-mlp/1 network (random features and two-layer fits with relu or tanh), which lip --model and check-model read')
    .action((flags: InstanceFlags & { json?: boolean; save?: string }, cmd: Command) => {
      const fn = 'robustlaw fit';
      const spec = specFromFlags(flags, fn);
      requireInstanceFlagsApply(cmd, spec, fn);
      // --save: a class whose fitted models are networks, and a folder to write in, before any work
      if (flags.save !== undefined) {
        // the class's default activation where none is given (relu for random features, tanh for two-layer: both savable)
        const act = spec.modelOptions?.activation;
        const savable = functionClass(spec.className).savedWith ?? [];
        if (savable.length === 0 || (act !== undefined && !savable.includes(act))) throw new InputError('--save', 'a class and activation whose fitted model is a network file: random-features or two-layer with --activation relu or tanh', `${spec.className}${savable.length > 0 && act !== undefined ? ` with ${act}` : ''}`, { context: fn });
        const dir = dirname(flags.save);
        if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError('--save', 'a file in an existing folder', flags.save, { context: fn });
      }
      const inst = buildInstance(spec);
      const f = inst.fit;
      if (flags.save !== undefined) {
        const net = f.model.network?.();
        if (net === undefined || !(functionClass(spec.className).savedWith ?? []).some((a) => a === net.activation)) throw new Error(`bug: ${spec.className}'s fitted model is not a network with a savable activation`);
        writeFileAtomic(flags.save, mlpFileJson(net.layers, net.activation));
      }
      const out = {
        class: spec.className,
        dist: spec.dist,
        labels: spec.labels,
        n: spec.n,
        d: spec.d,
        seed: spec.seed,
        p: f.model.p,
        trainMse: f.trainMse,
        relResidual: f.relResidual,
        eps: f.eps,
        sigma2: f.sigma2,
        condition: Number.isFinite(f.condition) ? f.condition : null,
        jitter: f.jitter,
        interpolates: f.interpolates,
        W: f.model.W,
        J: f.model.J,
        seconds: f.seconds,
        description: f.model.description,
        params: f.model.params,
        details: f.details,
        warnings: f.warnings,
      };
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      const lines = [
        `${f.model.description}   (seed ${spec.seed}: ${spec.dist} data, ${spec.labels} labels, n = ${spec.n}, d = ${spec.d})`,
        `p            ${f.model.p}`,
        `train MSE    ${fmtNum(f.trainMse)}   (relative residual ${fmtNum(f.relResidual)}${f.interpolates ? ', interpolates' : ''})`,
        `sigma^2      ${fmtNum(f.sigma2)}`,
        `eps          ${fmtNum(f.eps)}   (= sigma^2 - train MSE)`,
        `condition    ${Number.isFinite(f.condition) ? fmtNum(f.condition) : 'n/a (iterative fit)'}`,
        `W, J         ${fmtNum(f.model.W)}, ${fmtNum(f.model.J)}   (Theorem 3's parameter diameter and parametrisation Lipschitz bound)`,
        `time         ${f.seconds.toFixed(2)} s`,
        ...(flags.save !== undefined ? [`saved        ${flags.save}   (robustlaw-mlp/1: lip --model and check-model read it; p counts every weight there)`] : []),
        ...f.warnings.map((w) => `warning: ${w}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
