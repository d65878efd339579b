import { parseMlp } from 'robustlaw';

/**
 * The network under test: f(x) = relu(0.6 x1 + 0.8 x2), p = 5 parameters, Lip(f) = ||(0.6, 0.8)|| = 1,
 * and the four noisy training points it fits (train MSE 0.04 against a noise level sigma^2 = 0.54).
 */
export const net = parseMlp({
  format: 'robustlaw-mlp/1',
  activation: 'relu',
  layers: [
    { weights: [[0.6, 0.8]], biases: [0] },
    { weights: [[1]], biases: [0] },
  ],
});

export const X = [[1, 0], [0, 1], [-1, 0], [0, -1]];
export const y = [0.4, 1, 0.2, -0.2];
export const sigma2 = 0.54;
