"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { bulkDestroy } from "@/lib/environments/bulk-destroy";
import type { environmentsOverview, lifecycleForecast } from "@/lib/lifecycle/overview";
import type { OverviewFilters } from "@/lib/lifecycle/schemas";
import type { usageReport } from "@/lib/lifecycle/usage-report";

export type Overview = Awaited<ReturnType<typeof environmentsOverview>>;
export type OverviewItem = Overview["items"][number];
export type Forecast = Awaited<ReturnType<typeof lifecycleForecast>>;
export type UsageReport = Awaited<ReturnType<typeof usageReport>>;
export type BulkDestroyResult = Awaited<ReturnType<typeof bulkDestroy>>;

/** Every live environment with age, activity, expiry, owner and cost, sorted and filtered by the server. */
export function useOverview(filters: OverviewFilters) {
  return useQuery({
    queryKey: queryKeys.environments.overview(filters),
    queryFn: () => apiFetch<Overview>(`/api/v1/environments/overview?${searchOf(filters)}`),
    // A new sort or filter keeps the rows on screen until the new ones arrive, not a blank table.
    placeholderData: keepPreviousData,
  });
}

/** The dry run: what expiry and sleep will do in the next `hours`. */
export function useForecast(hours: number) {
  return useQuery({
    queryKey: queryKeys.environments.forecast(hours),
    queryFn: () => apiFetch<Forecast>(`/api/v1/lifecycle/forecast?hours=${hours}`),
  });
}

export function useUsage(days: number, by: "owner" | "template") {
  return useQuery({
    queryKey: queryKeys.usage.report(days, by),
    queryFn: () => apiFetch<UsageReport>(`/api/v1/usage?days=${days}&by=${by}`),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** A lead's tear-down of many environments; the answer says what became of each. */
export function useBulkDestroy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: string[]; reason?: string }) =>
      apiFetch<BulkDestroyResult>("/api/v1/environments/bulk-destroy", { method: "POST", body: JSON.stringify(input) }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.usage.all });
      return queryClient.invalidateQueries({ queryKey: queryKeys.environments.all });
    },
  });
}

function searchOf(filters: OverviewFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  return params;
}
