import "server-only";
import { saveCluster } from "./save-cluster";
import type { ClusterInput } from "./schemas";

/** Replaces the cluster's settings; environments on it stay where they are. */
export async function updateCluster(id: string, input: ClusterInput) {
  return saveCluster(id, input);
}
