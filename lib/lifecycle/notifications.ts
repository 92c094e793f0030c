import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";

/** What Corral told this person about their environments, newest first (the last 50), and how many are unread. */
export async function listNotifications(actor: Actor) {
  const [items, unread] = await Promise.all([
    db.notification.findMany({
      where: { userId: actor.id },
      orderBy: { createdAt: "desc" },
      take: 50,
      select: { id: true, kind: true, message: true, createdAt: true, readAt: true, webhookState: true, webhookError: true, environment: { select: { id: true, name: true } } },
    }),
    db.notification.count({ where: { userId: actor.id, readAt: null } }),
  ]);
  return {
    unread,
    items: items.map((n) => ({ ...n, createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null })),
  };
}

export async function markNotificationsRead(actor: Actor) {
  const { count } = await db.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: new Date() } });
  return { marked: count };
}
