import { notFound } from "next/navigation";
import { TemplateAdmin } from "@/components/templates/template-admin";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Templates · Corral" };

export default async function TemplatesPage() {
  const user = await getCurrentUser();
  if (!user || !can(user.role, "templates:manage")) notFound();
  return <TemplateAdmin />;
}
