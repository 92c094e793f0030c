import { isHostname } from "@/lib/clusters/ingress-target";

// The names an environment answers at: `<env>.<zone>` for its main public component and
// `<component>.<env>.<zone>` for each public one; people may add their own inside the zone.

export interface WantedHostname {
  fqdn: string;
  componentName: string;
}

/** The public component the environment's own name opens: `web` when public, else the first by name. */
export function mainComponent(components: { name: string; public: boolean; port: number | null }[]): string | null {
  const open = components.filter((c) => c.public && c.port !== null).sort((a, b) => a.name.localeCompare(b.name));
  return (open.find((c) => c.name === "web") ?? open[0])?.name ?? null;
}

export function defaultHostnames(env: { name: string; components: { name: string; public: boolean; port: number | null }[] }, domain: string): WantedHostname[] {
  const main = mainComponent(env.components);
  return [
    ...(main ? [{ fqdn: `${env.name}.${domain}`, componentName: main }] : []),
    ...env.components
      .filter((c) => c.public && c.port !== null)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => ({ fqdn: `${c.name}.${env.name}.${domain}`, componentName: c.name })),
  ];
}

/**
 * Why a name someone asks for cannot be one of the environment's, or null when it can. Only
 * names under the environment's own (`demo.<env>.<zone>`): a name anywhere in the zone could be
 * taken before the environment that would be called so exists, and its URL would open theirs.
 */
export function customHostnameProblem(fqdn: string, envName: string, domain: string | null): string | null {
  if (!domain) return "This environment's cluster has no DNS zone: an admin sets one on the Clusters page.";
  const own = `${envName}.${domain}`;
  if (fqdn.length > 253 || !isHostname(fqdn)) {
    return `A hostname is lower-case letters, digits and '-' in labels separated by dots, such as demo.${own}.`;
  }
  if (!fqdn.endsWith(`.${own}`)) return `A hostname must be under the environment's own name, such as demo.${own}.`;
  return null;
}

/** Where a browser opens a hostname. */
export function urlOf(fqdn: string, cluster: { urlScheme: string; urlPort: number | null } | null): string {
  const scheme = cluster?.urlScheme === "http" ? "http" : "https";
  const port = cluster?.urlPort && !((scheme === "https" && cluster.urlPort === 443) || (scheme === "http" && cluster.urlPort === 80)) ? `:${cluster.urlPort}` : "";
  return `${scheme}://${fqdn}${port}/`;
}
