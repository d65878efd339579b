import type { Command } from 'commander';
import { buildInstance } from '../../law/instance.js';
import { fmtNum } from '../../report/table.js';
import { addInstanceOptions, requireInstanceFlagsApply, specFromFlags, type InstanceFlags } from '../instance-flags.js';

/** `robustlaw fit`: draws an instance from its seed, fits a class, prints p, train MSE, eps, sigma^2, condition. */
export function registerFit(program: Command): void {
  const cmd = program.command('fit').description('fit one function class to seeded data and report the fit');
  addInstanceOptions(cmd)
    .option('--json', 'machine-readable output')
    .action((flags: InstanceFlags & { json?: boolean }, cmd: Command) => {
      const spec = specFromFlags(flags, 'robustlaw fit');
      requireInstanceFlagsApply(cmd, spec, 'robustlaw fit');
      const inst = buildInstance(spec);
      const f = inst.fit;
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
        ...f.warnings.map((w) => `warning: ${w}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
