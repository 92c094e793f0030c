import { createHash } from "node:crypto";
import type { StoreKind } from "./types";

// What an environment's store is called on its host. Names are derived from the environment's
// name (people find `corral_qa_42` in their MySQL client) plus a short hash of its id, so that
// a name reused after a destroy never meets a store a failed clean-up left behind.

export interface StoreNames {
  /** MySQL database, Redis key prefix, or S3 object prefix. */
  name: string;
  /** MySQL user or Redis ACL user; none for S3. */
  username: string | null;
}

const MYSQL_MAX = 64; // identifier length limit
const MYSQL_USER_MAX = 32; // MySQL 5.7/8's user-name limit (MariaDB allows 80)

export function storeNames(kind: StoreKind, environment: { id: string; name: string }, hostPrefix = ""): StoreNames {
  const tag = createHash("sha256").update(environment.id).digest("hex").slice(0, 6);
  const base = environment.name.replace(/-/g, "_");
  switch (kind) {
    case "mysql":
      return { name: `corral_${base}`.slice(0, MYSQL_MAX - 7) + `_${tag}`, username: `c_${base}`.slice(0, MYSQL_USER_MAX - 7) + `_${tag}` };
    case "redis":
      return { name: `${hostPrefix}corral:${environment.name}:${tag}:`, username: `corral-${environment.name}-${tag}` };
    case "s3":
      return { name: `${hostPrefix}corral/${environment.name}-${tag}/`, username: null };
  }
}
