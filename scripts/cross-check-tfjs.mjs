// Cross-checks the tool's TF.js LayersModel reader against TensorFlow.js itself: each example model.json
// loaded by tf.loadLayersModel and evaluated by model.predict (float32), and by the tool's forward pass
// (float64 on the same float32 weights), on 200 seeded random points; prints the largest difference
// relative to the outputs' scale, and fails beyond float32 rounding.
//
// Needs @tensorflow/tfjs-node loadable (the optional dependency; npm run setup:tfjs-node):
//   npx tsx scripts/cross-check-tfjs.mjs
import { crossCheck } from './cross-check-reference.mjs';

process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
const tf = await import('@tensorflow/tfjs-node');
const FILES = ['examples/formats/classifier-tfjs/model.json', 'examples/formats/regressor-tfjs/model.json', 'examples/mnist-mlp/model.json'];
await crossCheck(FILES, 'tfjs', async (file, X, n, d) => {
  const model = await tf.loadLayersModel(`file://${file}`);
  return model.predict(tf.tensor2d(Float32Array.from(X), [n, d])).dataSync();
});
