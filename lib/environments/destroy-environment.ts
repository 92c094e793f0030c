import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { changeEnvironment } from "./change-environment";

/** Starts tearing an environment down; asking again while it is Destroying changes nothing. */
export async function destroyEnvironment(actor: Actor, id: string) {
  return changeEnvironment(actor, id, "destroy", async (_tx, env) =>
    env.lifecycle === "destroying" ? null : { patch: { lifecycle: "destroying", phaseReason: null }, message: "Destroy requested" },
  );
}
