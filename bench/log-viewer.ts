// Issue 6: the log viewer stays smooth with 100,000 lines and more. Measured in Debian's
// Chromium against the quick start (`scripts/start.mjs`, production build, its own sandbox):
// frames per second and long tasks while a busy stream fills the viewer past 100,000 lines
// and while scrolling through them, beside the same page on a quiet stream (the baseline).
// Ratio = busy / quiet frames per second. Loopback only; every loop is bounded.
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { freePort } from "../test/support/free-port";
import { SANDBOX_ON_FREE_PORTS } from "../test/support/sandbox-env";

const ROOT = path.resolve(import.meta.dirname, "..");
const BUSY_RATE = Number(process.env.BENCH_VIEWER_RATE ?? 20_000);
const TARGET_LINES = 120_000;
const WINDOW_MS = 5_000;

async function main() {
  const port = await freePort();
  const dataDir = path.join(ROOT, ".data", "bench-viewer");
  rmSync(dataDir, { recursive: true, force: true });
  const server = spawn(process.execPath, [path.join(ROOT, "scripts", "start.mjs"), "--no-build", "--port", String(port)], {
    cwd: ROOT,
    env: {
      ...process.env,
      CORRAL_DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      DATABASE_URL: "",
      ...SANDBOX_ON_FREE_PORTS,
      SANDBOX_LOG_RATE: String(BUSY_RATE),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  try {
    await waitForOutput(server, "Corral is running", 180_000);
    const base = `http://127.0.0.1:${port}`;
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--disable-background-networking", "--no-first-run"] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("Your name").fill("Bench");
    await page.getByRole("button", { name: "Sign in locally" }).click();
    await page.getByRole("heading", { name: "Environments" }).waitFor();
    const created = await page.request.post(`${base}/api/v1/environments`, { headers: { origin: base }, data: { name: "viewer-bench", components: [{ name: "web", image: "nginx:1.27.3" }] } });
    const { id } = (await created.json()) as { id: string };
    for (let i = 0; i < 120; i++) {
      const env = (await (await page.request.get(`${base}/api/v1/environments/${id}`)).json()) as { status: string };
      if (env.status === "ready") break;
      await page.waitForTimeout(500);
    }

    // Baseline: the viewer on a stream that has almost nothing to show (filtered to nothing).
    await page.goto(`${base}/environments/${id}/logs?component=web&tail=0`);
    await page.getByLabel("Search logs").fill("no line contains this");
    const quiet = await measure(page);

    // Busy: the unfiltered stream, at BUSY_RATE lines/s, until past TARGET_LINES.
    await page.getByLabel("Search logs").fill("");
    const started = Date.now();
    for (;;) {
      const count = await lineCount(page);
      if (count >= TARGET_LINES || Date.now() - started > 120_000) break;
      await page.waitForTimeout(250);
    }
    const filling = await measure(page);
    const lines = await lineCount(page);
    const scrolling = await measure(page, async () => {
      await page.evaluate(`(() => {
        const el = document.querySelector('[data-testid="log-lines"]');
        let y = 0;
        function step() { y = (y + 4000) % el.scrollHeight; el.scrollTop = y; requestAnimationFrame(step); }
        requestAnimationFrame(step);
      })()`);
    });
    const search = (await page.evaluate(`(async () => {
      const input = document.querySelector('input[aria-label="Search logs"]');
      const t0 = performance.now();
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(input, "ERROR");
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - t0;
    })()`)) as number;
    const heapMb = (await page.evaluate(`(performance.memory ? performance.memory.usedJSHeapSize : 0) / 1e6`)) as number;
    await browser.close();

    const result = {
      name: "log-viewer",
      at: new Date().toISOString(),
      rate: BUSY_RATE,
      linesInViewer: lines,
      quiet,
      filling,
      scrolling,
      searchOver100kMs: Math.round(search),
      heapMb: Math.round(heapMb),
      ratioFps: { filling: round(filling.fps / quiet.fps), scrolling: round(scrolling.fps / quiet.fps) },
    };
    console.table({
      "quiet stream (baseline)": quiet,
      [`filling at ${BUSY_RATE.toLocaleString()} lines/s`]: filling,
      [`scrolling ${lines.toLocaleString()} lines`]: scrolling,
    });
    console.log(`search over ${lines.toLocaleString()} lines: ${result.searchOver100kMs} ms to the next frame; JS heap ${result.heapMb} MB`);
    console.log(`ratio (fps vs quiet): filling ${result.ratioFps.filling}, scrolling ${result.ratioFps.scrolling}`);
    await writeFile(path.join(ROOT, "bench", "results", "log-viewer.json"), JSON.stringify(result, null, 2) + "\n");
  } finally {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      // gone
    }
  }
}

/** Frames per second and long tasks (>50 ms) over a window, optionally while `during` runs. */
async function measure(page: Page, during?: () => Promise<void>) {
  // Scripts for the page go as text: tsx would wrap functions in helpers the page lacks.
  const stop = page.evaluate(`new Promise((resolve) => {
    let frames = 0, worst = 0, last = performance.now(), longTasks = 0;
    const observer = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
    observer.observe({ entryTypes: ["longtask"] });
    const t0 = performance.now();
    function tick(t) {
      frames++;
      worst = Math.max(worst, t - last);
      last = t;
      if (t - t0 < ${WINDOW_MS}) requestAnimationFrame(tick);
      else {
        observer.disconnect();
        resolve({ fps: Math.round((frames * 1000) / (t - t0)), longTasks, worstFrameMs: Math.round(worst) });
      }
    }
    requestAnimationFrame(tick);
  })`) as Promise<{ fps: number; longTasks: number; worstFrameMs: number }>;
  if (during) await during();
  return stop;
}

async function lineCount(page: Page) {
  return Number(((await page.getByTestId("line-count").textContent()) ?? "0").replace(/\D/g, ""));
}

function round(n: number) {
  return Math.round(n * 100) / 100;
}

function waitForOutput(child: ChildProcess, text: string, timeoutMs: number) {
  return new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`the server exited with ${code}:\n${out}`)));
  });
}

await main();
