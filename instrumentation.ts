// Runs once when the server starts: a bad configuration stops it here, with every problem
// named, instead of surfacing as a failed request later. Then, unless CORRAL_WORKER=off, the
// job worker starts in this process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkConfigAtStart } = await import("@/lib/ops/check-config-at-start");
  checkConfigAtStart();
  const { startInProcessWorker } = await import("@/lib/jobs/in-process");
  await startInProcessWorker();
}
