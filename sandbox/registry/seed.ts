import { createHash } from "node:crypto";
import { OCI_MANIFEST, type RegistryStore } from "./store";

/** The host name images in the sandbox's registry carry: registry.sandbox.corral.test/shop/web:1.2.1. */
export const SANDBOX_REGISTRY_HOST = "registry.sandbox.corral.test";

// The quick start's example shop: what its templates run (1.2.1 by default), a newer release
// to move to, older ones to roll back to, release candidates above them, a branch build, and
// `latest`, which real registries have and Corral refuses to run.
export const SEED_TAGS: Record<string, string[]> = {
  "shop/web": ["1.0.0", "1.1.0", "1.2.0", "1.2.1", "1.3.0", "2.0.0-rc.1", "main", "latest"],
  "shop/api": ["1.0.0", "1.1.0", "1.1.1", "1.2.0", "1.2.1", "1.3.0", "2.0.0-rc.1", "2.0.0-rc.2", "latest"],
  "shop/worker": ["1.0.0", "1.1.0", "1.2.0", "1.2.1", "1.2.2", "1.3.0-beta.1", "latest"],
};

/** Pushes every seed tag (as a small OCI image manifest) that is not already there. */
export function seedRegistry(store: RegistryStore): void {
  for (const [name, tags] of Object.entries(SEED_TAGS)) {
    tags.forEach((tag, i) => {
      if (store.has(name, tag)) return;
      // `latest` is the newest release, as a registry that tags every release latest would have it.
      const version = tag === "latest" ? newestRelease(tags) : tag;
      store.put(name, tag, OCI_MANIFEST, seedManifest(name, version, i));
    });
  }
}

/** A deterministic image manifest, so a tag's digest is the same on every start. */
export function seedManifest(name: string, version: string, index = 0): string {
  const config = JSON.stringify({ architecture: "amd64", os: "linux", config: { Labels: { "org.opencontainers.image.version": version } } });
  const created = new Date(Date.UTC(2026, 0, 5) + index * 14 * 86_400_000).toISOString();
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(config), size: Buffer.byteLength(config) },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha256(`${name}:${version} layer`), size: 2_811_969 + index * 4_096 }],
    annotations: { "org.opencontainers.image.version": version, "org.opencontainers.image.created": created, "org.opencontainers.image.source": `https://git.example.com/${name}` },
  });
}

function newestRelease(tags: string[]): string {
  return tags.filter((t) => /^\d+\.\d+\.\d+$/.test(t)).at(-1) ?? "0.0.0";
}

function sha256(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}
