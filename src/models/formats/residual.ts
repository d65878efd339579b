/**
 * A residual block y = s + F(s), F a chain of affine layers and activations (as exporters write ResNet blocks:
 * Conv, Relu, Conv, then an Add of the block's input), as plain dense layers that carry s beside F (docs/
 * science.md section 3, "Residual blocks"): through a relu layer s travels as the pair (relu(s), relu(-s)),
 * whose difference is s; through a layer without activation as itself; the last layer adds it back. Every
 * carried entry is 0 or +-1, so nothing rounds, and the layers compute y exactly. The layers are marked as one
 * block whose Lipschitz bound is 1 + Lip(F) (Lip(F) from F's own certified l2 -> l2 bound), which the
 * spectral product then uses instead of the product of the wider layers' norms.
 * @module
 */
import { Rng } from '../../core/rng.js';
import { upperEnd } from '../../linalg/pow2.js';
import { UNIT_ROUNDOFF } from '../../lipschitz/certificate.js';
import { spectralProductL2, type DenseLayer } from '../mlp.js';
import type { NetworkActivation } from '../network-activations.js';

/** F of a residual block: its layers, the activations between them, and the activation after its last layer (none: null). */
export interface ResidualBranch {
  readonly layers: readonly DenseLayer[];
  readonly acts: readonly NetworkActivation[];
  readonly final: NetworkActivation | null;
}

/** How s travels through a layer: as (relu(s), relu(-s)) beside a relu layer, as itself beside a linear one. */
type Carry = 'pair' | 'plain';
const carryOf = (a: NetworkActivation): Carry | null => (a === 'relu' ? 'pair' : a === 'linear' ? 'plain' : null);

/**
 * The layers (and the activations between them) that compute y = s + F(s) for s of `width` entries, marked as
 * one block; or a reason why not: an activation of F other than relu or none (s cannot travel through it
 * unchanged), or a width of F's output other than s's.
 */
export function residualLayers(branch: ResidualBranch, width: number): { layers: DenseLayer[]; acts: NetworkActivation[] } | string {
  const { layers, acts, final } = branch;
  const k = layers.length;
  if (k === 0) return 'an affine layer in the residual branch';
  if (layers[0].inputs !== width) return `a residual branch taking the ${width} values of its input`;
  if (layers[k - 1].outputs !== width) return `a residual branch whose output has the ${width} values of its input (got ${layers[k - 1].outputs})`;
  // one affine layer and no activation: y = (W + I) s + b, one layer (its own norm is the tighter bound)
  if (k === 1 && final === null) return residualWithRoundedDiagonal(branch, width);
  // activation after layer i (the last one's: final, or none)
  const after = [...acts, final ?? 'linear'];
  const carries: Carry[] = [];
  for (let i = 0; i < k; i++) {
    const c = carryOf(after[i]);
    if (c === null && (i < k - 1 || final !== null)) return `relu or no activation inside a residual branch (got ${after[i]}: s cannot pass it unchanged)`;
    carries.push(c ?? 'plain');
  }
  const n = width;
  const out: DenseLayer[] = [];
  const outActs: NetworkActivation[] = [];
  // columns carrying s into layer i: s itself (i = 0), else the previous layer's carry
  const carryIn = (i: number): Carry | 'input' => (i === 0 ? 'input' : carries[i - 1]);
  const carriedWidth = (c: Carry | 'input') => (c === 'pair' ? 2 * n : n);
  /** +-1 at the carried columns that give s (s = carried for input/plain, pos - neg for a pair). */
  const sColumns = (c: Carry | 'input', j: number): [number, number][] => (c === 'pair' ? [[j, 1], [n + j, -1]] : [[j, 1]]);
  const lastCombines = final === null;
  for (let i = 0; i < k; i++) {
    const L = layers[i];
    const cin = carryIn(i);
    // layer i's own inputs: the previous layer's F part (or s itself for i = 0)
    const fIn = i === 0 ? 0 : layers[i - 1].outputs;
    const extraIn = i === 0 ? 0 : carriedWidth(cin);
    const inputs = i === 0 ? n : fIn + extraIn;
    const combine = lastCombines && i === k - 1;
    const extraOut = combine ? 0 : carriedWidth(carries[i]);
    const outputs = L.outputs + extraOut;
    const W = new Float64Array(outputs * inputs);
    const E = L.weightError ? new Float64Array(outputs * inputs) : undefined;
    for (let r = 0; r < L.outputs; r++)
      for (let c = 0; c < L.inputs; c++) {
        W[r * inputs + c] = L.weights[r * L.inputs + c];
        if (E) E[r * inputs + c] = L.weightError![r * L.inputs + c];
      }
    // where s sits among this layer's inputs: s itself (i = 0), or the carried columns after the F part
    const sAt = (j: number): [number, number][] => (i === 0 ? [[j, 1]] : sColumns(cin, j).map(([c, v]) => [fIn + c, v]));
    if (combine) {
      // y = F + s: the last layer's rows add s, in the carried columns (zero in F's part: nothing rounds; i > 0 here)
      for (let j = 0; j < n; j++) for (const [c, v] of sAt(j)) W[j * inputs + c] = v;
    } else {
      for (let j = 0; j < n; j++) {
        for (const [c, v] of sAt(j)) {
          W[(L.outputs + j) * inputs + c] = v;
          if (carries[i] === 'pair') W[(L.outputs + n + j) * inputs + c] = -v;
        }
      }
    }
    const b = new Float64Array(outputs);
    b.set(L.biases);
    const bErr = L.biasError ? new Float64Array(outputs) : undefined;
    if (bErr) bErr.set(L.biasError!);
    out.push({ weights: W, biases: b, inputs, outputs, ...(E ? { weightError: E } : {}), ...(bErr ? { biasError: bErr } : {}) });
    if (i < k - 1) outActs.push(after[i]);
  }
  if (!lastCombines) {
    // F ends with an activation: one more layer, [I, s columns], after it
    const cin = carries[k - 1];
    const fIn = layers[k - 1].outputs;
    const inputs = fIn + carriedWidth(cin);
    const W = new Float64Array(n * inputs);
    for (let j = 0; j < n; j++) {
      W[j * inputs + j] = 1;
      for (const [c, v] of sColumns(cin, j)) W[j * inputs + fIn + c] = v;
    }
    outActs.push(final);
    out.push({ weights: W, biases: new Float64Array(n), inputs, outputs: n });
  }
  return markBlock(out, outActs, branch, width);
}

/** A one-layer branch without activation whose diagonal is exact: y = (W + I) s + b with each W_jj + 1 rounded. */
function residualWithRoundedDiagonal(branch: ResidualBranch, width: number): { layers: DenseLayer[]; acts: NetworkActivation[] } {
  const L = branch.layers[0];
  const W = Float64Array.from(L.weights);
  const E = L.weightError ? Float64Array.from(L.weightError) : new Float64Array(W.length);
  for (let j = 0; j < width; j++) {
    const v = W[j * width + j] + 1;
    // the sum's rounding: within u |W_jj + 1|, and the half-ulp steps near 0 (2^-1074)
    E[j * width + j] += UNIT_ROUNDOFF * Math.abs(v) + Number.MIN_VALUE;
    W[j * width + j] = v;
  }
  return { layers: [{ weights: W, biases: L.biases, inputs: width, outputs: width, weightError: E, ...(L.biasError ? { biasError: L.biasError } : {}) }], acts: [] };
}

/**
 * The block mark: Lip(y) <= 1 + Lip(F), Lip(F) the branch's spectral product on R^d (certified; its nested
 * blocks, such as max pooling, count), rounded up. Without a finite bound of F the
 * layers stay unmarked (the spectral product of the wider layers still bounds y).
 */
function markBlock(layers: DenseLayer[], acts: NetworkActivation[], branch: ResidualBranch, width: number): { layers: DenseLayer[]; acts: NetworkActivation[] } {
  const F = branch.final === null ? branch.layers : [...branch.layers, identity(width)];
  const Facts = branch.final === null ? branch.acts : [...branch.acts, branch.final];
  const lipF = spectralProductL2(F, Facts, new Rng(0));
  if (lipF === null || !Number.isFinite(lipF.value)) return { layers, acts };
  const lipschitz = upperEnd(1 + lipF.value, 2 * UNIT_ROUNDOFF);
  const id = {};
  const data = lipF.witness.type === 'certificate' ? lipF.witness.data : undefined;
  return { layers: layers.map((L, index) => ({ ...L, block: { id, index, length: layers.length, lipschitz, coversErrors: true, branch: { layers: F, acts: Facts, data } } })), acts };
}

function identity(n: number): DenseLayer {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return { weights: I, biases: new Float64Array(n), inputs: n, outputs: n };
}
