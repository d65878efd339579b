import type { Tensor } from '@tensorflow/tfjs-core';
import type { ActivationName } from '../activations/activation.js';

type Tf = typeof import('@tensorflow/tfjs-core');

/**
 * The activations of src/activations/activation.ts as tfjs ops (f32): s, s' and s'', the one table the tfjs
 * kernels (benchmarks and the resident search kernels) share. s'(0) for relu is the right derivative 1
 * only in the f64 models; here it is 0 at z = 0, as (z > 0) cast to f32 (a measure-zero set the search never
 * relies on: its values are re-evaluated in f64). tf.step gives the same values but ran 2.5x slower on
 * tfjs-node (a gradient call at d = 100, k = 12,800, 48 points: 3.2 ms against 1.3 ms).
 */
export function tfActivation(tf: Tf): { readonly s: (z: Tensor, name: ActivationName) => Tensor; readonly ds: (z: Tensor, name: ActivationName) => Tensor; readonly d2s: (z: Tensor, name: ActivationName) => Tensor } {
  return {
    s: (z, name) => {
      switch (name) {
        case 'relu':
          return tf.relu(z);
        case 'tanh':
          return tf.tanh(z);
        case 'softplus':
          return tf.softplus(z);
        case 'square':
          return tf.mul(tf.square(z), 0.5);
        case 'cos':
          return tf.cos(z);
      }
    },
    ds: (z, name) => {
      switch (name) {
        case 'relu':
          return tf.cast(tf.greater(z, 0), 'float32');
        case 'tanh':
          return tf.sub(1, tf.square(tf.tanh(z)));
        case 'softplus':
          return tf.sigmoid(z);
        case 'square':
          return z;
        case 'cos':
          return tf.neg(tf.sin(z));
      }
    },
    d2s: (z, name) => {
      switch (name) {
        case 'relu':
          return tf.zerosLike(z);
        case 'tanh': {
          const t = tf.tanh(z);
          return tf.mul(-2, tf.mul(t, tf.sub(1, tf.square(t))));
        }
        case 'softplus': {
          const sg = tf.sigmoid(z);
          return tf.mul(sg, tf.sub(1, sg));
        }
        case 'square':
          return tf.onesLike(z);
        case 'cos':
          return tf.neg(tf.cos(z));
      }
    },
  };
}
