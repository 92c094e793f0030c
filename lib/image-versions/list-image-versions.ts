import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { config } from "@/lib/config";
import { registryGateway } from "@/lib/registry/registry-gateway";
import { DOCKER_HUB, parseRepository } from "@/lib/registry/repository-ref";
import { RegistryProblem } from "@/lib/registry/registry-problem";
import { sortTagsNewestFirst } from "@/lib/registry/sort-tags";
import type { ImageVersion, ImageVersions, RegistryStatus } from "./schemas";

// Environments named per version: enough for "running in pr-12, pr-15 and 3 more".
const ENVIRONMENTS_SHOWN = 5;

/**
 * The versions of one image repository a person may pick, newest first: the templates'
 * defaults, what live environments run and the registry's tags, each with where it was seen.
 * One query for the templates, one for the environments, and the registry (cached) beside
 * them; when the registry cannot be asked, the rest still answers, with the reason.
 */
export async function listImageVersions(repository: string): Promise<ImageVersions> {
  const [defaults, running, registry] = await Promise.all([templateDefaults(repository), liveEnvironments(repository), registryTags(repository)]);
  const versions = new Map<string, ImageVersion>();
  const at = (tag: string) => {
    let v = versions.get(tag);
    if (!v) versions.set(tag, (v = { tag, sources: [], templates: [], environments: [], environmentCount: 0 }));
    return v;
  };
  for (const row of defaults) at(row.tag).templates.push(row.template);
  for (const row of running) {
    const v = at(row.tag);
    v.environments.push(row.environment);
    v.environmentCount = Number(row.total);
  }
  // `latest` is not a pinned version: Corral refuses to run it, so it is not offered.
  for (const tag of registry.tags) if (tag !== "latest") at(tag);
  const inRegistry = new Set(registry.tags);
  const ordered = sortTagsNewestFirst(versions.keys()).map((tag) => {
    const v = versions.get(tag)!;
    if (v.templates.length > 0) v.sources.push("template");
    if (v.environmentCount > 0) v.sources.push("environment");
    if (inRegistry.has(tag)) v.sources.push("registry");
    return v;
  });
  return { repository, versions: ordered, registry: registry.status };
}

function templateDefaults(repository: string) {
  return db.$queryRaw<{ tag: string; template: string }[]>`
    SELECT DISTINCT tc."defaultTag" AS tag, t.name AS template
    FROM "TemplateComponent" tc JOIN "Template" t ON t.id = tc."templateId"
    WHERE tc.repository = ${repository}
    ORDER BY t.name`;
}

// Each environment once per tag (two components may run the same image), the newest few named.
function liveEnvironments(repository: string) {
  return db.$queryRaw<{ tag: string; environment: string; total: bigint }[]>`
    SELECT tag, name AS environment, total FROM (
      SELECT tag, name, count(*) OVER (PARTITION BY tag) AS total,
             row_number() OVER (PARTITION BY tag ORDER BY created DESC, id) AS n
      FROM (
        SELECT DISTINCT c.tag, e.id, e.name, e."createdAt" AS created
        FROM "Component" c JOIN "Environment" e ON e.id = c."environmentId"
        WHERE c.repository = ${repository} AND c.tag IS NOT NULL AND e.lifecycle <> 'destroyed'
      ) running
    ) ranked
    WHERE n <= ${ENVIRONMENTS_SHOWN}
    ORDER BY tag, n`;
}

/**
 * Whether Corral may ask this repository's registry: one an admin configured, Docker Hub, or
 * one an admin's template uses. Anyone may name any repository here, and a server that
 * fetched whatever host it was given would scan the networks it can reach for them.
 */
async function mayAsk(repository: string): Promise<boolean> {
  const { host } = parseRepository(repository);
  if (host === DOCKER_HUB || host in config().CORRAL_REGISTRIES) return true;
  const used = await db.$queryRaw<{ used: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "TemplateComponent" WHERE lower(split_part(repository, '/', 1)) = ${host}) AS used`;
  return used[0]?.used === true;
}

async function registryTags(repository: string): Promise<{ tags: string[]; status: RegistryStatus }> {
  if (!(await mayAsk(repository))) {
    const { host } = parseRepository(repository);
    return { tags: [], status: { status: "not-asked", message: `Corral asks only registries an admin set up or a template uses; ${host} is neither.` } };
  }
  try {
    return { tags: await registryGateway().listTags(repository), status: { status: "ok" } };
  } catch (error) {
    if (error instanceof RegistryProblem) return { tags: [], status: { status: error.kind, message: error.message } };
    log.error({ err: error, repository }, "registry tags could not be listed");
    return { tags: [], status: { status: "unreachable", message: "the registry could not be asked" } };
  }
}
