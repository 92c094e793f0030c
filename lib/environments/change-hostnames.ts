import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { changeEnvironment } from "./change-environment";
import { customHostnameProblem } from "./hostnames";

const invalid = (field: string, message: string) => new AppError("invalid_input", "Some fields are not valid.", { [field]: [message] });

/** Adds a name under the environment's own, routed to one of its public components. */
export async function addHostname(actor: Actor, id: string, input: { fqdn: string; component: string }) {
  return changeEnvironment(actor, id, "hostnames", async (tx, current) => {
    const cluster = current.clusterId ? await tx.cluster.findUnique({ where: { id: current.clusterId }, select: { dnsDomain: true } }) : null;
    const problem = customHostnameProblem(input.fqdn, current.name, cluster?.dnsDomain ?? null);
    if (problem) throw invalid("fqdn", problem);
    const component = current.components.find((c) => c.name === input.component);
    if (!component) throw invalid("component", `The environment has no component “${input.component}”.`);
    if (component.port === null || !component.public) {
      throw invalid("component", `${input.component} is not public${component.port === null ? " and has no port" : ""}: nothing would answer at a hostname.`);
    }
    const taken = await tx.hostname.findUnique({ where: { fqdn: input.fqdn }, select: { environmentId: true } });
    if (taken) throw new AppError("conflict", `${input.fqdn} is already one of this environment's names.`, { fqdn: [`${input.fqdn} is already in use.`] });
    await tx.hostname.create({ data: { environmentId: id, fqdn: input.fqdn, componentName: component.name, custom: true } });
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
