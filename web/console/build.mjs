// Builds the console into the gateway's embedded site folder
// (services/gateway/internal/console/site, or the folder given as the first
// argument): hashed, minified ES modules with code splitting (MapLibre is its
// own chunk), one CSS file, MapLibre's worker, and index.html naming them.
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, "../../services/gateway/internal/console/site"));
const assets = join(out, "assets");

// Start clean, but keep the committed placeholder page.
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (f !== "placeholder.html") rmSync(join(out, f), { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const workerSrc = join(here, "node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs");
const worker = readFileSync(workerSrc);
const workerName = `maplibre-gl-worker-${createHash("sha256").update(worker).digest("hex").slice(0, 8)}.mjs`;
copyFileSync(workerSrc, join(assets, workerName));

const result = await esbuild.build({
  entryPoints: { main: join(here, "src/main.tsx") },
  bundle: true,
  splitting: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: false,
  legalComments: "linked",
  outdir: assets,
  entryNames: "[name]-[hash]",
  chunkNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  jsx: "automatic",
  jsxImportSource: "preact",
  define: { MAPLIBRE_WORKER_URL: JSON.stringify(`/console/assets/${workerName}`) },
  metafile: true,
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((p) => p.split("/").pop());
const js = outputs.find((f) => /^main-.*\.js$/.test(f));
const css = outputs.find((f) => /^main-.*\.css$/.test(f));
if (!js || !css) throw new Error(`build: main js or css missing in ${outputs.join(", ")}`);
const html = readFileSync(join(here, "index.html"), "utf8").replace("%JS%", js).replace("%CSS%", css);
writeFileSync(join(out, "index.html"), html);
writeFileSync(join(out, "build.json"), JSON.stringify({ js, css, worker: workerName, files: outputs }, null, 1));
console.log(`console built into ${out}: ${js}, ${css}, ${outputs.length} files`);
