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

/** Why a name someone asks for cannot be one of the environment's, or null when it can. */
export function customHostnameProblem(fqdn: string, domain: string | null): string | null {
  if (!domain) return "This environment's cluster has no DNS zone: an admin sets one on the Clusters page.";
  if (fqdn.length > 253 || !fqdn.split(".").every((l) => /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(l))) {
    return "A hostname is lower-case letters, digits and '-' in labels separated by dots, such as demo.envs.example.com.";
  }
  if (!fqdn.endsWith(`.${domain}`)) return `A hostname must be inside the zone ${domain}, such as demo.${domain}.`;
  if (fqdn.startsWith("_")) return "Names starting with '_' are kept for ownership records.";
  return null;
}

/** Where a browser opens a hostname. */
export function urlOf(fqdn: string, cluster: { urlScheme: string; urlPort: number | null } | null): string {
  const scheme = cluster?.urlScheme === "http" ? "http" : "https";
  const port = cluster?.urlPort && !((scheme === "https" && cluster.urlPort === 443) || (scheme === "http" && cluster.urlPort === 80)) ? `:${cluster.urlPort}` : "";
  return `${scheme}://${fqdn}${port}/`;
}
