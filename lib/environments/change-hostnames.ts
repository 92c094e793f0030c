import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { parseIngressTarget, recordTypeOf } from "@/lib/clusters/ingress-target";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { changeEnvironment } from "./change-environment";
import { customHostnameProblem } from "./hostnames";

const invalid = (field: string, message: string) => new AppError("invalid_input", "Some fields are not valid.", { [field]: [message] });

/** Adds a name of one's own inside the cluster's zone, routed to a component with a port. */
export async function addHostname(actor: Actor, id: string, input: { fqdn: string; component: string }) {
  const env = await db.environment.findUnique({ where: { id }, select: { cluster: { select: { dnsDomain: true, ingressHost: true } } } });
  if (!env) throw new AppError("not_found", "There is no such environment.");
  const domain = env.cluster?.dnsDomain ?? null;
  const problem = customHostnameProblem(input.fqdn, domain);
  if (problem) throw invalid("fqdn", problem);
  // The names under another environment's (<…>.<env>.<zone>) stay that environment's.
  const envLabel = input.fqdn.slice(0, -(domain!.length + 1)).split(".").at(-1)!;
  return changeEnvironment(actor, id, "hostnames", async (tx, current) => {
    const component = current.components.find((c) => c.name === input.component);
    if (!component) throw invalid("component", `The environment has no component “${input.component}”.`);
    if (component.port === null) throw invalid("component", `${input.component} has no port: nothing could answer at a hostname.`);
    if (envLabel !== current.name && (await tx.environment.count({ where: { liveName: envLabel } })) > 0) {
      throw invalid("fqdn", `${input.fqdn} is among the names of the environment ${envLabel}.`);
    }
    const taken = await tx.hostname.findUnique({ where: { fqdn: input.fqdn }, select: { environmentId: true } });
    if (taken) throw new AppError("conflict", `${input.fqdn} is already in use${taken.environmentId === id ? " here" : " by another environment"}.`, { fqdn: [`${input.fqdn} is already in use.`] });
    const target = env.cluster?.ingressHost ? parseIngressTarget(env.cluster.ingressHost) : null;
    await tx.hostname.create({
      data: { environmentId: id, fqdn: input.fqdn, componentName: component.name, custom: true, recordType: target ? recordTypeOf(target) : "none", target: env.cluster?.ingressHost ?? "" },
    });
    return { message: `Hostname ${input.fqdn} added, to ${component.name}` };
  });
}

/** Removes a name someone added; its record goes with the next DNS pass. */
export async function removeHostname(actor: Actor, id: string, hostnameId: string) {
  return changeEnvironment(actor, id, "hostnames", async (tx) => {
    const row = await tx.hostname.findFirst({ where: { id: hostnameId, environmentId: id } });
    if (!row || row.status === "deleting") throw new AppError("not_found", "The environment has no such hostname.");
    if (!row.custom) {
      throw new AppError("conflict", `${row.fqdn} comes from ${row.componentName ?? "a component"} being public; it goes when that component is made private.`);
    }
    await tx.hostname.update({ where: { id: row.id }, data: { status: "deleting", reason: null } });
    return { message: `Hostname ${row.fqdn} removed` };
  });
}
