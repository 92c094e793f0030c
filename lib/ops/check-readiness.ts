import "server-only";
import { db } from "@/lib/db/client";
import { inProcessWorkerState } from "@/lib/jobs/in-process";

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  ms: number;
  message?: string;
}

const TIMEOUT_MS = 2_000;

/** Whether each dependency Corral needs to serve answers now. Later: clusters. */
export async function checkReadiness(): Promise<{ ready: boolean; checks: ReadinessCheck[] }> {
  const checks = await Promise.all([
    check("database", () => db.$queryRaw`SELECT 1`),
    check("worker", async () => {
      const worker = inProcessWorkerState();
      if (worker === "starting") throw new Error("the in-process worker is still starting");
    }),
  ]);
  return { ready: checks.every((c) => c.ok), checks };
}

async function check(name: string, probe: () => Promise<unknown>): Promise<ReadinessCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { name, ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { name, ok: false, ms: Math.round(performance.now() - started), message: plain(error) };
  } finally {
    clearTimeout(timer);
  }
}

// Enough to tell an operator what is wrong, without connection strings or credentials.
function plain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED|connect/i.test(message)) return "not reachable";
  if (/no answer within|worker/.test(message)) return message;
  return "failed";
}
