import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { isRecordMissing } from "@/lib/db/prisma-errors";

/**
 * Deletes a template and its components. Environments made from it live on: they hold
 * their own copies of the components, and lose only the link to the template.
 */
export async function deleteTemplate(id: string) {
  try {
    return await db.template.delete({ where: { id }, select: { id: true, name: true } });
  } catch (error) {
    if (isRecordMissing(error)) throw new AppError("not_found", "There is no such template.");
    throw error;
  }
}
