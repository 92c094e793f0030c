import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import type { MaskingRules } from "./masking/schemas";

/** Replaces a data source's masking rules; rules for the other kind's store are refused by field. */
export async function saveMaskingRules(id: string, rules: MaskingRules) {
  const source = await db.dataSource.findUnique({ where: { id }, select: { id: true, name: true, kind: true } });
  if (!source) throw new AppError("not_found", "There is no such data source.");
  if (source.kind !== "mysql" && rules.columns.length > 0) throw new AppError("invalid_input", "Some fields are not valid.", { columns: [`${source.name} is not a MySQL source: column rules do not apply to it.`] });
  if (source.kind !== "redis" && rules.redis.length > 0) throw new AppError("invalid_input", "Some fields are not valid.", { redis: [`${source.name} is not a Redis source: key rules do not apply to it.`] });
  await db.dataSource.update({ where: { id }, data: { maskingRules: rules as unknown as Prisma.InputJsonValue } });
  return { id: source.id, name: source.name, maskingRules: rules };
}
