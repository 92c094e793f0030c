"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { ActorDescription } from "@/lib/auth/describe-actor";

export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: () => apiFetch<ActorDescription>("/api/v1/me"),
    staleTime: 60_000,
  });
}
