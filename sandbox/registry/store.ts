import { createHash } from "node:crypto";

// Repositories, their tags and the manifests the tags point at, with the names, tags and
// manifest checks of the OCI distribution spec. Blobs are not kept: a manifest's config and
// layers are taken on trust (a real registry refuses a manifest whose blobs it lacks).

export const NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
export const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const MANIFEST_TYPES = [OCI_MANIFEST, DOCKER_MANIFEST] as const;

export interface StoredManifest {
  mediaType: string;
  /** The bytes as pushed (UTF-8 JSON): the digest is of exactly these. */
  body: string;
}

interface Repository {
  tags: Map<string, string>;
  manifests: Map<string, StoredManifest>;
}

export interface RegistrySnapshot {
  repositories: Record<string, { tags: Record<string, string>; manifests: Record<string, StoredManifest> }>;
}

/** A distribution-spec error: its code, HTTP status and message, answered as `{"errors":[…]}`. */
export class RegistryError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

export class RegistryStore {
  private readonly repositories = new Map<string, Repository>();

  constructor(private readonly onChange: () => void = () => {}) {}

  /** Repository names in lexical order. */
  names(): string[] {
    return [...this.repositories.keys()].sort();
  }

  /** Tags in lexical order, as the spec lists them. */
  tags(name: string): string[] {
    return [...this.repo(name).tags.keys()].sort();
  }

  has(name: string, tag: string): boolean {
    return this.repositories.get(name)?.tags.has(tag) ?? false;
  }

  /** The manifest a tag or digest names. */
  manifest(name: string, reference: string): StoredManifest & { digest: string } {
    const repo = this.repo(name);
    const digest = DIGEST.test(reference) ? reference : repo.tags.get(reference);
    const manifest = digest ? repo.manifests.get(digest) : undefined;
    if (!digest || !manifest) throw new RegistryError("MANIFEST_UNKNOWN", 404, "manifest unknown", { name, reference });
    return { ...manifest, digest };
  }

  /**
   * Stores a manifest under a tag (or its own digest), creating the repository as a push to a
   * real registry does. Answers the manifest's digest.
   */
  put(name: string, reference: string, mediaType: string, body: string): string {
    if (!NAME.test(name) || name.length > 255) throw new RegistryError("NAME_INVALID", 400, "invalid repository name", { name });
    const isDigest = reference.startsWith("sha256:");
    if (isDigest ? !DIGEST.test(reference) : !TAG.test(reference)) {
      throw new RegistryError(isDigest ? "DIGEST_INVALID" : "TAG_INVALID", 400, isDigest ? "provided digest is not valid" : "manifest tag did not match URI", { reference });
    }
    const type = mediaType.split(";")[0]!.trim();
    if (!(MANIFEST_TYPES as readonly string[]).includes(type)) {
      throw new RegistryError("MANIFEST_INVALID", 400, `manifest invalid: this registry takes ${MANIFEST_TYPES.join(" or ")}, not ${type || "no content type"}`);
    }
    const problem = manifestProblem(body, type);
    if (problem) throw new RegistryError("MANIFEST_INVALID", 400, `manifest invalid: ${problem}`);
    const digest = digestOf(body);
    if (isDigest && reference !== digest) throw new RegistryError("DIGEST_INVALID", 400, "provided digest did not match uploaded content", { reference, digest });
    let repo = this.repositories.get(name);
    if (!repo) {
      repo = { tags: new Map(), manifests: new Map() };
      this.repositories.set(name, repo);
    }
    repo.manifests.set(digest, { mediaType: type, body });
    if (!isDigest) repo.tags.set(reference, digest);
    this.onChange();
    return digest;
  }

  snapshot(): RegistrySnapshot {
    const repositories: RegistrySnapshot["repositories"] = {};
    for (const [name, repo] of this.repositories) {
      repositories[name] = { tags: Object.fromEntries(repo.tags), manifests: Object.fromEntries(repo.manifests) };
    }
    return { repositories };
  }

  /** Adds what a snapshot holds; tags it names win over tags already here (the seed). */
  restore(snapshot: RegistrySnapshot): void {
    for (const [name, saved] of Object.entries(snapshot.repositories)) {
      const repo = this.repositories.get(name) ?? { tags: new Map<string, string>(), manifests: new Map<string, StoredManifest>() };
      for (const [digest, manifest] of Object.entries(saved.manifests)) repo.manifests.set(digest, manifest);
      for (const [tag, digest] of Object.entries(saved.tags)) repo.tags.set(tag, digest);
      this.repositories.set(name, repo);
    }
  }

  private repo(name: string): Repository {
    const repo = this.repositories.get(name);
    if (!repo) throw new RegistryError("NAME_UNKNOWN", 404, "repository name not known to registry", { name });
    return repo;
  }
}

export function digestOf(body: string): string {
  return `sha256:${createHash("sha256").update(body, "utf8").digest("hex")}`;
}

/** What is wrong with a pushed image manifest, or null: the fields the spec requires. */
function manifestProblem(body: string, mediaType: string): string | null {
  let manifest: unknown;
  try {
    manifest = JSON.parse(body);
  } catch {
    return "not JSON";
  }
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) return "not a JSON object";
  const m = manifest as Record<string, unknown>;
  if (m.schemaVersion !== 2) return "schemaVersion must be 2";
  if (m.mediaType !== undefined && m.mediaType !== mediaType) return `mediaType ${String(m.mediaType)} does not match the Content-Type ${mediaType}`;
  if (!isDescriptor(m.config)) return "config must be a descriptor (mediaType, digest, size)";
  if (!Array.isArray(m.layers) || !m.layers.every(isDescriptor)) return "layers must be an array of descriptors (mediaType, digest, size)";
  return null;
}

function isDescriptor(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const d = value as Record<string, unknown>;
  return typeof d.mediaType === "string" && typeof d.digest === "string" && DIGEST.test(d.digest) && typeof d.size === "number" && Number.isInteger(d.size) && d.size >= 0;
}
