import type { Tensor } from '@tensorflow/tfjs-core';
import type { ResidentGradient, ResidentKernels } from './resident.js';
import { tfActivation } from './tfjs-activation.js';

type Tf = typeof import('@tensorflow/tfjs-core');

/**
 * Resident gradient kernels in tfjs (f32): the weights are uploaded once and kept as tensors, each call
 * uploads the points, runs two or three matmuls and downloads the gradients. W^T is kept pre-transposed
 * (matMul with transposeB ran 7x slower on wasm, docs/performance.md); results are read outside tf.tidy.
 */
export function tfjsResidentKernels(tf: Tf, name: string): ResidentKernels {
  const { ds: d1, d2s: d2 } = tfActivation(tf);
  const read = (f: () => Tensor): Float32Array => {
    const t = tf.tidy(f);
    const out = t.dataSync() as Float32Array;
    t.dispose();
    return out;
  };
  /** `ones`: the points go up with a column of ones appended (m x (d + 1)), for a bias folded into the weights. */
  const resident = (held: Tensor[], gradients: (X: Tensor) => Tensor, d: number, ones = false): ResidentGradient => ({
    backend: name,
    mode: tf.getBackend(),
    gradients: (X, m) => read(() => gradients(ones ? tf.tensor2d(withOnes(X, m, d), [m, d + 1], 'float32') : tf.tensor2d(X, [m, d], 'float32'))),
    dispose: () => held.forEach((t) => t.dispose()),
  });
  return {
    residentTwoLayer(W, b, a, k, d, act) {
      // grad = (s'(X W^T + b) diag(a)) W = s'(X W^T + b) (diag(a) W), the bias as a last row of W^T against a
      // column of ones in X (one op fewer per call than adding it: 10-30% of a call at d = 100, k = 800..12,800)
      const [Wtb, aW] = tf.tidy((): [Tensor, Tensor] => {
        const w = tf.tensor2d(W, [k, d], 'float32');
        return [tf.concat([tf.transpose(w), tf.tensor2d(b, [1, k], 'float32')], 0), tf.mul(w, tf.reshape(tf.tensor1d(a, 'float32'), [k, 1]))];
      });
      return resident([Wtb, aW], (X) => tf.matMul(d1(tf.matMul(X, Wtb), act), aW), d, true);
    },
    residentNtk(W, Theta, k, d, act, scale) {
      const [Wm, Th, Wt, Tt] = tf.tidy((): [Tensor, Tensor, Tensor, Tensor] => {
        const w = tf.tensor2d(W, [k, d], 'float32');
        const th = tf.tensor2d(Theta, [k, d], 'float32');
        return [tf.mul(w, scale), tf.mul(th, scale), tf.transpose(w), tf.transpose(th)];
      });
      return resident(
        [Wm, Th, Wt, Tt],
        (X) => {
          const Z = tf.matMul(X, Wt);
          return tf.add(tf.matMul(tf.mul(d2(Z, act), tf.matMul(X, Tt)), Wm), tf.matMul(d1(Z, act), Th));
        },
        d,
      );
    },
  };
}

/** The rows of X (m x d) with a 1 appended to each: m x (d + 1). */
function withOnes(X: Float32Array, m: number, d: number): Float32Array {
  const out = new Float32Array(m * (d + 1));
  for (let i = 0; i < m; i++) {
    out.set(X.subarray(i * d, i * d + d), i * (d + 1));
    out[i * (d + 1) + d] = 1;
  }
  return out;
}
