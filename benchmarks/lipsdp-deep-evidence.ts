// Deep LipSDP-Neuron numbers of docs/evidence.md (issue 14): random nets, R^d, default 300 iterations; SDP against the
// product of spectral norms and, for relu nets with one output and at most 20 units, the exact value by enumeration.
//   npx tsx benchmarks/lipsdp-deep-evidence.ts
import { lipSdpDeepUpper } from '../src/lipschitz/sdp/lipsdp-neuron.js';
import { reluExactLipschitz } from '../src/lipschitz/relu-exact.js';
import { Rng } from '../src/core/rng.js';
import { spectralNorm } from '../src/linalg/spectral-norm.js';
const rng = new Rng(5);
function net(dims: number[], nonneg = false) {
  return dims.slice(1).map((o, l) => { const w = rng.fillNormal(new Float64Array(o * dims[l])); if (nonneg) w.forEach((v, i) => (w[i] = Math.abs(v))); return { weights: w, biases: rng.fillNormal(new Float64Array(o)), inputs: dims[l], outputs: o }; });
}
for (const [dims, nonneg, act] of [[[3, 5, 4, 1], true, 'relu'], [[2, 6, 5, 1], false, 'relu'], [[3, 5, 5, 1], false, 'relu'], [[2, 4, 4, 4, 1], false, 'relu'], [[10, 30, 30, 1], false, 'relu'], [[10, 30, 30, 5], false, 'tanh'], [[784, 50, 50, 10], false, 'relu']] as const) {
  const layers = net([...dims], nonneg);
  const acts = dims.slice(2).map(() => act);
  const t0 = performance.now();
  const r = lipSdpDeepUpper(layers, acts, { kind: 'Rd' }, 1);
  const ms = performance.now() - t0;
  const prod = layers.reduce((p, L) => p * spectralNorm(L.weights, L.outputs, L.inputs).upper, 1);
  let exact = NaN;
  if (act === 'relu' && dims[dims.length - 1] === 1 && dims.slice(1, -1).reduce((a, b) => a + b, 0) <= 20) exact = reluExactLipschitz(layers, acts).estimate?.value ?? NaN;
  console.log(dims.join('-'), act, 'sdp', r.estimate?.value, 'prod', prod.toFixed(4), 'exact', exact, 'sdp/exact', ((r.estimate?.value ?? NaN) / exact).toFixed(6), 'prod/sdp', (prod / (r.estimate?.value ?? NaN)).toFixed(3), ms.toFixed(0), 'ms', r.estimate?.witness.type === 'certificate' ? r.estimate.witness.terms.solverIterations : '');
}
