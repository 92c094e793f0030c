import { otherMethods, withRoute } from "@/lib/http/with-route";
import { cancelJob } from "@/lib/jobs/cancel-job";

// POST /api/v1/environments/:id/jobs/:jobId/cancel – stop a queued or running job of the environment
export const POST = withRoute<{ id: string; jobId: string }>(
  { permission: "environments:update", status: 202, audit: { action: "job.cancel", targetType: "job", fields: ["kind"] } },
  async ({ actor, params }) => cancelJob(actor, params.id, params.jobId),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
