"use client";
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { followEventStream } from "@/lib/api-client/event-stream";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { EnvironmentChange } from "@/lib/environments/change-feed";

const LISTS = queryKeys.environments.lists;

/**
 * Keeps the environment queries fresh from the server's change feed: every change of one
 * environment (`id`) or of all of them refetches the lists and that environment's detail.
 */
export function useEnvironmentChanges(id?: string) {
  const queryClient = useQueryClient();

  useEffect(() => {
    const url = `/api/v1/environments/changes${id ? `?id=${encodeURIComponent(id)}` : ""}`;
    return followEventStream({
      url: () => url,
      on: {
        change: (event) => {
          const change = parseChange(event.data);
          if (change) refresh(queryClient, change.id);
        },
        // The server's own feed reconnected: what changed meanwhile was not sent.
        resync: () => refresh(queryClient, id),
      },
      // Signed out (here or in another tab) or the role changed: stop, and let the page's next
      // request take the person to sign-in.
      endOn: ["unauthorized"],
      onOpen: ({ after }) => {
        if (after) refresh(queryClient, id);
      },
    });
  }, [id, queryClient]);
}

// One environment changed: its detail and the lists. With no id (a missed stretch on the
// list page) every environment query may be stale; react-query refetches only those shown.
function refresh(queryClient: QueryClient, id: string | undefined) {
  if (!id) {
    void queryClient.invalidateQueries({ queryKey: queryKeys.environments.all });
    return;
  }
  void queryClient.invalidateQueries({ queryKey: LISTS });
  void queryClient.invalidateQueries({ queryKey: queryKeys.environments.detail(id) });
}

function parseChange(data: unknown): EnvironmentChange | null {
  if (typeof data !== "string") return null;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== "object" || value === null) return null;
    const { id, status, at } = value as Record<string, unknown>;
    return typeof id === "string" && typeof status === "string" && typeof at === "string" ? { id, status, at } : null;
  } catch {
    return null;
  }
}
