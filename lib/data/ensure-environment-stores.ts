import "server-only";
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { db } from "@/lib/db/client";
import type { DataSourceKind } from "@/lib/db/generated/enums";
import { secretBox } from "@/lib/secrets/secrets";
import { isDataProblem } from "./data-problem";
import { sourceEndpoint, storeOwnEndpoint, storeSecretPurpose } from "./endpoints";
import { storeGateway } from "./gateway";
import { storeNames } from "./store-names";
import { storeVariables } from "./store-variables";

/**
 * Makes the stores an environment's template asks for, on each kind's store host, and returns
 * the variables its components read (the `corral-data` Secret). Called by every reconcile pass:
 * a store that is ready costs one query and no call to its host; a pending or failed one is
 * (re)made, which is idempotent on every kind. A host that is down throws (the reconcile is
 * retried); a host that refuses marks the store failed with the reason, and the environment
 * goes on without it (its page says which store and why).
 */
export async function ensureEnvironmentStores(environment: { id: string; name: string; templateKinds: DataSourceKind[] }, log: Logger) {
  const stores = await db.environmentStore.findMany({ where: { environmentId: environment.id }, include: { host: true } });
  const missing = environment.templateKinds.filter((kind) => !stores.some((s) => s.kind === kind));
  if (missing.length > 0) {
    const hosts = await db.dataSource.findMany({ where: { storeHost: true, kind: { in: missing } }, orderBy: { createdAt: "asc" } });
    for (const kind of missing) {
      const host = hosts.find((h) => h.kind === kind);
      if (!host) continue; // shown on the page: the template wants a store no host can make
      const names = storeNames(kind, environment, host.prefix);
      const created = await db.environmentStore.upsert({
        where: { environmentId_kind: { environmentId: environment.id, kind } },
        create: { environmentId: environment.id, kind, hostId: host.id, name: names.name, username: names.username },
        update: {},
        include: { host: true },
      });
      stores.push(created);
    }
  }

  for (const store of stores) {
    // Sealed before the store is made (and again after a crash between the row and its secret):
    // a store's user never exists without a password Corral holds.
    if (store.username && !store.secretEncrypted && store.status !== "deleting") {
      const sealed = secretBox().seal(randomBytes(24).toString("base64url"), storeSecretPurpose(store.id));
      await db.environmentStore.updateMany({ where: { id: store.id, secretEncrypted: null }, data: { secretEncrypted: sealed } });
      store.secretEncrypted = (await db.environmentStore.findUniqueOrThrow({ where: { id: store.id }, select: { secretEncrypted: true } })).secretEncrypted;
    }
  }

  for (const store of stores) {
    if (store.status === "ready" || store.status === "deleting") continue;
    const own = storeOwnEndpoint(store, store.host);
    try {
      await storeGateway(store.kind).createStore(sourceEndpoint(store.host), own, { name: store.name, username: store.username });
      await db.environmentStore.update({ where: { id: store.id }, data: { status: "ready", reason: null } });
      store.status = "ready";
      log.info({ environmentId: environment.id, kind: store.kind, store: store.name }, "store ready");
    } catch (error) {
      if (!isDataProblem(error) || error.kind === "unavailable") throw error;
      await db.environmentStore.update({ where: { id: store.id }, data: { status: "failed", reason: `${store.host.name} refused to make the store: ${error.message}` } });
      store.status = "failed";
    }
  }
  return storeVariables(stores.filter((s) => s.status === "ready").map((s) => ({ store: s, own: storeOwnEndpoint(s, s.host) })));
}
