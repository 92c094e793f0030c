"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { DataSourceDto } from "@/lib/data/data-source-dto";
import type { inspectDataSource, previewDataSourceMasking } from "@/lib/data/inspect-data-source";
import type { CopySourceList, DataSourceList } from "@/lib/data/list-data-sources";
import type { z } from "zod";
import type { dataSourceInputSchema } from "@/lib/data/schemas";
import type { testDataSource } from "@/lib/data/test-data-source";
import type { MaskingRulesDraft } from "./masking-rules";

/** What the API takes for a source: the schema's input (its defaults not yet applied). */
export type DataSourceRequest = z.input<typeof dataSourceInputSchema>;
export type DataSourceTestResult = Awaited<ReturnType<typeof testDataSource>>;

const path = (id: string) => `/api/v1/data-sources/${encodeURIComponent(id)}`;

/** Admins get every source and store host with its settings; others the sources they may copy from. */
export function useDataSources<T extends DataSourceList | CopySourceList = DataSourceList>() {
  return useQuery({ queryKey: queryKeys.dataSources.all, queryFn: () => apiFetch<T>("/api/v1/data-sources") });
}

export function useSaveDataSource() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: DataSourceRequest }) =>
      apiFetch<DataSourceDto>(id ? path(id) : "/api/v1/data-sources", { method: id ? "PUT" : "POST", body: JSON.stringify(input) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.dataSources.all }),
  });
}

/** Removes a source no store lives on and no copy came from (the API answers 409 otherwise, saying which). */
export function useDeleteDataSource() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ id: string; name: string }>(path(id), { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.dataSources.all }),
  });
}

/** "Test connection": answers 200 either way; the last outcome is recorded on the source. */
export function useTestDataSource() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<DataSourceTestResult>(`${path(id)}/test`, { method: "POST" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.dataSources.all }),
  });
}

export function useSaveMaskingRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, rules }: { id: string; rules: MaskingRulesDraft }) =>
      apiFetch<{ id: string; name: string; maskingRules: MaskingRulesDraft }>(`${path(id)}/masking-rules`, { method: "PUT", body: JSON.stringify(rules) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.dataSources.all }),
  });
}

export type DataSourceInspection = Awaited<ReturnType<typeof inspectDataSource>>;
export type MaskingPreviewResult = Awaited<ReturnType<typeof previewDataSourceMasking>>;

/**
 * A source's tables and columns, the personal-looking columns with no rule, and rules that no
 * longer fit; `problem` says why the tables could not be read. A refusal (a protected source
 * needs the lead role) is not retried: callers show nothing then.
 */
export function useInspectDataSource(id: string | null) {
  return useQuery({
    queryKey: queryKeys.dataSources.inspect(id ?? ""),
    queryFn: () => apiFetch<DataSourceInspection>(`${path(id!)}/inspect`),
    enabled: id !== null,
    // Each read connects to the source; the schema rarely changes while a form is open.
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
  });
}

/** A few rows of one table before and after the rules being edited; nothing is saved. */
export function useMaskingPreview() {
  return useMutation({
    mutationFn: ({ id, table, columns }: { id: string; table: string; columns: MaskingRulesDraft["columns"] }) =>
      apiFetch<MaskingPreviewResult>(`${path(id)}/masking-preview`, { method: "POST", body: JSON.stringify({ table, columns }) }),
  });
}
