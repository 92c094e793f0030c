import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { isUniqueViolation } from "@/lib/db/prisma-errors";
import { AppError } from "@/lib/errors";
import { reconcileJob } from "@/lib/jobs/definitions/environment-reconcile";
import { enqueue, getBoss } from "@/lib/jobs/queue";
import { syncUsage } from "@/lib/lifecycle/sync-usage";
import { getLifecycleSettings } from "@/lib/lifecycle/settings";
import { notifyEnvironmentChanged } from "./change-feed";
import { environmentSelect, toEnvironmentDto } from "./environment-dto";
import { parseImage } from "./image-ref";
import type { CreateEnvironmentInput } from "./schemas";

const DEFAULT_TTL_HOURS = 72;

// A component as it is stored (ComponentSpec, in lib/kube/manifests.ts, is what is applied).
type NewComponent = Prisma.ComponentCreateWithoutEnvironmentInput;

/**
 * Records a new environment in status Provisioning and, in the same transaction, the job that
 * will provision it: either both exist or neither. Nothing outside Postgres is touched here.
 */
export async function createEnvironment(actor: Actor, input: CreateEnvironmentInput) {
  const source = input.cloneFrom ? await findSource(input.cloneFrom) : null;
  const template = input.template ? await findTemplate(input.template) : source?.template ? { ...source.template, components: [] } : null;
  const base = source ? source.components.map(asTemplateComponent) : (template?.components ?? []);
  if (source || input.template) checkOverrides(base, input, source ? `The environment “${source.name}”` : `The template “${template!.name}”`);
  else checkExtras(input);
  const components = mergeComponents(base, [...input.components, ...(input.extraComponents ?? [])]);
  if (components.length === 0) {
    throw new AppError("invalid_input", "Some fields are not valid.", { components: ["Add at least one component or choose a template."] });
  }
  const ttlHours = input.ttlHours ?? template?.defaultTtlHours ?? DEFAULT_TTL_HOURS;
  const { maxTtlHours } = await getLifecycleSettings();
  if (input.ttlHours !== undefined && input.ttlHours > maxTtlHours) {
    throw new AppError("invalid_input", "Some fields are not valid.", { ttlHours: [`At most ${maxTtlHours} hours (${formatDays(maxTtlHours)}), the longest an admin allows.`] });
  }
  const cluster = await findCluster(input.cluster);

  // Started before the transaction: the first use of the queue in a process sets it up.
  await getBoss();
  try {
    const env = await db.$transaction(async (tx) => {
      const created = await tx.environment.create({
        data: {
          name: input.name,
          liveName: input.name,
          ownerId: actor.id,
          templateId: template?.id ?? null,
          clusterId: cluster?.id ?? null,
          status: "provisioning",
          expiresAt: new Date(Date.now() + ttlHours * 3_600_000),
          components: { create: components },
          history: {
            create: { toStatus: "provisioning", message: `Requested by ${actor.email}${source ? ` as a clone of ${source.name}` : ""}` },
          },
        },
        // Only its own columns here: see change-environment.ts on relations inside a transaction.
        select: { id: true, status: true },
      });
      await syncUsage(tx, created.id, new Date());
      await enqueue(reconcileJob, { environmentId: created.id }, { tx, cause: actor.email });
      await notifyEnvironmentChanged(tx, { id: created.id, status: created.status });
      return created;
    }, { timeout: 10_000, maxWait: 10_000 });
    return toEnvironmentDto(await db.environment.findUniqueOrThrow({ where: { id: env.id }, select: environmentSelect }), actor);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", `An environment named “${input.name}” already exists.`, {
        name: [`“${input.name}” is taken; choose another name.`],
      });
    }
    throw error;
  }
}

async function findCluster(name: string | undefined) {
  if (!name) return db.cluster.findFirst({ where: { isDefault: true }, select: { id: true } });
  const cluster = await db.cluster.findFirst({ where: { OR: [{ id: name }, { name }] }, select: { id: true } });
  if (!cluster) throw new AppError("invalid_input", "Some fields are not valid.", { cluster: [`There is no cluster “${name}”.`] });
  return cluster;
}

// A clone gets the source's components at exactly the versions it runs now.
async function findSource(nameOrId: string) {
  const source = await db.environment.findFirst({
    where: { OR: [{ id: nameOrId }, { liveName: nameOrId }], status: { not: "destroyed" } },
    include: { components: true, template: true },
  });
  if (!source) throw new AppError("invalid_input", "Some fields are not valid.", { cloneFrom: [`There is no environment “${nameOrId}” to clone.`] });
  return source;
}

function asTemplateComponent(c: { name: string; repository: string; tag: string | null; digest: string | null; replicas: number; port: number | null; env: unknown; resources: unknown; public: boolean; persistent: boolean; startOrder: number | null }) {
  return { ...c, defaultTag: c.tag ?? "", digest: c.digest };
}

async function findTemplate(nameOrId: string) {
  const template = await db.template.findFirst({
    where: { OR: [{ id: nameOrId }, { name: nameOrId }] },
    include: { components: true },
  });
  if (!template) {
    throw new AppError("invalid_input", "Some fields are not valid.", { template: [`There is no template “${nameOrId}”.`] });
  }
  return template;
}

/**
 * A version for a component the template does not have would run a component nobody asked
 * for and leave the intended one at its default, silently: it is refused with the names it
 * could have meant. Running more than the template is the separate `extraComponents`.
 */
function checkOverrides(base: { name: string }[], input: CreateEnvironmentInput, owner: string) {
  const names = new Set(base.map((c) => c.name));
  const list = [...names].sort().join(", ");
  const problems: Record<string, string[]> = {};
  input.components.forEach((c, i) => {
    if (!names.has(c.name)) {
      problems[`components.${i}.name`] = [`${owner} has no component “${c.name}” (it has ${list}). To run another component beside them, add it as an extra component.`];
    }
  });
  (input.extraComponents ?? []).forEach((c, i) => {
    if (names.has(c.name)) problems[`extraComponents.${i}.name`] = [`“${c.name}” is already a component of ${owner.replace(/^The/, "the")}: change its version instead of adding it.`];
  });
  if (Object.keys(problems).length > 0) throw new AppError("invalid_input", "Some fields are not valid.", problems);
}

// Without a template, extra components are simply more components: none may share a name.
function checkExtras(input: CreateEnvironmentInput) {
  const names = new Set(input.components.map((c) => c.name));
  const problems: Record<string, string[]> = {};
  (input.extraComponents ?? []).forEach((c, i) => {
    if (names.has(c.name)) problems[`extraComponents.${i}.name`] = [`Two components are named “${c.name}”.`];
  });
  if (Object.keys(problems).length > 0) throw new AppError("invalid_input", "Some fields are not valid.", problems);
}

// A template's components with the request's components laid over them by name: a
// component of the same name takes the request's image (a version override), others are added.
function mergeComponents(
  fromTemplate: { name: string; repository: string; defaultTag: string; digest?: string | null; replicas: number; port: number | null; env: unknown; resources: unknown; public: boolean; persistent: boolean; startOrder: number | null }[],
  requested: CreateEnvironmentInput["components"],
): NewComponent[] {
  const byName = new Map<string, NewComponent>();
  for (const c of fromTemplate) {
    byName.set(c.name, {
      name: c.name,
      repository: c.repository,
      tag: c.digest ? null : c.defaultTag,
      digest: c.digest ?? null,
      replicas: c.replicas,
      port: c.port,
      env: (c.env ?? {}) as object,
      resources: (c.resources ?? {}) as object,
      public: c.public,
      persistent: c.persistent,
      startOrder: c.startOrder,
    });
  }
  for (const c of requested) {
    const parsed = parseImage(c.image);
    if (!parsed.ok) throw new AppError("invalid_input", parsed.message); // schemas already refused it
    const base = byName.get(c.name);
    byName.set(c.name, {
      name: c.name,
      ...parsed.image,
      replicas: c.replicas ?? base?.replicas ?? 1,
      port: c.port ?? base?.port ?? null,
      env: base?.env ?? {},
      resources: base?.resources ?? {},
      public: base?.public ?? false,
      persistent: base?.persistent ?? false,
      startOrder: base?.startOrder ?? null,
    });
  }
  return [...byName.values()];
}

function formatDays(hours: number): string {
  return hours % 24 === 0 ? `${hours / 24} days` : `${(hours / 24).toFixed(1)} days`;
}
