// Cross-checks the tool's ONNX reader against ONNX Runtime: the example .onnx files evaluated by
// onnxruntime-node (float32) and by the tool's own forward pass (float64 on the same float32 weights) on
// 200 seeded random points; prints the largest difference relative to the outputs' scale.
//
// onnxruntime-node is not a dependency of the project (288 MB; its install script downloads from a host
// outside the npm registry). Install it anywhere with scripts skipped and point ORT at it:
//   npm install --prefix /tmp/ort --ignore-scripts onnxruntime-node@1.30.0
//   ORT=/tmp/ort/node_modules/onnxruntime-node npx tsx scripts/cross-check-onnxruntime.mjs
import { createRequire } from 'node:module';
import { crossCheck } from './cross-check-reference.mjs';

if (!process.env.ORT) throw new Error('set ORT to the path of an onnxruntime-node install (see the comment at the top)');
const ort = createRequire(import.meta.url)(process.env.ORT);
const FILES = ['examples/formats/classifier.onnx', 'examples/formats/regressor.onnx', 'examples/mnist-mlp/model.onnx'];
await crossCheck(FILES, 'onnxruntime', async (file, X, n, d) => {
  const session = await ort.InferenceSession.create(file);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(X), [n, d]) });
  return out[session.outputNames[0]].data;
});
