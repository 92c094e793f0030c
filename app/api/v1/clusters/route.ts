import { createCluster } from "@/lib/clusters/create-cluster";
import { listClusters } from "@/lib/clusters/list-clusters";
import { clusterInputSchema } from "@/lib/clusters/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/clusters – every cluster Corral may place environments on, the default first
export const GET = withRoute({ permission: "clusters:manage" }, async () => listClusters());

// POST /api/v1/clusters – add a cluster; as the default, it replaces the previous one
export const POST = withRoute(
  { permission: "clusters:manage", status: 201, audit: { action: "cluster.create", targetType: "cluster", fields: ["name", "isDefault"] } },
  async ({ body }) => createCluster(await body(clusterInputSchema)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
