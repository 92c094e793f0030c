import { subscribeEnvironmentChanges } from "@/lib/environments/change-feed";
import { environmentChangesQuerySchema } from "@/lib/environments/schemas";
import { eventStream, eventStreamResponse } from "@/lib/http/sse";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments/changes?id=… – server-sent events: one per change of an environment (all, or the one named)
export const GET = withRoute({ permission: "environments:read", stream: true }, async ({ request, query, stillAllowed }) => {
  const { id } = query(environmentChangesQuerySchema);
  return eventStreamResponse(changeStream(request.signal, id, stillAllowed));
});

// `: connected` once changes are heard; `event: resync` when the server's feed reconnected
// and changes may have been missed, so the page refetches; `event: unauthorized` and the end
// when the reader was signed out, so the browser does not reconnect.
function changeStream(signal: AbortSignal, id: string | undefined, stillAllowed: () => Promise<boolean>): ReadableStream<Uint8Array> {
  return eventStream(signal, stillAllowed, {
    unauthorized: { event: "unauthorized", data: {} },
    start(channel) {
      let connected = false;
      return subscribeEnvironmentChanges(
        (change) => {
          if (!id || change.id === id) channel.send({ event: "change", data: change });
        },
        {
          onListening: ({ gap }) => {
            if (!connected) channel.send({ comment: "connected" });
            if (gap) channel.send({ event: "resync", data: {} });
            connected = true;
          },
        },
      );
    },
  });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
