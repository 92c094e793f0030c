"use client";
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { followEventStream } from "@/lib/api-client/event-stream";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { EnvironmentChange } from "@/lib/environments/change-feed";

const LISTS = queryKeys.environments.lists;

/**
 * Keeps the environment queries fresh from the server's change feed: every change of one
 * environment (`id`) or of all of them refetches the lists and that environment's detail, and
 * a data copy's progress (a job notice of kind data-copy) refetches its data: no polling.
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
          if (!change) return;
          refresh(queryClient, change.id);
          // A copy's progress and end, and whatever else may have made or removed a store (the
          // end of other jobs, a change of status); not the progress of unrelated work.
          if (!change.job || change.job.kind === "data-copy" || change.job.status !== "running") {
            void queryClient.invalidateQueries({ queryKey: queryKeys.environments.data(change.id) });
          }
        },
        // The server's own feed reconnected: what changed meanwhile was not sent.
        resync: () => refreshAll(queryClient, id),
      },
      // Signed out (here or in another tab) or the role changed: stop, and let the page's next
      // request take the person to sign-in.
      endOn: ["unauthorized"],
      onOpen: ({ after }) => {
        if (after) refreshAll(queryClient, id);
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

/** After a missed stretch: the environment's data may have moved too. */
function refreshAll(queryClient: QueryClient, id: string | undefined) {
  refresh(queryClient, id);
  if (id) void queryClient.invalidateQueries({ queryKey: queryKeys.environments.data(id) });
}

function parseChange(data: unknown): EnvironmentChange | null {
  if (typeof data !== "string") return null;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== "object" || value === null) return null;
    const { id, status, at, job } = value as Record<string, unknown>;
    if (typeof id !== "string" || typeof status !== "string" || typeof at !== "string") return null;
    const { kind, status: jobStatus, id: jobId } = (typeof job === "object" && job !== null ? job : {}) as Record<string, unknown>;
    const notice = typeof jobId === "string" && typeof kind === "string" && typeof jobStatus === "string" ? { id: jobId, kind, status: jobStatus } : undefined;
    return { id, status, at, ...(notice ? { job: notice } : {}) };
  } catch {
    return null;
  }
}
