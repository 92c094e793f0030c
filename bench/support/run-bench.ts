/**
 * Runs a benchmark's main function and always its cleanup — on success, on failure, and on
 * Ctrl-C — then exits (1 when main failed, 130 when interrupted).
 */
export function runBench(main: () => Promise<void>, cleanup: () => Promise<void>): void {
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      void cleanup().finally(() => process.exit(130));
    });
  }
  main()
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(async () => {
      await cleanup();
      process.exit();
    });
}
