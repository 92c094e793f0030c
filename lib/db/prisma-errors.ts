// Prisma error codes the services turn into AppErrors.

/** A unique index refused the row (P2002): a duplicate name. */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002";
}

/** The row to update or delete is not there (P2025). */
export function isRecordMissing(error: unknown): boolean {
  return prismaCode(error) === "P2025";
}

/** A foreign key refused the change (P2003): something still points at the row. */
export function isForeignKeyViolation(error: unknown): boolean {
  return prismaCode(error) === "P2003";
}

function prismaCode(error: unknown): unknown {
  return typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
}
