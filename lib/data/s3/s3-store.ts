import { DataProblem } from "../data-problem";
import type { S3Location } from "../types";
import { emptyS3Prefix } from "./empty-s3-prefix";

// An environment's S3 store is a prefix in a bucket Corral administers: it needs no creating (S3
// has no folders), and dropping it empties the prefix. Both take the admin location and a prefix.

export function createS3Store(admin: S3Location, o: { prefix: string }): S3Location {
  return { ...admin, prefix: storePrefix(admin, o.prefix) };
}

/** Empties the store's prefix; dropping one already gone does nothing. */
export async function dropS3Store(admin: S3Location, o: { prefix: string }, signal?: AbortSignal): Promise<void> {
  await emptyS3Prefix(createS3Store(admin, o), signal);
}

function storePrefix(admin: S3Location, prefix: string): string {
  const p = prefix.endsWith("/") ? prefix : `${prefix}/`;
  // An empty or root prefix would make dropping a store empty the whole bucket.
  if (p === "/" || p.startsWith("/") || p.split("/").some((s, i, all) => (s === "" && i < all.length - 1) || s === "." || s === "..")) {
    throw new DataProblem("invalid", `"${prefix}" is not a usable store prefix: it needs at least one name, without empty, "." or ".." parts.`);
  }
  return admin.prefix + p;
}
