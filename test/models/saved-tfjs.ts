/** A TF.js model's model.json and weight bytes as `model.save` writes them, captured in memory (test helper). */
import * as tf from '@tensorflow/tfjs';

export async function savedTfjs(model: tf.LayersModel): Promise<{ json: unknown; shard: Uint8Array }> {
  let out: { json: unknown; shard: Uint8Array } | null = null;
  await model.save(
    tf.io.withSaveHandler((a) => {
      out = { json: { modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }], format: 'layers-model' }, shard: new Uint8Array(a.weightData as ArrayBuffer) };
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const } });
    }),
  );
  return out!;
}
