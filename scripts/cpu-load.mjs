// Keeps every core busy until told to stop: one busy loop per core, each in a worker thread,
// so the main thread stays free to hear "stop". Stops on SIGTERM/SIGINT, when the parent that
// forked it goes (its IPC channel closes, even if the parent was killed), or on "stop" from it.
// Used by `npm run test:e2e:logs-under-load`; run it alone with `node scripts/cpu-load.mjs`.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

const spin = "for (;;) { Math.sqrt(Math.random()); }";
const workers = Array.from({ length: availableParallelism() }, () => new Worker(spin, { eval: true }));

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  void Promise.all(workers.map((w) => w.terminate())).finally(() => process.exit(0));
}

process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.on("disconnect", stop);
process.on("message", (m) => m === "stop" && stop());
console.log(`cpu-load: ${workers.length} busy loops (pid ${process.pid})`);
if (process.send) process.send("started");
