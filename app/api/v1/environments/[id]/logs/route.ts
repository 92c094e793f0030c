import { decodeCursor } from "@/lib/logs/cursor";
import { logEventStream } from "@/lib/logs/log-streams";
import { openLogs } from "@/lib/logs/open-logs";
import { cursorSchema, followLogsQuerySchema } from "@/lib/logs/schemas";
import { eventStreamResponse } from "@/lib/http/sse";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments/:id/logs?component=|pod=&container=&tailLines=|since=&previous= – container logs as server-sent events, followed live
export const GET = withRoute<{ id: string }>({ permission: "environments:read", stream: true }, async ({ request, params, query, stillAllowed }) => {
  const q = query(followLogsQuerySchema);
  const cursor = decodeCursor(lastEventId(request) ?? q.cursor);
  const logs = await openLogs(params.id, q, { follow: q.follow && !q.previous, tailLines: q.tailLines, since: q.since, cursor });
  // The resume point is read while skipping; the stream's own cursor moves on from a copy.
  return eventStreamResponse(logEventStream(logs, structuredClone(cursor ?? {}), request.signal, stillAllowed));
});

// The resume point EventSource sends back by itself, held to the same rule as ?cursor=.
function lastEventId(request: Request): string | null {
  const parsed = cursorSchema.safeParse(request.headers.get("last-event-id") ?? undefined);
  return parsed.success ? (parsed.data ?? null) : null;
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
