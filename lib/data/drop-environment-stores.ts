import "server-only";
import { db } from "@/lib/db/client";
import { isDataProblem } from "./data-problem";
import { sourceEndpoint } from "./endpoints";
import { storeGateway } from "./gateway";

/**
 * The clean-up step for an environment's stores: each is dropped on its host (database and
 * user, keys and ACL user, objects under the prefix) and its row removed. Idempotent: a store
 * already gone is dropped again without complaint. Returns the stores a host could not drop for
 * now ("unavailable") and throws the first refusal in plain words.
 */
export async function dropEnvironmentStores(environmentId: string): Promise<{ waiting: string[] }> {
  const stores = await db.environmentStore.findMany({ where: { environmentId }, include: { host: true } });
  const waiting: string[] = [];
  for (const store of stores) {
    await db.environmentStore.update({ where: { id: store.id }, data: { status: "deleting" } });
    try {
      await storeGateway(store.kind).dropStore(sourceEndpoint(store.host), { name: store.name, username: store.username });
      await db.environmentStore.delete({ where: { id: store.id } });
    } catch (error) {
      if (isDataProblem(error) && error.kind !== "unavailable") throw new Error(`${store.host.name} refused to drop ${store.name}: ${error.message}`);
      // The host's credentials cannot be opened (a key dropped too early): no wait helps.
      if ((error as Error).name === "SecretKeyError") throw new Error(`${store.host.name}'s credentials cannot be opened: ${(error as Error).message}`);
      waiting.push(`${store.name} on ${store.host.name} (${isDataProblem(error) ? error.message : "no answer"})`);
      await db.environmentStore.update({ where: { id: store.id }, data: { reason: `could not be dropped yet: ${isDataProblem(error) ? error.message : "no answer"}` } });
    }
  }
  return { waiting };
}
