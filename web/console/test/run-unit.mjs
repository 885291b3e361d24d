// Runs the console's unit tests (test/unit/*.test.ts) with Node's own test
// runner: esbuild strips the types into a temporary folder first.
import * as esbuild from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = mkdtempSync(join(tmpdir(), "console-unit-"));
const tests = readdirSync(join(here, "unit")).filter((f) => f.endsWith(".test.ts"));
await esbuild.build({
  entryPoints: tests.map((f) => join(here, "unit", f)),
  bundle: true, format: "esm", platform: "node", target: "node20", outdir: out, outExtension: { ".js": ".mjs" },
  logLevel: "warning",
});
const r = spawnSync(process.execPath, ["--test", ...tests.map((f) => join(out, f.replace(/\.ts$/, ".mjs")))], { stdio: "inherit" });
rmSync(out, { recursive: true, force: true });
process.exit(r.status ?? 1);
