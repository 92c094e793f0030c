import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { nameTaken, templateFields } from "./create-template";
import { isRecordMissing, isUniqueViolation } from "@/lib/db/prisma-errors";
import type { TemplateInput } from "./schemas";
import { templateSelect, toTemplateDto } from "./template-dto";

/**
 * Replaces the template, components included. Environments already made from it keep
 * the components they were made with: they hold copies, not references.
 */
export async function updateTemplate(id: string, input: TemplateInput) {
  try {
    const template = await db.$transaction(
      async (tx) => {
        await tx.template.update({ where: { id }, data: templateFields(input), select: { id: true } });
        await tx.templateComponent.deleteMany({ where: { templateId: id } });
        await tx.templateComponent.createMany({ data: input.components.map((c) => ({ ...c, templateId: id })) });
        return tx.template.findUniqueOrThrow({ where: { id }, select: templateSelect });
      },
      { timeout: 5_000 },
    );
    return toTemplateDto(template);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    if (isRecordMissing(error)) throw new AppError("not_found", "There is no such template.");
    throw error;
  }
}
