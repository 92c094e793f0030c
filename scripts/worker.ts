// npm run worker — the job worker on its own, for scaling out beside web servers started
// with CORRAL_WORKER=off. Any number may run; each job goes to one of them.
import { checkConfigAtStart } from "../lib/ops/check-config-at-start";
import { closeReadPool } from "../lib/db/read-pool";
import { closeKeyLocks } from "../lib/jobs/key-lock";
import { stopBoss } from "../lib/jobs/queue";
import { startWorker } from "../lib/jobs/worker";

checkConfigAtStart();
const worker = await startWorker();
// A line for people and scripts watching the terminal; everything else is structured logs.
console.log("Corral worker running. Ctrl-C to stop.");

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await worker.stop();
  await stopBoss();
  await Promise.all([closeKeyLocks(), closeReadPool()]);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
