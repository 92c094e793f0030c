"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { DataCopyDto } from "@/lib/data/data-copy-dto";
import type { EnvironmentData } from "@/lib/data/environment-data";
import type { CopyInput } from "@/lib/data/schemas";

/**
 * An environment's stores and copies. Kept fresh by the change feed (useEnvironmentChanges
 * invalidates it on every notice of a data-copy job and on the environment's own changes).
 */
export function useEnvironmentData(id: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.environments.data(id),
    queryFn: () => apiFetch<EnvironmentData>(`/api/v1/environments/${encodeURIComponent(id)}/data`),
    enabled: options.enabled ?? true,
  });
}

/** Starts a copy into the environment's store; its progress arrives on the change feed. */
export function useStartDataCopy(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CopyInput) =>
      apiFetch<DataCopyDto>(`/api/v1/environments/${encodeURIComponent(id)}/data/copies`, { method: "POST", body: JSON.stringify(input) }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.environments.detail(id) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.environments.data(id) });
    },
  });
}
