import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { isRecordMissing, isUniqueViolation } from "@/lib/db/prisma-errors";
import { kubeContextProblem } from "@/lib/kube/client";
import { clusterSelect, toClusterDto } from "./cluster-dto";
import type { ClusterInput } from "./schemas";

// Any fixed number: the key of the lock that makes "the default cluster" a one-writer affair.
const DEFAULT_CLUSTER_LOCK = 7_305_001;

/**
 * Creates (no id) or updates a cluster. Making it the default unsets every other default in
 * the same transaction, under an advisory lock, so two admins choosing different defaults at
 * once still leave exactly one.
 */
export async function saveCluster(id: string | null, input: ClusterInput) {
  // A context Corral's kubeconfig lacks would leave every environment placed there stuck.
  const contextProblem = kubeContextProblem(input.kubeContext, input.inCluster);
  if (contextProblem) throw new AppError("invalid_input", "Some fields are not valid.", { kubeContext: [contextProblem] });
  try {
    const cluster = await db.$transaction(
      async (tx) => {
        if (input.isDefault) {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEFAULT_CLUSTER_LOCK}::bigint)`;
          await tx.cluster.updateMany({ where: { isDefault: true, ...(id ? { id: { not: id } } : {}) }, data: { isDefault: false } });
        }
        const data: Prisma.ClusterUncheckedCreateInput = { ...input };
        return id
          ? tx.cluster.update({ where: { id }, data, select: clusterSelect })
          : tx.cluster.create({ data, select: clusterSelect });
      },
      { timeout: 5_000 },
    );
    return toClusterDto(cluster);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", `A cluster named “${input.name}” already exists.`, { name: [`“${input.name}” is taken; choose another name.`] });
    }
    if (isRecordMissing(error)) throw new AppError("not_found", "There is no such cluster.");
    throw error;
  }
}
