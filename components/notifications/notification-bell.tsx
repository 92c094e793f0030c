"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { listNotifications } from "@/lib/lifecycle/notifications";
import { RelativeTime } from "@/components/ui/relative-time";

type NotificationList = Awaited<ReturnType<typeof listNotifications>>;

/** What Corral told this person about their environments (expiring, expired, asleep), with the unread count. */
export function NotificationBell() {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: queryKeys.notifications,
    queryFn: () => apiFetch<NotificationList>("/api/v1/notifications"),
    refetchInterval: 60_000,
  });
  const read = useMutation({
    mutationFn: () => apiFetch<{ marked: number }>("/api/v1/notifications/read", { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.notifications }),
  });
  const unread = list.data?.unread ?? 0;
  return (
    <div className="notifications">
      <button
        type="button"
        className="button link"
        aria-expanded={open}
        aria-controls={listId}
        data-testid="notifications"
        onClick={() => {
          setOpen(!open);
          if (!open && unread > 0) read.mutate();
        }}
      >
        Notices{unread > 0 ? <span className="count" aria-label={`${unread} unread`}>{unread}</span> : null}
      </button>
      {open ? (
        <ul id={listId}>
          {(list.data?.items ?? []).length === 0 ? <li className="muted">Nothing yet: warnings about your environments show here.</li> : null}
          {(list.data?.items ?? []).map((n) => (
            <li key={n.id} className={n.readAt ? undefined : "unread"}>
              <Link href={`/environments/${n.environment.id}`} onClick={() => setOpen(false)}>
                {n.environment.name}
              </Link>{" "}
              <span className="muted">
                <RelativeTime iso={n.createdAt} />
              </span>
              <div>{n.message.replace(/\s+https?:\/\/\S+$/, "")}</div>
              {n.webhookState === "failed" ? <div className="muted">Not delivered to the chat webhook: {n.webhookError}</div> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
