import type { AuditFilters } from "@/lib/audit/schemas";
import type { EnvironmentFilters } from "@/lib/environments/schemas";
import type { OverviewFilters } from "@/lib/lifecycle/schemas";

// Every react-query key comes from here, so a mutation can invalidate exactly what it changed.
export const queryKeys = {
  environments: {
    all: ["environments"] as const,
    lists: ["environments", "list"] as const,
    list: (filters: EnvironmentFilters) => ["environments", "list", filters] as const,
    detail: (id: string) => ["environments", "detail", id] as const,
    // Under the detail's key, so whatever refreshes an environment refreshes its events too.
    kubeEvents: (id: string) => ["environments", "detail", id, "kube-events"] as const,
    // Not under the detail: every change would read them again, and each read is audited.
    componentEnv: (id: string, component: string) => ["component-env", id, component] as const,
    // Not under the detail either: only its own changes (stores, copies) refetch it.
    data: (id: string) => ["environment-data", id] as const,
    // Under the lists: the change feed and every environment mutation refresh them as they do the lists.
    overviews: ["environments", "list", "overview"] as const,
    overview: (filters: OverviewFilters) => ["environments", "list", "overview", filters] as const,
    forecasts: ["environments", "list", "forecast"] as const,
    forecast: (hours: number) => ["environments", "list", "forecast", hours] as const,
  },
  // Days past change only as time passes; a tear-down or a change of prices invalidates `all`.
  usage: {
    all: ["usage"] as const,
    report: (days: number, by: "owner" | "template") => ["usage", days, by] as const,
  },
  settings: {
    lifecycle: ["settings", "lifecycle"] as const,
  },
  users: (q: string) => ["users", q] as const,
  templates: {
    all: ["templates"] as const,
  },
  // Template defaults and what environments run are part of the answer: their mutations invalidate `all`.
  imageVersions: {
    all: ["image-versions"] as const,
    repository: (repository: string) => ["image-versions", repository] as const,
  },
  clusters: {
    all: ["clusters"] as const,
  },
  dataSources: {
    all: ["data-sources"] as const,
    // Under `all`: saving a source or its rules reads its tables and rule problems again.
    inspect: (id: string) => ["data-sources", "inspect", id] as const,
  },
  webhooks: {
    all: ["webhooks"] as const,
    // null: every webhook the viewer manages (the admin page).
    list: (environmentId: string | null) => ["webhooks", "list", environmentId ?? "*"] as const,
    // Under `all`: a change to a webhook reads its log again.
    deliveries: (id: string) => ["webhooks", "deliveries", id] as const,
  },
  me: ["me"] as const,
  notifications: ["notifications"] as const,
  tokens: {
    all: ["tokens"] as const,
  },
  audit: {
    list: (filters: AuditFilters) => ["audit", "list", filters] as const,
  },
};
