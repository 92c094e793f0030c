// Runs once when the server starts: a bad configuration stops it here, with every problem
// named, instead of surfacing as a failed request later.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkConfigAtStart } = await import("@/lib/ops/check-config-at-start");
  checkConfigAtStart();
}
