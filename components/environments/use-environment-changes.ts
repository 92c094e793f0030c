"use client";
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { EnvironmentChange } from "@/lib/environments/change-feed";

const LISTS = queryKeys.environments.lists;
// EventSource retries by itself after a dropped connection, but gives up for good on an
// HTTP error or a response that is not an event stream (a proxy's 502 during a deploy).
const REOPEN_BASE_MS = 1_000;
const REOPEN_MAX_MS = 30_000;

/**
 * Keeps the environment queries fresh from the server's change feed: every change of one
 * environment (`id`) or of all of them refetches the lists and that environment's detail.
 */
export function useEnvironmentChanges(id?: string) {
  const queryClient = useQueryClient();

  useEffect(() => {
    const url = `/api/v1/environments/changes${id ? `?id=${encodeURIComponent(id)}` : ""}`;
    let source: EventSource | null = null;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let interrupted = false;
    let unauthorized = false;

    const open = () => {
      const current = new EventSource(url);
      source = current;
      current.addEventListener("change", (event) => {
        const change = parseChange(event.data);
        if (change) refresh(queryClient, change.id);
      });
      // The server's own feed reconnected: what changed meanwhile was not sent.
      current.addEventListener("resync", () => refresh(queryClient, id));
      // Signed out (here or in another tab) or the role changed: stop, and let the page's next
      // request take the person to sign-in.
      current.addEventListener("unauthorized", () => {
        unauthorized = true;
        current.close();
        clearTimeout(reopen);
      });
      current.addEventListener("open", () => {
        failures = 0;
        if (interrupted) refresh(queryClient, id);
        interrupted = false;
      });
      current.addEventListener("error", () => {
        if (unauthorized) return;
        interrupted = true;
        if (current.readyState !== EventSource.CLOSED) return;
        current.close();
        reopen = setTimeout(open, Math.min(REOPEN_MAX_MS, REOPEN_BASE_MS * 2 ** failures++));
      });
    };

    open();
    return () => {
      clearTimeout(reopen);
      source?.close();
    };
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
