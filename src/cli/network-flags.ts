/**
 * `--model FILE` (any network format, by content) and the scalar views of a network with several outputs
 * (`--output i`, `--margin i,j`), shared by `lip` and `check-model`.
 * @module
 */
import { InputError } from '../core/input-error.js';
import { readNetworkFile } from '../models/formats/read-network.js';
import type { MlpModel, MlpNetwork } from '../models/mlp.js';
import { naming } from './errors.js';

/** Reads the network given by --model (robustlaw-mlp/1 JSON, TF.js model.json or ONNX, told apart by content). */
export function loadNetworkFile(path: string, fn: string): MlpNetwork {
  return naming({ path: '--model' }, () => readNetworkFile(path, fn));
}

/** The scalar function a command judges, with how it was chosen. */
export interface NetworkView {
  readonly model: MlpModel;
  /** `f` (one output), `f_3` (--output 3) or `f_3 - f_5` (--margin 3,5). */
  readonly name: string;
  /** Outputs counted from 0, as classes are: [i] for --output i, [i, j] for --margin i,j, [] for a one-output network. */
  readonly outputs: readonly number[];
}

/** Checks --output (an integer in [0, m - 1]); returns it. */
export function requireOutput(net: MlpNetwork, i: number, fn: string, flag = '--output'): number {
  if (!(Number.isInteger(i) && i >= 0 && i < net.outputs)) throw new InputError(flag, `an integer in [0, ${net.outputs - 1}] (the network has ${net.outputs} output${net.outputs === 1 ? '' : 's'}, counted from 0)`, i, { context: fn });
  return i;
}

/** Checks --margin (two different outputs i,j in [0, m - 1]); returns them. */
export function requireMargin(net: MlpNetwork, pair: readonly number[], fn: string): [number, number] {
  if (pair.length !== 2) throw new InputError('--margin', 'two outputs i,j (e.g. 3,5)', pair.join(','), { context: fn });
  const [i, j] = pair.map((v) => requireOutput(net, v, fn, '--margin'));
  if (i === j) throw new InputError('--margin', 'two different outputs i,j', pair.join(','), { context: fn });
  return [i, j];
}

/** The scalar head c^T f of outputs `c` (a unit vector for one output, e_i - e_j for a margin). */
export function outputHead(net: MlpNetwork, outputs: readonly number[]): NetworkView {
  const c = new Float64Array(net.outputs);
  if (outputs.length === 1) c[outputs[0]] = 1;
  else [c[outputs[0]], c[outputs[1]]] = [1, -1];
  const name = outputs.length === 1 ? `f_${outputs[0]}` : `f_${outputs[0]} - f_${outputs[1]}`;
  return { model: net.head(c, outputs.length === 1 ? `output ${outputs[0]}` : `margin ${name}`), name, outputs };
}

/**
 * The scalar view the flags ask for: --output i, --margin i,j, or (neither) the network itself when it has
 * one output; null for a network with several outputs and neither flag (the caller then reports the vector
 * constants). Both flags together are refused.
 */
export function networkView(net: MlpNetwork, output: number | undefined, margin: readonly number[] | undefined, fn: string): NetworkView | null {
  if (output !== undefined && margin !== undefined) throw new InputError('--margin', 'given without --output (one scalar view at a time)', margin.join(','), { context: fn });
  if (output !== undefined) return outputHead(net, [requireOutput(net, output, fn)]);
  if (margin !== undefined) return outputHead(net, requireMargin(net, margin, fn));
  return net.outputs === 1 ? { model: net.scalar(), name: 'f', outputs: [] } : null;
}
