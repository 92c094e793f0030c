import type { RegistriesConfig } from "./registries-config";

// Where an image repository lives, the way Docker reads a reference: a first part with a dot,
// a port or `localhost` is a registry host; anything else is on Docker Hub, where one-part
// names are official images under `library/`.

export const DOCKER_HUB = "docker.io";
const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

export interface RepositoryRef {
  /** The registry host as image references name it (docker.io for Docker Hub). */
  host: string;
  /** The repository's name on that registry: shop/web, library/nginx. */
  path: string;
}

export interface RegistryEndpoint {
  host: string;
  /** Base URL, without a trailing slash. */
  url: string;
  credentials?: { username: string; password: string };
}

export function parseRepository(repository: string): RepositoryRef {
  const parts = repository.split("/");
  const first = parts[0] ?? "";
  const hasHost = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  const host = hasHost ? first.toLowerCase() : DOCKER_HUB;
  const rest = hasHost ? parts.slice(1) : parts;
  if (DOCKER_HUB_ALIASES.has(host)) return { host: DOCKER_HUB, path: rest.length === 1 ? `library/${rest[0]}` : rest.join("/") };
  return { host, path: rest.join("/") };
}

/**
 * How to reach a registry: its CORRAL_REGISTRIES entry, else https://<host> (Docker Hub's API is
 * at registry-1.docker.io; a registry on this machine is spoken to over http, as Docker does).
 */
export function endpointFor(host: string, registries: RegistriesConfig): RegistryEndpoint {
  const entry = registries[host] ?? (host === DOCKER_HUB ? (registries["index.docker.io"] ?? registries["registry-1.docker.io"]) : undefined);
  const local = /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(host);
  const url = entry?.url ?? (host === DOCKER_HUB ? "https://registry-1.docker.io" : `${local ? "http" : "https"}://${host}`);
  const credentials = entry?.username !== undefined && entry.password !== undefined ? { username: entry.username, password: entry.password } : undefined;
  return { host, url, ...(credentials ? { credentials } : {}) };
}
