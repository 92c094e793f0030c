import { CreateEnvironmentForm } from "@/components/environments/create-environment-form";
import { getCurrentUser } from "@/lib/auth/current-user";
import { getEnvironmentOrThrow } from "@/lib/environments/get-environment-or-throw";

export const metadata = { title: "New environment · Corral" };

export default async function NewEnvironmentPage({ searchParams }: { searchParams: Promise<{ cloneFrom?: string; template?: string }> }) {
  const { cloneFrom, template } = await searchParams;
  const user = await getCurrentUser();
  const source = cloneFrom && user ? await getEnvironmentOrThrow(cloneFrom, { ...user, via: "session", scopes: null }).catch(() => null) : null;
  return (
    <CreateEnvironmentForm
      initialTemplate={typeof template === "string" ? template : undefined}
      cloneFrom={
        source && source.status !== "destroyed"
          ? {
              id: source.id,
              name: source.name,
              components: source.components.map((c) => ({ name: c.name, repository: c.repository, version: c.tag ?? c.digest ?? "" })),
            }
          : undefined
      }
    />
  );
}
