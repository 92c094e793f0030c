import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { read } from "@/lib/db/read-pool";
import { type EnvironmentRow, toEnvironmentDto } from "./environment-dto";
import { cachedListPage } from "./list-cache";
import type { ListEnvironmentsQuery } from "./schemas";

// What the statement returns: the DTO's row, with whether a clean-up step failed.
interface PageRow extends Omit<EnvironmentRow, "cleanupSteps"> {
  cleanupFailed: boolean;
}

/**
 * Newest first, a page at a time; the cursor is the id of the last row of the previous page.
 * The page and everything shown with it (owner, template, cluster, components) come from one
 * prepared SQL statement that Postgres assembles as JSON: through Prisma's relation loading
 * the same page took six queries and some 6 ms of this process's time, and the list is the
 * portal's busiest read (bench/api.ts).
 */
export async function listEnvironments(actor: Actor, query: ListEnvironmentsQuery) {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  // Destroyed environments are history: shown only when asked for by status.
  const conditions = [query.status ? `e."status"::text = ANY(${param(query.status)}::text[])` : `e."status" <> 'destroyed'`];
  if (query.owner) conditions.push(`o."email" = ${param(query.owner === "me" ? actor.email : query.owner)}`);
  if (query.q) conditions.push(`e."name" LIKE ${param(`%${escapeLike(query.q.toLowerCase())}%`)} ESCAPE '\\'`);
  if (query.cursor) conditions.push(`(e."createdAt", e."id") < (SELECT c."createdAt", c."id" FROM "Environment" c WHERE c."id" = ${param(query.cursor)})`);
  const limit = param(query.limit + 1);
  const rows = await read<PageRow>(
    `SELECT e."id", e."name", e."status", e."statusReason", e."lifecycle", e."power", e."expiresAt", e."pinnedBy", e."lastActivityAt", e."lastActivityKind", e."asleepSince",
            e."createdAt", e."updatedAt", e."destroyedAt",
            json_build_object('id', o."id", 'email', o."email", 'name', o."name") AS "owner",
            CASE WHEN t."id" IS NULL THEN NULL ELSE json_build_object('id', t."id", 'name', t."name") END AS "template",
            CASE WHEN cl."id" IS NULL THEN NULL ELSE json_build_object('id', cl."id", 'name', cl."name", 'urlScheme', cl."urlScheme", 'urlPort', cl."urlPort") END AS "cluster",
            COALESCE((
              SELECT json_agg(json_build_object('id', h."id", 'fqdn', h."fqdn", 'componentName', h."componentName", 'status', h."status", 'reason', h."reason", 'custom', h."custom")
                              ORDER BY length(h."fqdn"), h."fqdn")
              FROM "Hostname" h WHERE h."environmentId" = e."id" AND h."status" <> 'deleting'), '[]'::json) AS "hostnames",
            COALESCE((
              SELECT json_agg(json_build_object('id', k."id", 'name', k."name", 'repository', k."repository", 'tag', k."tag", 'digest', k."digest",
                                                'replicas', k."replicas", 'port', k."port", 'public', k."public", 'persistent', k."persistent", 'previousRepository', k."previousRepository")
                              ORDER BY k."name")
              FROM "Component" k WHERE k."environmentId" = e."id"), '[]'::json) AS "components",
            EXISTS (SELECT 1 FROM "CleanupStep" s WHERE s."environmentId" = e."id" AND s."status" = 'failed') AS "cleanupFailed"
     FROM "Environment" e
     JOIN "User" o ON o."id" = e."ownerId"
     LEFT JOIN "Template" t ON t."id" = e."templateId"
     LEFT JOIN "Cluster" cl ON cl."id" = e."clusterId"
     WHERE ${conditions.join(" AND ")}
     ORDER BY e."createdAt" DESC, e."id" DESC
     LIMIT ${limit}`,
    values,
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => toEnvironmentDto({ ...row, cleanupSteps: row.cleanupFailed ? [{ status: "failed" }] : [] }, actor)),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * The page as the API's JSON body, as this viewer sees it, from the list cache when nothing
 * changed since it was made.
 */
export async function listEnvironmentsJson(actor: Actor, query: ListEnvironmentsQuery): Promise<string> {
  const key = JSON.stringify([actor.id, actor.role, actor.scopes, query]);
  return cachedListPage(key, async () => JSON.stringify(await listEnvironments(actor, query)));
}

/** A search text as a LIKE pattern's literal part (with `ESCAPE '\\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type EnvironmentPage = Awaited<ReturnType<typeof listEnvironments>>;
