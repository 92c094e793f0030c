"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { ClusterDto } from "@/lib/clusters/cluster-dto";
import type { ClusterList } from "@/lib/clusters/list-clusters";
import type { ClusterInput } from "@/lib/clusters/schemas";

export function useClusters() {
  return useQuery({ queryKey: queryKeys.clusters.all, queryFn: () => apiFetch<ClusterList>("/api/v1/clusters") });
}

export function useCreateCluster() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ClusterInput) => apiFetch<ClusterDto>("/api/v1/clusters", { method: "POST", body: JSON.stringify(input) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.clusters.all }),
  });
}

/** Removes a cluster that holds no live environment. */
export function useDeleteCluster() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ id: string; name: string }>(`/api/v1/clusters/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.clusters.all }),
  });
}

/** Replaces a cluster's settings; making one the default is an update with `isDefault: true`. */
export function useUpdateCluster() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: ClusterInput }) =>
      apiFetch<ClusterDto>(`/api/v1/clusters/${encodeURIComponent(id)}`, { method: "PUT", body: JSON.stringify(input) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.clusters.all }),
  });
}
