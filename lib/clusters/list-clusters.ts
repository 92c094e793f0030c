import "server-only";
import { db } from "@/lib/db/client";
import { clusterSelect, toClusterDto } from "./cluster-dto";

/** Every cluster, the default first. */
export async function listClusters() {
  const clusters = await db.cluster.findMany({ orderBy: [{ isDefault: "desc" }, { name: "asc" }], select: clusterSelect });
  return { items: clusters.map(toClusterDto) };
}

export type ClusterList = Awaited<ReturnType<typeof listClusters>>;
