import { listKubeEvents } from "@/lib/environments/list-kube-events";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments/:id/kube-events – the latest Kubernetes events in its namespace
export const GET = withRoute<{ id: string }>({ permission: "environments:read" }, async ({ params }) => listKubeEvents(params.id));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
