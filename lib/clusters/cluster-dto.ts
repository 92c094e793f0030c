// What the API answers for a cluster: an explicit shape with ISO dates.

export const clusterSelect = {
  id: true,
  name: true,
  kubeContext: true,
  inCluster: true,
  ingressHost: true,
  dnsDomain: true,
  dnsZoneId: true,
  urlScheme: true,
  urlPort: true,
  wakerUrl: true,
  ingressMetricsUrl: true,
  isDefault: true,
  createdAt: true,
  updatedAt: true,
  // Environments that still hold a namespace there.
  _count: { select: { environments: { where: { status: { not: "destroyed" } } } } },
} as const;

interface ClusterRow {
  id: string;
  name: string;
  kubeContext: string | null;
  inCluster: boolean;
  ingressHost: string | null;
  dnsDomain: string | null;
  dnsZoneId: string | null;
  urlScheme: string;
  urlPort: number | null;
  wakerUrl: string | null;
  ingressMetricsUrl: string | null;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
  _count: { environments: number };
}

export function toClusterDto(cluster: ClusterRow) {
  return {
    id: cluster.id,
    name: cluster.name,
    kubeContext: cluster.kubeContext,
    inCluster: cluster.inCluster,
    ingressHost: cluster.ingressHost,
    dnsDomain: cluster.dnsDomain,
    dnsZoneId: cluster.dnsZoneId,
    urlScheme: cluster.urlScheme,
    urlPort: cluster.urlPort,
    wakerUrl: cluster.wakerUrl,
    ingressMetricsUrl: cluster.ingressMetricsUrl,
    isDefault: cluster.isDefault,
    environmentCount: cluster._count.environments,
    createdAt: cluster.createdAt.toISOString(),
    updatedAt: cluster.updatedAt.toISOString(),
  };
}

export type ClusterDto = ReturnType<typeof toClusterDto>;
