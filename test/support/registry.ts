import { createHash } from "node:crypto";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/**
 * Pushes a tag to a registry the way `docker push` ends: PUT of an OCI image manifest, after the
 * token flow when the registry asks for it. Blobs are not uploaded (the sandbox keeps none).
 */
export async function pushTag(registryUrl: string, name: string, tag: string, credentials?: { username: string; password: string }): Promise<string> {
  const config = JSON.stringify({ architecture: "amd64", os: "linux", config: { Labels: { version: tag } } });
  const body = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(config), size: Buffer.byteLength(config) },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha256(`${name}:${tag}`), size: 1234 }],
  });
  const url = `${registryUrl}/v2/${name}/manifests/${tag}`;
  const put = (authorization?: string) =>
    fetch(url, { method: "PUT", body, headers: { "content-type": OCI_MANIFEST, ...(authorization ? { authorization } : {}) } });
  let response = await put();
  if (response.status === 401 && credentials) {
    const challenge = response.headers.get("www-authenticate") ?? "";
    const param = (key: string) => new RegExp(`${key}="([^"]*)"`).exec(challenge)?.[1] ?? "";
    const tokenUrl = `${param("realm")}?service=${encodeURIComponent(param("service"))}&scope=${encodeURIComponent(param("scope"))}`;
    const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
    const { token } = (await (await fetch(tokenUrl, { headers: { authorization: basic } })).json()) as { token: string };
    response = await put(`Bearer ${token}`);
  }
  if (response.status !== 201) throw new Error(`pushing ${name}:${tag} answered ${response.status}: ${await response.text()}`);
  return response.headers.get("docker-content-digest") ?? "";
}

function sha256(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}
