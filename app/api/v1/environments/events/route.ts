import { z } from "zod";
import { subscribeEnvironmentChanges } from "@/lib/environments/change-feed";
import { watchAuthorization } from "@/lib/http/watch-authorization";
import { otherMethods, withRoute } from "@/lib/http/with-route";

const querySchema = z.object({
  id: z.string().min(1, { error: "Name an environment id, or leave id out." }).max(64, { error: "An environment id is at most 64 characters." }).optional(),
});

// Proxies and load balancers drop a connection that stays silent for long.
const KEEP_ALIVE_MS = 15_000;

// GET /api/v1/environments/events?id=… – server-sent events: one per change of an environment (all, or the one named)
export const GET = withRoute({ permission: "environments:read", stream: true }, async ({ request, query, stillAllowed }) => {
  const { id } = query(querySchema);
  return new Response(changeStream(request.signal, id, stillAllowed), {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
});

// `: connected` once changes are heard; `event: resync` when the server's feed reconnected
// and changes may have been missed, so the page refetches.
function changeStream(signal: AbortSignal, id: string | undefined, stillAllowed: () => Promise<boolean>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let connected = false;
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop(); // the stream is already closed
        }
      };
      const unsubscribe = subscribeEnvironmentChanges(
        (change) => {
          if (!id || change.id === id) send(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
        },
        {
          onListening: ({ gap }) => {
            if (!connected) send(": connected\n\n");
            if (gap) send("event: resync\ndata: {}\n\n");
            connected = true;
          },
        },
      );
      const timer = setInterval(() => send(": keep-alive\n\n"), KEEP_ALIVE_MS);
      const onAbort = () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed or cancelled
        }
      };
      // Signed out or revoked meanwhile: say so and end, so the browser does not reconnect.
      const stopAuthorization = watchAuthorization(stillAllowed, () => {
        send("event: unauthorized\ndata: {}\n\n");
        onAbort();
      });
      stop = () => {
        clearInterval(timer);
        stopAuthorization();
        unsubscribe();
        signal.removeEventListener("abort", onAbort);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    },
    cancel() {
      stop();
    },
  });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
