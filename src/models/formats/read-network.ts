/**
 * Reads a network file in any of the formats the tool takes, told apart by content (not by extension):
 * robustlaw-mlp/1 JSON, a TensorFlow.js LayersModel `model.json` (its weight shards beside it), or an ONNX
 * model (binary protobuf).
 * @module
 */
import { dirname, resolve } from 'node:path';
import { InputError } from '../../core/input-error.js';
import { MAX_FILE_DEPTH, nestingDepth, readFileBytes } from '../../core/read-file.js';
import { parseMlpNetwork } from './robustlaw-mlp.js';
import { type MlpNetwork } from '../mlp.js';
import { decodeOnnx, parseOnnx } from './onnx.js';
import { isTfjsModelJson, parseTfjsLayersModel } from './tfjs-layers.js';

/** The network formats, as error messages and docs name them. */
export const NETWORK_FORMATS = ['robustlaw-mlp/1 JSON', 'a TensorFlow.js LayersModel model.json (weight shards beside it)', 'an ONNX model'] as const;

/** Which format a file's bytes hold, by content: `json` (robustlaw-mlp/1 or TF.js, told apart after parsing), `onnx`, or null. */
export function sniffNetworkFormat(bytes: Uint8Array): 'json' | 'onnx' | null {
  let i = 0;
  // a UTF-8 byte order mark, then whitespace
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] === 0x7b || bytes[i] === 0x5b) return 'json';
  return decodeOnnx(bytes) === null ? null : 'onnx';
}

/**
 * Reads the network at `path`: an {@link InputError} on `path` (context `context`) when the file is
 * missing, unreadable, too large or in none of the {@link NETWORK_FORMATS}; the format's parser's
 * InputError (parameter `mlp.*`, `tfjs.*` or `onnx.*`, context the path) when its content is bad.
 */
export function readNetworkFile(path: string, context = 'readNetworkFile'): MlpNetwork {
  const rule = 'a readable network file (robustlaw-mlp/1 JSON, a TF.js model.json or an ONNX model)';
  const bytes = readFileBytes(path, 'path', rule, context);
  const kind = sniffNetworkFormat(bytes);
  if (kind === 'onnx') return parseOnnx(bytes, path);
  if (kind === null) throw new InputError('path', rule, path, { context, shown: `${path}: neither JSON nor an ONNX model` });
  const text = new TextDecoder().decode(bytes);
  // the file starts as JSON: its errors are those of a JSON file
  if (nestingDepth(text, MAX_FILE_DEPTH) > MAX_FILE_DEPTH) throw new InputError('path', 'a readable JSON file', path, { context, shown: `${path} nests arrays or objects more than ${MAX_FILE_DEPTH} levels deep` });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError('path', 'a readable JSON file', path, { context, shown: `${path} is not valid JSON (${(e as Error).message.split('\n')[0]})` });
  }
  if (isTfjsModelJson(json)) {
    const dir = dirname(path);
    return parseTfjsLayersModel(json, (shard) => readFileBytes(resolve(dir, shard), 'tfjs.weightsManifest', 'weight shards readable beside model.json', path), path);
  }
  return parseMlpNetwork(json, path);
}
