// Shared by bench/environments.ts and the processes it starts (bench/environments-children.ts):
// the environments' shape, so Corral and the direct baseline apply exactly the same manifests.
import { readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const OWNER_EMAIL = "bench@example.com";

/** Five components: four with a Service, one without; images the sandbox runs normally. */
export const FIVE_COMPONENTS = [
  { name: "api", image: "acme/api:2.0.1", port: 8080 },
  { name: "cache", image: "redis:7.4.1", port: 6379 },
  { name: "search", image: "acme/search:1.2.0", port: 9200 },
  { name: "web", image: "nginx:1.27.3", port: 80 },
  { name: "worker", image: "acme/worker:2.0.1", port: null },
] as const;

export const ONE_COMPONENT = [{ name: "web", image: "nginx:1.27.3", port: null }] as const;

/** What the reconciler's toSpec builds for such an environment (no template, no quota). */
export function specFor(id: string, name: string, components: readonly { name: string; image: string; port: number | null }[]) {
  return {
    id,
    name,
    owner: OWNER_EMAIL,
    template: null,
    quota: {},
    hostnames: [],
    asleep: false,
    components: components.map((c) => ({ name: c.name, image: c.image, replicas: 1, port: c.port, env: {}, resources: {}, public: false })),
  };
}

/** The worker's JOB_CONCURRENCY (reconciles run that many at once), read from its source so the baseline follows it. */
export function reconcileConcurrency(): number {
  const source = readFileSync(path.join(ROOT, "lib", "jobs", "worker.ts"), "utf8");
  const m = /const JOB_CONCURRENCY = (\d+)/.exec(source);
  if (!m) throw new Error("JOB_CONCURRENCY not found in lib/jobs/worker.ts");
  return Number(m[1]);
}

/** Runs `task` for 0..n-1 with at most `limit` at once. */
export async function pool(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, lane));
}
