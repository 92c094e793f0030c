export type ImageBehaviour = "ok" | "unpullable" | "crashloop" | "slow";

export interface ImageRef {
  repository: string;
  tag: string;
}

/** Splits `registry:port/repo:tag@sha256:...` into repository and tag (or digest). */
export function parseImage(image: string): ImageRef {
  const [withoutDigest = "", digest] = image.split("@");
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  if (colon > slash) return { repository: withoutDigest.slice(0, colon), tag: digest ?? withoutDigest.slice(colon + 1) };
  return { repository: withoutDigest, tag: digest ?? "latest" };
}

/**
 * What the simulated kubelet does with an image, so failure paths can be tested with plain image
 * names. The convention is documented in sandbox/README.md.
 */
export function behaviourOf(image: string): ImageBehaviour {
  const { repository, tag } = parseImage(image);
  if (/does-not-exist|missing/.test(repository) || tag === "9.9" || /missing/.test(tag)) return "unpullable";
  if (/crashloop/.test(tag) || /crashloop/.test(repository)) return "crashloop";
  if (/slow/.test(tag)) return "slow";
  return "ok";
}
