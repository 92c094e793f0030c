"use client";
import { RelativeTime } from "@/components/ui/relative-time";
import type { EnvironmentDetail } from "@/lib/environments/get-environment-or-throw";

/** What a destroyed environment's page says instead of what it could do: when, by whom or what, and why. */
export function EnvironmentGone({ env }: { env: EnvironmentDetail }) {
  return (
    <div className="gone" role="status" data-testid="destroyed">
      Destroyed {env.destroyedAt ? <RelativeTime iso={env.destroyedAt} /> : null}
      {env.destroyedBy ? <> by {env.destroyedBy}</> : null}
      {env.destroyReason ? <>: {env.destroyReason}</> : null}. Its namespace and everything in it are gone; its history stays below.
    </div>
  );
}
