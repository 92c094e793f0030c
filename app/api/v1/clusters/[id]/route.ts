import { deleteCluster } from "@/lib/clusters/delete-cluster";
import { updateCluster } from "@/lib/clusters/update-cluster";
import { clusterInputSchema } from "@/lib/clusters/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// PUT /api/v1/clusters/:id – replace a cluster's settings, or make it the default
export const PUT = withRoute<{ id: string }>(
  { permission: "clusters:manage", audit: { action: "cluster.update", targetType: "cluster", fields: ["name", "isDefault"] } },
  async ({ params, body }) => updateCluster(params.id, await body(clusterInputSchema)),
);

// DELETE /api/v1/clusters/:id – remove a cluster that holds no live environment
export const DELETE = withRoute<{ id: string }>(
  { permission: "clusters:manage", audit: { action: "cluster.delete", targetType: "cluster", fields: ["name"] } },
  async ({ params }) => deleteCluster(params.id),
);

export const { GET, POST, PATCH } = otherMethods("PUT", "DELETE");
