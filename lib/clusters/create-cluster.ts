import "server-only";
import { saveCluster } from "./save-cluster";
import type { ClusterInput } from "./schemas";

export async function createCluster(input: ClusterInput) {
  return saveCluster(null, input);
}
