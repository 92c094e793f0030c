import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { defaultHostnames, type WantedHostname } from "./hostnames";

interface Env {
  id: string;
  name: string;
  components: { name: string; public: boolean; port: number | null }[];
  cluster: { dnsDomain: string | null } | null;
}

/**
 * Brings the environment's hostname rows to what it wants now: its public components' names
 * appear (pending), names no longer wanted are marked for deletion (the DNS sync removes
 * their records, then the rows), custom names stay. Returns the names its Ingresses route.
 */
export async function syncHostnameRows(env: Env): Promise<WantedHostname[]> {
  const domain = env.cluster?.dnsDomain ?? config().CORRAL_ENV_DOMAIN;
  const wanted = defaultHostnames(env, domain);
  const routable = new Set(env.components.filter((c) => c.port !== null).map((c) => c.name));
  return db.$transaction(
    async (tx) => {
      const rows = await tx.hostname.findMany({ where: { environmentId: env.id } });
      const have = new Map(rows.map((r) => [r.fqdn, r]));
      const want = new Set(wanted.map((w) => w.fqdn));
      const missing = wanted.filter((w) => !have.has(w.fqdn));
      if (missing.length > 0) {
        // A name held by another environment's custom hostname stays theirs (the unique fqdn).
        await tx.hostname.createMany({
          data: missing.map((w) => ({ environmentId: env.id, fqdn: w.fqdn, componentName: w.componentName })),
          skipDuplicates: true,
        });
      }
      // A component made private loses its names, custom ones too (issue 12: its Ingress and records go).
      const open = new Set(env.components.filter((c) => c.public && c.port !== null).map((c) => c.name));
      const gone = rows
        .filter((r) => r.status !== "deleting" && (r.custom ? !open.has(r.componentName ?? "") : !want.has(r.fqdn)))
        .map((r) => r.id);
      if (gone.length > 0) await tx.hostname.updateMany({ where: { id: { in: gone } }, data: { status: "deleting" } });
      const back = rows.filter((r) => !r.custom && want.has(r.fqdn) && r.status === "deleting").map((r) => r.id);
      // (A custom name removed stays removed: it was marked by a person or by its component going private.)
      if (back.length > 0) await tx.hostname.updateMany({ where: { id: { in: back } }, data: { status: "pending", reason: null } });
      const now = await tx.hostname.findMany({ where: { environmentId: env.id, status: { not: "deleting" } }, select: { fqdn: true, componentName: true, custom: true } });
      return now
        .filter((r): r is { fqdn: string; componentName: string; custom: boolean } => r.componentName !== null && routable.has(r.componentName))
        .map((r) => ({ fqdn: r.fqdn, componentName: r.componentName }));
    },
    { timeout: 10_000 },
  );
}
