import type { Backend, KernelActivation, SecantResult } from './backend.js';
import { tfjsResidentKernels } from './tfjs-resident.js';
import { tfActivation } from './tfjs-activation.js';

/** The tfjs backends the registry knows: wasm (SIMD, ships in npm), cpu (pure JS), tensorflow (tfjs-node, optional). */
export const TFJS_FLAVOURS = ['wasm', 'cpu', 'tensorflow'] as const;
/** A tfjs flavour. */
export type TfjsFlavour = (typeof TFJS_FLAVOURS)[number];

type Tf = typeof import('@tensorflow/tfjs-core');

/**
 * Loads tfjs-core with the requested backend and makes it current. tfjs-node registers `tensorflow`
 * when its native binding is present; it is optional and never required.
 * Throws with the reason when the flavour cannot run here.
 */
export async function loadTfjs(flavour: TfjsFlavour): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs-core');
  // tfjs-backend-cpu prints a "Hi, looks like you are running TensorFlow.js in Node.js" banner on its first
  // tensor, even when the native binding is loaded; PROD silences tfjs's console notices and, in
  // tfjs-core 4.22, nothing else (only its log and flag-registry notices read it). Which backend runs is
  // robustlaw's to say (backendLines, `robustlaw backends`).
  tf.env().set('PROD', true);
  if (flavour === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else if (flavour === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  else {
    // a run (or a benchmark) can be measured as on a machine without the native binding
    if (process.env.ROBUSTLAW_NO_NATIVE === '1') throw new Error('the native binding is turned off by ROBUSTLAW_NO_NATIVE=1');
    const pkg = '@tensorflow/tfjs-node';
    // TensorFlow's C++ notices would print two lines on every run: errors only, and oneDNN's custom ops off
    // (their notice prints before logging is configured; matmul 1024 ran at the same speed either way,
    // 160-180 GFLOP/s, docs/performance.md)
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
    process.env.TF_ENABLE_ONEDNN_OPTS ??= '0';
    try {
      await import(pkg);
    } catch (e) {
      const msg = (e as Error).message;
      throw new Error(/Cannot find (module|package)/.test(msg) && msg.includes('tfjs-node') && !msg.includes('.node')
        ? 'package @tensorflow/tfjs-node is not installed (optional: its install script downloads libtensorflow, which fails offline)'
        : `tfjs-node is installed but its native binding did not load (${msg.split('\n')[0]})`, { cause: e });
    }
  }
  const ok = await tf.setBackend(flavour);
  if (!ok) throw new Error(`tf.setBackend('${flavour}') failed`);
  await tf.ready();
  return tf;
}

/**
 * The hot loops in tfjs (f32). Multiplying by a pre-transposed matrix, not matMul(a, b, false, true):
 * the transposeB path ran 7x slower on wasm (docs/performance.md).
 */
export function tfjsBackend(tf: Tf, flavour: TfjsFlavour): Backend {
  const t2 = (a: Float32Array, r: number, c: number) => tf.tensor2d(a, [r, c], 'float32');
  // Read results OUTSIDE tf.tidy: dataSync() inside a tidy ran 10x slower on wasm (measured here).
  const run = (f: () => import('@tensorflow/tfjs-core').Tensor): Float32Array => {
    const t = tf.tidy(f);
    const out = t.dataSync() as Float32Array;
    t.dispose();
    return out;
  };
  const { s: act, ds: dact } = tfActivation(tf);
  const transpose = (W: Float32Array, k: number, d: number) => {
    const T = new Float32Array(k * d);
    for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) T[t * k + j] = W[j * d + t];
    return T;
  };
  /**
   * The gradient norms on tfjs-node (TensorFlow's own kernels, oneDNN off: docs/performance.md): the bias as a
   * last row of W^T against a column of ones in X (an elementwise pass over the m x k pre-activations fewer;
   * 20 ms of 160 at d 256, k 4096, batch 4096), W^T, a W and the bias row made on the device, and tanh' as
   * 1 - t t from tanh itself (TensorFlow's fused sigmoid is not fused here). 155 ms -> about 125 ms.
   */
  const nativeGradNorms = (X: Float32Array, W: Float32Array, b: Float32Array, a: Float32Array, m: number, d: number, k: number, name: KernelActivation): Float32Array =>
    run(() => {
      const w = t2(W, k, d);
      const Wtb = tf.concat([tf.transpose(w), tf.reshape(tf.tensor1d(b), [1, k])], 0);
      const aW = tf.mul(w, tf.reshape(tf.tensor1d(a), [k, 1]));
      const Z = tf.matMul(tf.concat([t2(X, m, d), tf.ones([m, 1])], 1), Wtb);
      let S: import('@tensorflow/tfjs-core').Tensor;
      if (name === 'tanh') {
        const t = tf.tanh(Z);
        S = tf.sub(1, tf.mul(t, t));
      } else S = dact(Z, name);
      const G = tf.matMul(S, aW);
      return tf.sqrt(tf.sum(tf.mul(G, G), 1));
    });
  return {
    name: `tfjs-${flavour}`,
    mode: tf.getBackend(),
    ...tfjsResidentKernels(tf, `tfjs-${flavour}`),
    matmul: (A, B, m, k, n) => run(() => tf.matMul(t2(A, m, k), t2(B, k, n))),
    featureMap: (X, W, b, m, d, k, a) => run(() => act(tf.add(tf.matMul(t2(X, m, d), t2(transpose(W, k, d), d, k)), tf.tensor1d(b)), a)),
    // grad f(x) = W^T (a * s'(W x + b)). Measured on wasm (docs/performance.md sizes): the bias is fused into the first
    // matmul, a is folded into W (a k x d pass instead of an m x k one), and for tanh and softplus the
    // derivative comes out of the fused matmul's sigmoid: softplus' = sigmoid(z), and
    // tanh' = 1 - tanh^2 = 4 sigmoid(2z) (1 - sigmoid(2z)) with 2z = (2x) W^T + 2b. 1.34 s -> 0.96 s for tanh.
    gradNorms: (X, W, b, a, m, d, k, name) => {
      if (flavour === 'tensorflow') return nativeGradNorms(X, W, b, a, m, d, k, name);
      const aW = new Float32Array(k * d);
      const scale = name === 'tanh' ? 4 : 1;
      for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) aW[j * d + t] = scale * a[j] * W[j * d + t];
      const Wt = transpose(W, k, d);
      return run(() => {
        let S: import('@tensorflow/tfjs-core').Tensor;
        if (name === 'tanh') {
          const sg = tf.fused.matMul({ a: tf.mul(t2(X, m, d), 2), b: t2(Wt, d, k), bias: tf.mul(tf.tensor1d(b), 2), activation: 'sigmoid' });
          S = tf.mul(sg, tf.sub(1, sg));
        } else if (name === 'softplus') {
          S = tf.fused.matMul({ a: t2(X, m, d), b: t2(Wt, d, k), bias: tf.tensor1d(b), activation: 'sigmoid' });
        } else {
          S = dact(tf.fused.matMul({ a: t2(X, m, d), b: t2(Wt, d, k), bias: tf.tensor1d(b) }), name);
        }
        const G = tf.matMul(S, t2(aW, k, d));
        return tf.sqrt(tf.sum(tf.square(G), 1));
      });
    },
    pairwiseSecant(X, f, n, d): SecantResult {
      const S = run(() => {
        const x = t2(X, n, d);
        const sq = tf.sum(tf.square(x), 1);
        const D2 = tf.relu(tf.sub(tf.add(tf.reshape(sq, [n, 1]), tf.reshape(sq, [1, n])), tf.mul(2, tf.matMul(x, t2(transpose(X, n, d), d, n)))));
        const fv = tf.tensor1d(f);
        const df = tf.abs(tf.sub(tf.reshape(fv, [n, 1]), tf.reshape(fv, [1, n])));
        const mask = tf.greater(D2, 1e-12);
        return tf.where(mask, tf.div(df, tf.sqrt(tf.maximum(D2, 1e-30))), tf.zerosLike(df));
      });
      let best = 0;
      let bi = 0;
      let bj = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (S[i * n + j] > best) [best, bi, bj] = [S[i * n + j], i, j];
      return { secant: best, i: bi, j: bj };
    },
    gram: (A, m, p) => run(() => tf.matMul(t2(A, m, p), t2(transpose(A, m, p), p, m))),
  };
}
