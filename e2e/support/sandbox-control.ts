import { readFileSync } from "node:fs";
import path from "node:path";

// The quick start's sandbox writes its endpoints to .data/e2e/sandbox/aws.env (the suite's data folder).
function controlUrl(): string {
  const env = readFileSync(path.resolve(".data/e2e/sandbox/aws.env"), "utf8");
  const match = /^SANDBOX_CONTROL_URL=(.+)$/m.exec(env);
  if (!match?.[1]) throw new Error("SANDBOX_CONTROL_URL is not in the sandbox's aws.env");
  return match[1].trim();
}

/** How many pod log streams the sandbox's API server has open right now. */
export async function openLogStreams(namespace?: string): Promise<number> {
  const status = (await (await fetch(`${controlUrl()}/_sandbox/status`)).json()) as { openLogStreams: number; openLogStreamsByNamespace: Record<string, number> };
  // Within one namespace when named: specs running side by side open viewers of their own.
  return namespace === undefined ? status.openLogStreams : (status.openLogStreamsByNamespace[namespace] ?? 0);
}
