"use client";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { UserList } from "@/lib/auth/list-users";
import type { readComponentEnv } from "@/lib/environments/read-component-env";
import type { EnvironmentDto } from "@/lib/environments/environment-dto";
import type { EnvironmentDetail } from "@/lib/environments/get-environment-or-throw";
import type { EnvironmentPage } from "@/lib/environments/list-environments";
import type { KubeEventList } from "@/lib/environments/list-kube-events";
import type { CreateEnvironmentInput, EnvironmentFilters } from "@/lib/environments/schemas";

export function useEnvironments(filters: EnvironmentFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.environments.list(filters),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams();
      if (filters.q) params.set("q", filters.q);
      if (filters.owner) params.set("owner", filters.owner);
      if (filters.status) params.set("status", filters.status);
      if (pageParam) params.set("cursor", pageParam);
      return apiFetch<EnvironmentPage>(`/api/v1/environments?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useEnvironment(id: string) {
  return useQuery({
    queryKey: queryKeys.environments.detail(id),
    queryFn: () => apiFetch<EnvironmentDetail>(`/api/v1/environments/${encodeURIComponent(id)}`),
  });
}

export function useCreateEnvironment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateEnvironmentInput) =>
      apiFetch<EnvironmentDto>("/api/v1/environments", { method: "POST", body: JSON.stringify(input) }),
    onSuccess: () => {
      // What environments run is among the versions the picker offers.
      void queryClient.invalidateQueries({ queryKey: queryKeys.imageVersions.all });
      return queryClient.invalidateQueries({ queryKey: queryKeys.environments.all });
    },
  });
}

export function useKubeEvents(id: string) {
  return useQuery({
    queryKey: queryKeys.environments.kubeEvents(id),
    queryFn: () => apiFetch<KubeEventList>(`/api/v1/environments/${encodeURIComponent(id)}/kube-events`),
  });
}

/** One action on an environment; on success the answer replaces its cached detail. */
export function useEnvironmentAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: EnvironmentActionRequest) => {
      const path = `/api/v1/environments/${encodeURIComponent(id)}`;
      switch (action.kind) {
        case "change-version":
          return apiFetch<EnvironmentDetail>(`${path}/components/${encodeURIComponent(action.component)}`, {
            method: "PATCH",
            body: JSON.stringify({ image: action.image }),
          });
        case "restart":
          return apiFetch<EnvironmentDetail>(`${path}/components/${encodeURIComponent(action.component)}/restart`, { method: "POST" });
        case "scale":
          return apiFetch<EnvironmentDetail>(`${path}/components/${encodeURIComponent(action.component)}/replicas`, {
            method: "PUT",
            body: JSON.stringify({ replicas: action.replicas }),
          });
        case "add-hostname":
          return apiFetch<EnvironmentDetail>(`${path}/hostnames`, { method: "POST", body: JSON.stringify({ fqdn: action.fqdn, component: action.component }) });
        case "remove-hostname":
          return apiFetch<EnvironmentDetail>(`${path}/hostnames/${encodeURIComponent(action.hostnameId)}`, { method: "DELETE" });
        case "hand-over":
          return apiFetch<EnvironmentDetail>(`${path}/owner`, { method: "PUT", body: JSON.stringify({ owner: action.owner }) });
        case "destroy":
          return apiFetch<EnvironmentDetail>(action.reason ? `${path}?reason=${encodeURIComponent(action.reason)}` : path, { method: "DELETE" });
        case "extend":
          return apiFetch<EnvironmentDetail>(`${path}/extend`, { method: "POST", body: JSON.stringify(action.until ? { until: action.until } : { hours: action.hours }) });
        case "unpin":
          return apiFetch<EnvironmentDetail>(`${path}/pin`, { method: "DELETE" });
        default:
          return apiFetch<EnvironmentDetail>(`${path}/${action.kind}`, { method: "POST" });
      }
    },
    onSuccess: (detail) => {
      queryClient.setQueryData(queryKeys.environments.detail(id), detail);
      void queryClient.invalidateQueries({ queryKey: queryKeys.environments.lists });
      void queryClient.invalidateQueries({ queryKey: queryKeys.imageVersions.all });
    },
  });
}

/** Stops a queued or running job of the environment; the change feed brings its end. */
export function useCancelJob(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (jobId: string) =>
      apiFetch<{ id: string }>(`/api/v1/environments/${encodeURIComponent(id)}/jobs/${encodeURIComponent(jobId)}/cancel`, { method: "POST" }),
    onSuccess: () => {
      // A copy's own row says it is stopping only once the worker has heard; its job row says so now.
      void queryClient.invalidateQueries({ queryKey: queryKeys.environments.data(id) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.environments.detail(id) });
    },
  });
}

export type EnvironmentActionRequest =
  | { kind: "change-version"; component: string; image: string }
  | { kind: "restart"; component: string }
  | { kind: "scale"; component: string; replicas: number }
  | { kind: "hand-over"; owner: string }
  | { kind: "add-hostname"; fqdn: string; component: string }
  | { kind: "remove-hostname"; hostnameId: string }
  | { kind: "destroy"; reason?: string }
  | { kind: "extend"; hours?: number; until?: string }
  | { kind: "rollback" | "upgrade" | "retry" | "sleep" | "wake" | "pin" | "unpin" };

/** A component's environment variables, Secrets' values hidden; read (and audited) only when asked for. */
export function useComponentEnv(id: string, component: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.environments.componentEnv(id, component),
    queryFn: () => apiFetch<ComponentEnv>(`/api/v1/environments/${encodeURIComponent(id)}/components/${encodeURIComponent(component)}/env`),
    enabled,
    staleTime: 30_000,
  });
}

/** People to hand an environment to, by name or e-mail. */
export function useUsers(q: string) {
  return useQuery({
    queryKey: queryKeys.users(q),
    queryFn: () => apiFetch<UserList>(`/api/v1/users?q=${encodeURIComponent(q)}`),
    staleTime: 30_000,
  });
}


type ComponentEnv = Awaited<ReturnType<typeof readComponentEnv>>;
