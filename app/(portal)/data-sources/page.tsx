import { notFound } from "next/navigation";
import { DataSourceAdmin } from "@/components/data-sources/data-source-admin";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Data sources · Corral" };

export default async function DataSourcesPage() {
  const user = await getCurrentUser();
  if (!user || !can(user.role, "data-sources:manage")) notFound();
  return <DataSourceAdmin />;
}
