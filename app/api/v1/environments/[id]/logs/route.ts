import { decodeCursor } from "@/lib/logs/cursor";
import { logEventStream } from "@/lib/logs/log-streams";
import { openLogs } from "@/lib/logs/open-logs";
import { followLogsQuerySchema } from "@/lib/logs/schemas";
import { withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments/:id/logs?component=|pod=&container=&tailLines=&previous= – container logs as server-sent events, followed live
export const GET = withRoute<{ id: string }>({ permission: "environments:read" }, async ({ request, params, query, stillAllowed }) => {
  const q = query(followLogsQuerySchema);
  const cursor = decodeCursor(request.headers.get("last-event-id") ?? q.cursor);
  const logs = await openLogs(params.id, q, { follow: q.follow && !q.previous, tailLines: q.tailLines, cursor });
  // The resume point is read while skipping; the stream's own cursor moves on from a copy.
  return new Response(logEventStream(logs, structuredClone(cursor ?? {}), request.signal, stillAllowed), {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
});
