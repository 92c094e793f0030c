import { z } from "zod";

// CORRAL_REGISTRIES: how Corral reaches the registries images name, keyed by the host in the
// image reference: {"registry.example.com":{"url":"https://mirror.internal","username":"…","password":"…"}}.
// Without an entry a host is reached at https://<host> anonymously (Docker Hub for bare names).
// The messages name the entry and the field, never a value: a password must not reach a log.

export interface RegistryEntry {
  /** Where the registry answers; https://<host> when absent. */
  url?: string;
  username?: string;
  password?: string;
}

export type RegistriesConfig = Record<string, RegistryEntry>;

const HOST = /^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d{1,5})?$|^[a-z0-9-]+:\d{1,5}$/;
const FIELDS = ["url", "username", "password"];
const EXAMPLE = '{"ghcr.io":{"username":"…","password":"…"}}';

/** The variable's text → its entries; an issue naming the entry and field for each problem. */
export function parseRegistries(text: string | undefined, ctx: z.RefinementCtx): RegistriesConfig {
  if (text === undefined || text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: "custom", message: `must be JSON: an object keyed by registry host, e.g. ${EXAMPLE}` });
    return {};
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: `must be a JSON object keyed by registry host, e.g. ${EXAMPLE}` });
    return {};
  }
  const out: RegistriesConfig = {};
  for (const [rawHost, rawEntry] of Object.entries(value)) {
    const host = rawHost.toLowerCase();
    const problem = (message: string) => ctx.addIssue({ code: "custom", message: `entry “${rawHost.slice(0, 100)}”: ${message}` });
    if (!HOST.test(host)) {
      problem("is not a registry host such as ghcr.io or registry.example.com:5000");
      continue;
    }
    if (typeof rawEntry !== "object" || rawEntry === null || Array.isArray(rawEntry)) {
      problem('must be an object such as {"url":"https://…","username":"…","password":"…"}');
      continue;
    }
    const entry = rawEntry as Record<string, unknown>;
    const unknown = Object.keys(entry).filter((k) => !FIELDS.includes(k));
    if (unknown.length > 0) problem(`has ${unknown.length === 1 ? "an unknown field" : "unknown fields"} ${unknown.map((k) => `“${k.slice(0, 40)}”`).join(", ")} (it takes url, username and password)`);
    const url = entry.url === undefined ? undefined : registryUrl(entry.url);
    if (url === null) problem("url must be an http:// or https:// URL with no credentials, query or fragment in it (credentials go in username and password)");
    for (const field of ["username", "password"] as const) {
      const v = entry[field];
      if (v !== undefined && (typeof v !== "string" || v === "" || v.length > 4096 || /[\u0000-\u001f\u007f]/.test(v))) problem(`${field} must be non-empty text on one line`);
    }
    if ((entry.username === undefined) !== (entry.password === undefined)) problem("needs both username and password, or neither");
    out[host] = {
      ...(url ? { url } : {}),
      ...(typeof entry.username === "string" ? { username: entry.username } : {}),
      ...(typeof entry.password === "string" ? { password: entry.password } : {}),
    };
  }
  return out;
}

export const registriesConfigSchema = z
  .string()
  .optional()
  .transform((text, ctx) => parseRegistries(text, ctx));

function registryUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password || url.search || url.hash) return null;
  return url.href.replace(/\/+$/, "");
}
