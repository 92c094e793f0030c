import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { eventually } from "./eventually";
import { freePort } from "./free-port";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Corral's production build served as `npm start` serves it (scripts/serve.mjs), on a free
 * port, in a process group of its own so that a SIGKILL takes all of it.
 */
export async function startProductionServer(extraEnv: Record<string, string> = {}, port?: number) {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("This test runs the production build: run `npm run build` first (npm test does).");
  const listenOn = port ?? (await freePort());
  const child = spawnServer(listenOn, {
    ...process.env,
    NODE_ENV: "production",
    CORRAL_WORKER: "off",
    CORRAL_BASE_URL: `http://127.0.0.1:${listenOn}`,
    CORRAL_LOCAL_SIGNIN: "true",
    CORRAL_LOCAL_SIGNIN_FORCE: "true",
    LOG_LEVEL: "warn",
    ...extraEnv,
  });
  const url = `http://127.0.0.1:${listenOn}`;
  await eventually(async () => (await fetch(`${url}/api/healthz`).catch(() => null))?.ok, "the web server", 60_000);
  return {
    url,
    port: listenOn,
    process: child,
    /** Resident memory of the serving process, in bytes. */
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0) * 1024,
    kill: () => killGroup(child),
  };
}

export function spawnServer(port: number, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, "scripts", "serve.mjs"), "--port", String(port), "--hostname", "127.0.0.1"], { cwd: ROOT, env, stdio: "ignore", detached: true });
}

/** SIGKILL to the child and everything it started: nothing gets to clean up. */
export function killGroup(child: ChildProcess) {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // already gone
  }
}
