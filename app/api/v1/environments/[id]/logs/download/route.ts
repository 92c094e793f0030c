import { logTextStream } from "@/lib/logs/log-streams";
import { openLogs } from "@/lib/logs/open-logs";
import { downloadLogsQuerySchema } from "@/lib/logs/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments/:id/logs/download?component=|pod=&since=&until=&previous=&raw= – logs of a time range as a text file
export const GET = withRoute<{ id: string }>({ permission: "environments:read" }, async ({ request, params, query }) => {
  const q = query(downloadLogsQuerySchema);
  const logs = await openLogs(params.id, q, { follow: false, since: q.since, ...(q.since ? {} : { tailLines: 100_000 }) });
  const what = q.pod ?? q.component ?? "environment";
  return new Response(logTextStream(logs, q.until, request.signal, q.raw), {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="${what}${q.previous ? "-previous" : ""}.log"`,
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
