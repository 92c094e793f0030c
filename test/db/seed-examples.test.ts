import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { EXAMPLE_TEMPLATES } from "@/lib/templates/example-templates";
import { seedExampleTemplates } from "@/lib/templates/seed-example-templates";

// The quick start's examples are made once: starting again (or several processes at once)
// makes no second set, and an admin who deleted them does not get them back.

describe("example templates", () => {
  it("are made once, valid, and not again after an admin deleted them", async () => {
    const names = EXAMPLE_TEMPLATES.map((t) => t.name);
    await db.template.deleteMany({ where: { name: { in: names } } });
    await db.auditEvent.deleteMany({ where: { action: "templates.seed-examples" } });

    const runs = await Promise.all([seedExampleTemplates(), seedExampleTemplates(), seedExampleTemplates()]);
    expect(runs.flat().sort()).toEqual([...names].sort());
    const shop = await db.template.findUniqueOrThrow({ where: { name: "shop" }, include: { components: { orderBy: { name: "asc" } } } });
    expect(shop.components.map((c) => [c.name, c.public])).toEqual([
      ["api", false],
      ["web", true],
      ["worker", false],
    ]);

    await db.template.delete({ where: { name: "shop" } });
    expect(await seedExampleTemplates()).toEqual([]);
    expect(await db.template.count({ where: { name: "shop" } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "templates.seed-examples" } })).toBe(1);
  });
});
