"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { createApiToken, listApiTokens } from "@/lib/auth/api-tokens";
import type { CreateApiTokenInput } from "@/lib/auth/schemas";

type TokenList = Awaited<ReturnType<typeof listApiTokens>>;
export type CreatedToken = Awaited<ReturnType<typeof createApiToken>>;

export function useTokens() {
  return useQuery({ queryKey: queryKeys.tokens.all, queryFn: () => apiFetch<TokenList>("/api/v1/tokens") });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateApiTokenInput) => apiFetch<CreatedToken>("/api/v1/tokens", { method: "POST", body: JSON.stringify(input) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens.all }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/v1/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens.all }),
  });
}
