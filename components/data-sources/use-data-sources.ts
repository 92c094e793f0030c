"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { DataSourceDto } from "@/lib/data/data-source-dto";
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
