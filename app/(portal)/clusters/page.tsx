import { notFound } from "next/navigation";
import { ClusterAdmin } from "@/components/clusters/cluster-admin";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Clusters · Corral" };

export default async function ClustersPage() {
  const user = await getCurrentUser();
  if (!user || !can(user.role, "clusters:manage")) notFound();
  return <ClusterAdmin />;
}
