import type { ImageRef } from "./image-ref";

/** The update that pins a component to `next`, keeping what it ran for a rollback. */
export function pinImage(current: ImageRef & { repository: string }, next: ImageRef) {
  return {
    repository: next.repository,
    tag: next.tag,
    digest: next.digest,
    previousRepository: current.repository,
    previousTag: current.tag,
    previousDigest: current.digest,
  };
}
