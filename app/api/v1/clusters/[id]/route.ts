import { updateCluster } from "@/lib/clusters/update-cluster";
import { clusterInputSchema } from "@/lib/clusters/schemas";
import { withRoute } from "@/lib/http/with-route";

// PUT /api/v1/clusters/:id – replace a cluster's settings, or make it the default
export const PUT = withRoute<{ id: string }>(
  { permission: "clusters:manage", audit: { action: "cluster.update", targetType: "cluster", fields: ["name", "isDefault"] } },
  async ({ params, body }) => updateCluster(params.id, await body(clusterInputSchema)),
);
