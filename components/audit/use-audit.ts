"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { AuditPage } from "@/lib/audit/list-audit";
import type { AuditFilters } from "@/lib/audit/schemas";

export function auditSearchParams(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params;
}

export function useAudit(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit.list(filters),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = auditSearchParams(filters);
      if (pageParam) params.set("cursor", pageParam);
      return apiFetch<AuditPage>(`/api/v1/audit?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}
