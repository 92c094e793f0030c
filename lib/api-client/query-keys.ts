import type { AuditFilters } from "@/components/audit/use-audit";
import type { ListEnvironmentsFilters } from "@/components/environments/use-environments";

// Every react-query key comes from here, so a mutation can invalidate exactly what it changed.
export const queryKeys = {
  environments: {
    all: ["environments"] as const,
    list: (filters: ListEnvironmentsFilters) => ["environments", "list", filters] as const,
    detail: (id: string) => ["environments", "detail", id] as const,
  },
  templates: {
    all: ["templates"] as const,
  },
  me: ["me"] as const,
  tokens: {
    all: ["tokens"] as const,
  },
  audit: {
    all: ["audit"] as const,
    list: (filters: AuditFilters) => ["audit", "list", filters] as const,
  },
};
