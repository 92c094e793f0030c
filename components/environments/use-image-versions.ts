"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";
import { queryKeys } from "@/lib/api-client/query-keys";
import type { ImageVersions } from "@/lib/image-versions/schemas";

/**
 * The versions a component's picker offers for an image repository (templates' defaults, live
 * environments', the registry's tags), newest first. Nothing is asked until there is a
 * repository; the server keeps the registry's answer a minute, and so does this cache.
 */
export function useImageVersions(repository: string | null | undefined) {
  const wanted = repository?.trim() ?? "";
  return useQuery({
    queryKey: queryKeys.imageVersions.repository(wanted),
    queryFn: () => apiFetch<ImageVersions>(`/api/v1/image-versions?repository=${encodeURIComponent(wanted)}`),
    enabled: wanted !== "",
    staleTime: 60_000,
  });
}
