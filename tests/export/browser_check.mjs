// The web round trip's other end: serves an exported web folder from localhost, opens it in Debian's
// headless Chromium (driven by playwright-core), and saves what the page's canvas shows with the
// noise and labels it drew: first.png/.z.f32/.labels.i64/.json, and for a conditional generator
// class.* after picking CLASS in the page's class picker. It also presses New noise and moves the
// latent walk's slider, and fails when either leaves the canvas as it was or the page reports an
// error; page.png is a screenshot of the page at the end.
//   node browser_check.mjs WEB_DIR OUT_DIR [CLASS]
import { createServer } from "node:http";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const [webDir, outDir, pickClass] = process.argv.slice(2);
const require = createRequire(path.join(process.env.NODE_PATH, "noop.js"));
const { chromium } = require("playwright-core");

const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                ".json": "application/json", ".onnx": "application/octet-stream" };
const server = createServer(async (request, response) => {
  const name = decodeURIComponent(new URL(request.url, "http://localhost").pathname).replace(/^\/+/, "") || "index.html";
  try {
    const body = await readFile(path.join(webDir, path.normalize(name).replace(/^(\.\.[/\\])+/, "")));
    response.writeHead(200, { "Content-Type": types[path.extname(name)] || "application/octet-stream" });
    response.end(body);
  } catch {
    response.writeHead(404);
    response.end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.GAN_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const failures = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (error) => failures.push(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.state !== "loading", null, { timeout: 120000 });
  const state = await page.evaluate(() => [document.body.dataset.state, document.getElementById("status").textContent]);
  if (state[0] !== "drawn") throw new Error(`the page did not draw: ${state[1]}`);

  const draws = () => page.evaluate(() => window.generatorPage.draws);
  const redrawn = async (before) =>
    page.waitForFunction((n) => window.generatorPage.draws > n, before, { timeout: 60000 });
  const canvas = () => page.evaluate(() => document.getElementById("grid").toDataURL("image/png"));
  async function save(name) {
    const shown = await page.evaluate(() => ({
      png: document.getElementById("grid").toDataURL("image/png"),
      z: window.generatorPage.z,
      labels: window.generatorPage.labels,
      geometry: { ...document.getElementById("grid").dataset },
    }));
    await writeFile(path.join(outDir, `${name}.png`), Buffer.from(shown.png.split(",")[1], "base64"));
    await writeFile(path.join(outDir, `${name}.z.f32`), Buffer.from(Float32Array.from(shown.z).buffer));
    if (shown.labels) {
      await writeFile(path.join(outDir, `${name}.labels.i64`), Buffer.from(BigInt64Array.from(shown.labels, BigInt).buffer));
    }
    await writeFile(path.join(outDir, `${name}.json`), JSON.stringify(shown.geometry));
    return shown.png;
  }

  let shown = await save("first");
  if (pickClass !== undefined) {
    const before = await draws();
    await page.selectOption("#class", pickClass);
    await redrawn(before);
    shown = await save("class");
  }
  let before = await draws();
  await page.click("#noise");
  await redrawn(before);
  if ((await canvas()) === shown) failures.push("New noise left the canvas as it was");
  shown = await canvas();
  before = await draws();
  await page.locator("#walk").fill("60");
  await redrawn(before);
  if ((await canvas()) === shown) failures.push("moving the latent walk's slider left the canvas as it was");
  if (pickClass !== undefined) {
    // Back to a row per class: what page.png (the guide's picture) shows of a conditional generator.
    before = await draws();
    await page.selectOption("#class", "all");
    await redrawn(before);
  }
  await page.screenshot({ path: path.join(outDir, "page.png") });
  console.log(`browser_check: ${await page.evaluate(() => document.getElementById("status").textContent)}`);
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
