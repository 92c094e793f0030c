import Link from "next/link";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { config } from "@/lib/config";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  return (
    <>
      {config().CORRAL_LOCAL_SIGNIN ? (
        <div className="banner" role="status">
          Local sign-in is on: anyone can sign in as anyone. For trying Corral out only.
        </div>
      ) : null}
      <header className="topbar">
        <Link href="/environments" className="brand">
          <span aria-hidden>◎</span> Corral
        </Link>
        <nav>
          <Link href="/environments">Environments</Link>
          {can(user.role, "environments:read") ? <Link href="/overview">Overview</Link> : null}
          <Link href="/tokens">API tokens</Link>
          {can(user.role, "audit:read") ? <Link href="/audit">Audit log</Link> : null}
          {can(user.role, "templates:read") ? <Link href="/templates">Templates</Link> : null}
          {can(user.role, "clusters:manage") ? <Link href="/clusters">Clusters</Link> : null}
          {can(user.role, "data-sources:manage") ? <Link href="/data-sources">Data sources</Link> : null}
          {can(user.role, "settings:manage") ? <Link href="/settings">Settings</Link> : null}
          {can(user.role, "webhooks:manage-installation") ? <Link href="/webhooks">Webhooks</Link> : null}
          <Link href="/api-reference">API</Link>
        </nav>
        <div className="user" data-testid="current-user">
          <NotificationBell />
          <span>{user.name}</span> <span className="role">{user.role}</span>
          <SignOutButton />
        </div>
      </header>
      <main className="main">{children}</main>
    </>
  );
}
