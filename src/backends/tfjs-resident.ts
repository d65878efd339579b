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
  const resident = (held: Tensor[], gradients: (X: Tensor) => Tensor, d: number): ResidentGradient => ({
    backend: name,
    mode: tf.getBackend(),
    gradients: (X, m) => read(() => gradients(tf.tensor2d(X, [m, d], 'float32'))),
    dispose: () => held.forEach((t) => t.dispose()),
  });
  return {
    residentTwoLayer(W, b, a, k, d, act) {
      // grad = (s'(X W^T + b) diag(a)) W = s'(X W^T + b) (diag(a) W)
      const [Wt, bias, aW] = tf.tidy((): [Tensor, Tensor, Tensor] => {
        const w = tf.tensor2d(W, [k, d], 'float32');
        return [tf.transpose(w), tf.tensor1d(b, 'float32'), tf.mul(w, tf.reshape(tf.tensor1d(a, 'float32'), [k, 1]))];
      });
      return resident([Wt, bias, aW], (X) => tf.matMul(d1(tf.add(tf.matMul(X, Wt), bias), act), aW), d);
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
