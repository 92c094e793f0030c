import { notFound } from "next/navigation";
import { LifecycleSettings } from "@/components/settings/lifecycle-settings-form";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Settings · Corral" };

export default async function SettingsPage() {
  const user = await getCurrentUser();
  if (!user || !can(user.role, "settings:manage")) notFound();
  return <LifecycleSettings />;
}
