"use client";
import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { deleteTemplate } from "@/lib/templates/delete-template";
import type { TemplateList } from "@/lib/templates/list-templates";
import type { TemplateInput } from "@/lib/templates/schemas";
import type { TemplateDto } from "@/lib/templates/template-dto";

const path = (id: string) => `/api/v1/templates/${encodeURIComponent(id)}`;

export function useTemplates() {
  return useQuery({ queryKey: queryKeys.templates.all, queryFn: () => apiFetch<TemplateList>("/api/v1/templates") });
}

export function useCreateTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TemplateInput) => apiFetch<TemplateDto>("/api/v1/templates", { method: "POST", body: JSON.stringify(input) }),
    onSuccess: () => invalidate(queryClient),
  });
}

export function useUpdateTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: TemplateInput }) =>
      apiFetch<TemplateDto>(path(id), { method: "PUT", body: JSON.stringify(input) }),
    onSuccess: () => invalidate(queryClient),
  });
}

export function useDeleteTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<Awaited<ReturnType<typeof deleteTemplate>>>(path(id), { method: "DELETE" }),
    onSuccess: () => invalidate(queryClient),
  });
}

// A template's defaults are among the versions the picker offers.
function invalidate(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.imageVersions.all });
  return queryClient.invalidateQueries({ queryKey: queryKeys.templates.all });
}
