// The console's browser suite: Debian's chromium (its executablePath; the
// Playwright browser download is not used) against the real suite that
// scripts/console-suite.sh starts (CONSOLE_URL).
import { defineConfig } from "@playwright/test";

const url = process.env.CONSOLE_URL;
if (!url) throw new Error("CONSOLE_URL is not set: run the suite through scripts/console-suite.sh (make test-console)");

export default defineConfig({
  testDir: "test/browser",
  outputDir: "test-output/results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: url,
    viewport: { width: 1280, height: 860 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      // WebGL for MapLibre through SwiftShader, headless.
      args: ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
    },
    trace: "off",
    screenshot: "only-on-failure",
  },
});
