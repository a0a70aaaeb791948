// The ONNX round trip's other end: runs an exported generator.onnx with ONNX Runtime for Node.js on
// the test's noise (and labels).
//   node onnx_run.mjs MODEL CASE_DIR   (CASE_DIR as pytorch_check.py's; writes onnx.f32)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [model, caseDir] = process.argv.slice(2);
// onnxruntime-node lives in the tools folder (install_tools.sh), named by NODE_PATH.
const require = createRequire(path.join(process.env.NODE_PATH, "noop.js"));
const ort = require("onnxruntime-node");

const session = await ort.InferenceSession.create(model);
const info = JSON.parse(readFileSync(path.join(path.dirname(model), "generator.json"), "utf8"));
const zBytes = readFileSync(path.join(caseDir, "z.f32"));
const z = new Float32Array(zBytes.buffer, zBytes.byteOffset, zBytes.length / 4);
const batch = z.length / info.latent_dim;
const feeds = { z: new ort.Tensor("float32", z, [batch, info.latent_dim]) };
if (info.classes.length > 0) {
  const labelBytes = readFileSync(path.join(caseDir, "labels.i64"));
  feeds.label = new ort.Tensor("int64", new BigInt64Array(labelBytes.buffer, labelBytes.byteOffset, batch), [batch]);
}
const { images } = await session.run(feeds);
const expected = [batch, info.channels, info.height, info.width];
if (images.dims.join() !== expected.join()) throw new Error(`images are ${images.dims}, not ${expected}`);
writeFileSync(path.join(caseDir, "onnx.f32"), Buffer.from(images.data.buffer, images.data.byteOffset, images.data.byteLength));
console.log(`onnx_run: onnxruntime-node ${ort.env.versions.common} drew ${images.dims.join(" x ")}`);
