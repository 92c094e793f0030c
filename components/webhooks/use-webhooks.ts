"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { CreatedWebhook } from "@/lib/webhooks/create-webhook";
import type { DeliveryList } from "@/lib/webhooks/list-deliveries";
import type { WebhookList } from "@/lib/webhooks/list-webhooks";
import type { createWebhookSchema, UpdateWebhookInput } from "@/lib/webhooks/schemas";
import type { DeliveryDto, WebhookDto } from "@/lib/webhooks/webhook-dto";

export type { CreatedWebhook, DeliveryDto, WebhookDto };
/** What the API takes to create one: the schema's input (its defaults not yet applied). */
export type WebhookRequest = z.input<typeof createWebhookSchema>;

const path = (id: string) => `/api/v1/webhooks/${encodeURIComponent(id)}`;

/** The webhooks of one environment, or (null) every one the viewer manages. */
export function useWebhooks(environmentId: string | null) {
  return useQuery({
    queryKey: queryKeys.webhooks.list(environmentId),
    queryFn: () => apiFetch<WebhookList>(environmentId ? `/api/v1/webhooks?environmentId=${encodeURIComponent(environmentId)}` : "/api/v1/webhooks"),
  });
}

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: WebhookRequest) => apiFetch<CreatedWebhook>("/api/v1/webhooks", { method: "POST", body: JSON.stringify(input) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhooks.all }),
  });
}

export function useUpdateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateWebhookInput }) => apiFetch<WebhookDto>(path(id), { method: "PATCH", body: JSON.stringify(input) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhooks.all }),
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ id: string }>(path(id), { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhooks.all }),
  });
}

/**
 * A webhook's delivery log, read again every second or two while some delivery is still being
 * attempted (the queue's work has no change stream of its own to follow).
 */
export function useDeliveries(id: string) {
  return useQuery({
    queryKey: queryKeys.webhooks.deliveries(id),
    queryFn: () => apiFetch<DeliveryList>(`${path(id)}/deliveries`),
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === "pending" || d.status === "retrying") ? 1_500 : false),
  });
}

export function useSendTest(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<DeliveryDto>(`${path(id)}/test`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhooks.all }),
  });
}

export function useRedeliver(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) => apiFetch<DeliveryDto>(`${path(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhooks.deliveries(id) }),
  });
}
