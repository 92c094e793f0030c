// npm run test:e2e:logs-under-load — the live-logs e2e (tests tagged @live in e2e/logs.spec.ts)
// 20 times in a row while scripts/cpu-load.mjs keeps every core busy: the conditions under which
// the log viewer once lost the end while following. Not part of `npm test` or CI. The load
// stops when the run ends, whatever the outcome (and by itself if this process is killed).
// Extra arguments go to Playwright, e.g. `-- --repeat-each 5`.
import { fork, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { bootstrap, root } from "./lib/bootstrap.mjs";

bootstrap();
// A fresh quick-start data folder, as `npm test` makes for its e2e step.
rmSync(path.join(root, ".data", "e2e"), { recursive: true, force: true });

const load = fork(path.join(root, "scripts", "cpu-load.mjs"), { stdio: "inherit" });
await new Promise((resolve, reject) => {
  load.once("message", resolve);
  load.once("error", reject);
  load.once("exit", (code) => reject(new Error(`cpu-load exited with ${code} before it started`)));
});

// Resolves once the load has exited, so that when this command returns the cores are free.
const stopLoad = () =>
  new Promise((resolve) => {
    if (load.exitCode !== null || load.signalCode !== null) return resolve();
    load.once("exit", resolve);
    if (load.connected) load.send("stop");
    load.kill("SIGTERM");
    setTimeout(() => load.kill("SIGKILL"), 5_000).unref();
  });
// Last resort if this process ends some other way (the load also stops when its IPC channel closes).
process.on("exit", () => load.kill("SIGTERM"));

const args = ["test", "e2e/logs.spec.ts", "--grep", "@live", "--repeat-each", "20", "--workers", "1", "--retries", "0", "--reporter", "list", ...process.argv.slice(2)];
console.log(`• playwright ${args.join(" ")} (with every core busy)`);
const playwright = spawn("playwright", args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
// Stopped from outside: Playwright stops its servers and exits on SIGINT (not on SIGTERM, which
// leaves them running), then the load stops below.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => playwright.kill("SIGINT"));
}
const code = await new Promise((resolve) => {
  playwright.once("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  playwright.once("error", (error) => {
    console.error(error);
    resolve(1);
  });
});
await stopLoad();
process.exit(code);
