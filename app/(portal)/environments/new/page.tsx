import { CreateEnvironmentForm } from "@/components/environments/create-environment-form";
import { getCurrentUser } from "@/lib/auth/current-user";
import { getEnvironmentOrThrow } from "@/lib/environments/get-environment-or-throw";

export const metadata = { title: "New environment · Corral" };

export default async function NewEnvironmentPage({ searchParams }: { searchParams: Promise<{ cloneFrom?: string }> }) {
  const { cloneFrom } = await searchParams;
  const user = await getCurrentUser();
  const source = cloneFrom && user ? await getEnvironmentOrThrow(cloneFrom, { ...user, via: "session", scopes: null }).catch(() => null) : null;
  return (
    <CreateEnvironmentForm
      cloneFrom={source && source.status !== "destroyed" ? { id: source.id, name: source.name, images: source.components.map((c) => `${c.name} ${c.image}`) } : undefined}
    />
  );
}
