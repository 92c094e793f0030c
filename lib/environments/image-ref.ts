// Image references as Docker writes them: [registry[:port]/]path[:tag] or path@sha256:<hex>.
// Corral only runs pinned images, so a missing tag and `latest` are refused.

export interface ImageRef {
  repository: string;
  tag: string | null;
  digest: string | null;
}

export type ParsedImage = { ok: true; image: ImageRef } | { ok: false; message: string };

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REGISTRY = /^(?:localhost|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+|[a-zA-Z0-9-]+:\d+|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+:\d+)$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function parseImage(input: string): ParsedImage {
  const text = input.trim();
  if (text === "") return fail("Image is required, e.g. nginx:1.27.");
  if (/\s/.test(text)) return fail("An image reference has no spaces.");

  let rest = text;
  let digest: string | null = null;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return fail("A digest is sha256: followed by 64 lower-case hex digits.");
  }

  let tag: string | null = null;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return fail(`“${tag}” is not a valid tag: letters, digits, '_', '.' and '-', at most 128.`);
  }

  const parts = rest.split("/");
  const first = parts[0] ?? "";
  const hasRegistry = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasRegistry && !REGISTRY.test(first)) return fail(`“${first}” is not a valid registry host.`);
  const port = hasRegistry && first.includes(":") ? Number(first.slice(first.lastIndexOf(":") + 1)) : null;
  if (port !== null && !(port >= 1 && port <= 65535)) return fail(`The registry port of “${first}” is not between 1 and 65535.`);
  const path = hasRegistry ? parts.slice(1) : parts;
  if (path.length === 0 || path.some((p) => p === "")) return fail("The repository name is missing a part.");
  for (const part of path) {
    if (part !== part.toLowerCase()) return fail("Repository names are lower case (e.g. team/app:1.2).");
    if (!PATH_COMPONENT.test(part)) return fail(`“${part}” is not a valid repository name part.`);
  }
  if (rest.length > 255) return fail("The repository name is longer than 255 characters.");

  if (tag === "latest") return fail("“latest” is not a pinned version: name a tag such as 1.27.3 or a digest.");
  if (tag === null && digest === null) {
    return fail(`Pin a version: add a tag (${rest}:1.2.3) or a digest (${rest}@sha256:…).`);
  }
  // A digest pins the image exactly; a tag given beside it is only a label, so keep the digest.
  return { ok: true, image: { repository: rest, tag: digest ? null : tag, digest } };
}

export function formatImage(image: ImageRef): string {
  return image.digest ? `${image.repository}@${image.digest}` : `${image.repository}:${image.tag ?? ""}`;
}

function fail(message: string): ParsedImage {
  return { ok: false, message };
}
