import "server-only";
import { db } from "@/lib/db/client";
import { EXAMPLE_TEMPLATES } from "./example-templates";
import { templateFields } from "./create-template";
import { templateInputSchema } from "./schemas";

const SEEDED = "templates.seed-examples";

/**
 * The quick start's example templates, made once: never again after an admin deleted them
 * (the audit entry of the first seeding says it happened), never over a template of the same
 * name. Idempotent, so several processes starting at once make them once.
 */
export async function seedExampleTemplates(): Promise<string[]> {
  const inputs = EXAMPLE_TEMPLATES.map((t) => templateInputSchema.parse(t));
  const made = await db.$transaction(
    async (tx) => {
      // One seeder at a time; the audit entry is the memory that it was done.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(72707370)`;
      if ((await tx.auditEvent.count({ where: { action: SEEDED } })) > 0) return null;
      const names: string[] = [];
      for (const input of inputs) {
        if (await tx.template.findUnique({ where: { name: input.name }, select: { id: true } })) continue;
        await tx.template.create({ data: { ...templateFields(input), components: { create: input.components } } });
        names.push(input.name);
      }
      // In the same transaction as the templates: either both exist or neither.
      await tx.auditEvent.create({
        data: { actorId: null, via: "system", action: SEEDED, targetType: "template", outcome: "ok", details: { templates: names, cause: "quick start" } },
      });
      return names;
    },
    { timeout: 10_000 },
  );
  return made ?? [];
}
