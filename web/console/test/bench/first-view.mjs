// The console's budgets, measured for `make bench` (e2e/bench_console_test.go
// runs this against a suite it started): for each run, a fresh browser
// context (empty cache) opens a queue's URL, signs in through the
// development sign-in as soon as the form shows, and waits until the queue
// shows its rows. It prints one JSON object on stdout: per run, the JS and
// CSS responses of that first view (bytes as served, and gzipped at the
// default level, as a compressing proxy would send them) and the times from
// navigation (the page's own clock, performance.now()) to the sign-in form
// and to the rows.
//
// Settings (environment): CONSOLE_URL, BENCH_PATH (the queue, under
// /console/), BENCH_ROLE, BENCH_TENANT, BENCH_ROWS (rows to wait for),
// BENCH_RUNS, CHROMIUM_PATH.
import { chromium } from "@playwright/test";
import { gzipSync } from "node:zlib";

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === "") throw new Error(`${name} is not set`);
  return v;
};
const base = env("CONSOLE_URL");
const path = env("BENCH_PATH");
const role = env("BENCH_ROLE", "agent");
const tenant = env("BENCH_TENANT");
const rows = Number(env("BENCH_ROWS", "50"));
const runs = Number(env("BENCH_RUNS", "5"));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
});
const out = { url: base + path, rows, runs: [] };
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const assets = [];
    const pending = [];
    page.on("response", (res) => {
      const type = res.request().resourceType();
      if (type !== "script" && type !== "stylesheet") return;
      pending.push((async () => {
        const body = await res.body();
        const sizes = await res.request().sizes();
        assets.push({ url: new URL(res.url()).pathname, type, served: sizes.responseBodySize, gzip: gzipSync(body).length });
      })());
    });
    await page.goto(base + path, { waitUntil: "commit" });
    const formAt = await page.waitForFunction(() => document.querySelector("form select") && performance.now(), null, { polling: "raf" }).then((h) => h.jsonValue());
    await page.getByLabel("Role").selectOption(role);
    await page.getByLabel("Municipality code").fill(tenant);
    await page.getByRole("button", { name: /^Sign in as/ }).click();
    const rowsAt = await page
      .waitForFunction((n) => document.querySelectorAll("table.tickets tbody tr").length >= n && performance.now(), rows, { polling: "raf", timeout: 60_000 })
      .then((h) => h.jsonValue());
    const shown = await page.locator("table.tickets tbody tr").count();
    await Promise.all(pending);
    out.runs.push({ form_ms: formAt, rows_ms: rowsAt, rows_shown: shown, assets });
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out) + "\n");
