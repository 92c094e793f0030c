import "server-only";
import { db } from "@/lib/db/client";
import { isForeignKeyViolation } from "@/lib/db/prisma-errors";
import { AppError } from "@/lib/errors";

/**
 * Removes a cluster that holds no live environment. Destroyed environments keep their
 * history but no longer point at it. An environment placed there meanwhile makes the delete
 * fail on the foreign key, and the answer is the same 409.
 */
export async function deleteCluster(id: string) {
  try {
    return await db.$transaction(
      async (tx) => {
        const cluster = await tx.cluster.findUnique({ where: { id }, select: { id: true, name: true } });
        if (!cluster) throw new AppError("not_found", "There is no such cluster.");
        const live = await tx.environment.count({ where: { clusterId: id, status: { not: "destroyed" } } });
        if (live > 0) throw stillUsed(cluster.name, live);
        await tx.environment.updateMany({ where: { clusterId: id, status: "destroyed" }, data: { clusterId: null } });
        await tx.cluster.delete({ where: { id } });
        return cluster;
      },
      { timeout: 5_000 },
    );
  } catch (error) {
    if (isForeignKeyViolation(error)) throw stillUsed("This cluster", null);
    throw error;
  }
}

function stillUsed(name: string, count: number | null) {
  const what = count === null ? "live environments" : `${count} live environment${count === 1 ? "" : "s"}`;
  return new AppError("conflict", `${name} still holds ${what}. Destroy them first; then remove the cluster.`);
}
