"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { LifecycleSettingsInput } from "@/lib/lifecycle/schemas";
import type { sendTestNotification } from "@/lib/lifecycle/send-test-notification";
import type { settingsDto } from "@/lib/lifecycle/settings";

export type LifecycleSettingsDto = ReturnType<typeof settingsDto>;
export type WebhookTestResult = Awaited<ReturnType<typeof sendTestNotification>>;

const PATH = "/api/v1/settings/lifecycle";

export function useLifecycleSettings() {
  return useQuery({ queryKey: queryKeys.settings.lifecycle, queryFn: () => apiFetch<LifecycleSettingsDto>(PATH) });
}

export function useSaveLifecycleSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LifecycleSettingsInput) => apiFetch<LifecycleSettingsDto>(PATH, { method: "PUT", body: JSON.stringify(input) }),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.settings.lifecycle, saved);
      // Prices change every cost shown; the rules change what the dry run foresees.
      void queryClient.invalidateQueries({ queryKey: queryKeys.environments.overviews });
      void queryClient.invalidateQueries({ queryKey: queryKeys.environments.forecasts });
      return queryClient.invalidateQueries({ queryKey: queryKeys.usage.all });
    },
  });
}

/** "Send test": answers 200 whether or not the webhook took it; 409 when none is set. */
export function useTestWebhook() {
  return useMutation({ mutationFn: () => apiFetch<WebhookTestResult>(`${PATH}/test-webhook`, { method: "POST" }) });
}
