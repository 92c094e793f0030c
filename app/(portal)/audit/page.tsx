import { notFound } from "next/navigation";
import { AuditLog } from "@/components/audit/audit-log";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Audit log · Corral" };

export default async function AuditPage() {
  const user = await getCurrentUser();
  if (!user || !can(user.role, "audit:read")) notFound();
  return <AuditLog />;
}
