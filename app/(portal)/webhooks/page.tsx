import { notFound } from "next/navigation";
import { WebhookAdmin } from "@/components/webhooks/webhook-admin";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Webhooks · Corral" };

export default async function WebhooksPage() {
  const user = await getCurrentUser();
  if (!user || !can(user.role, "webhooks:manage-installation")) notFound();
  return <WebhookAdmin />;
}
