"use client";
// Placeholder until the registry branch lands (it brings the route and this hook).
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client/fetcher";

export interface ImageVersions {
  repository: string;
  versions: { tag: string; sources: ("template" | "environment" | "registry")[]; templates: string[]; environments: string[] }[];
  registry: { status: "ok" | "unreachable" | "refused" | "not-found"; message?: string };
}

export function useImageVersions(repository: string) {
  return useQuery({
    queryKey: ["image-versions", repository],
    queryFn: () => apiFetch<ImageVersions>(`/api/v1/image-versions?repository=${encodeURIComponent(repository)}`),
    enabled: repository !== "",
    staleTime: 30_000,
  });
}
