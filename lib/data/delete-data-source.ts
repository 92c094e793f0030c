import "server-only";
import { db } from "@/lib/db/client";
import { isForeignKeyViolation } from "@/lib/db/prisma-errors";
import { AppError } from "@/lib/errors";

/**
 * Removes a data source that no environment's store lives on and no copy came from (copies keep
 * naming their source in their history; a source with copies is kept).
 */
export async function deleteDataSource(id: string) {
  try {
    return await db.$transaction(
      async (tx) => {
        const source = await tx.dataSource.findUnique({ where: { id }, select: { id: true, name: true, kind: true, _count: { select: { stores: true, dataCopies: true } } } });
        if (!source) throw new AppError("not_found", "There is no such data source.");
        if (source._count.stores > 0) throw new AppError("conflict", `${source.name} holds ${source._count.stores} environment store${source._count.stores === 1 ? "" : "s"}. Destroy those environments first.`);
        if (source._count.dataCopies > 0) throw new AppError("conflict", `${source.name} was copied from ${source._count.dataCopies} time${source._count.dataCopies === 1 ? "" : "s"}; those copies' history names it, so it stays.`);
        await tx.dataSource.delete({ where: { id } });
        return { id: source.id, name: source.name, kind: source.kind };
      },
      { timeout: 5_000 },
    );
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new AppError("conflict", "This data source is in use by a store or a copy.");
    throw error;
  }
}
