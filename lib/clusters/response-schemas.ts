import { z } from "zod";
import type { Fits } from "@/lib/openapi/fits";
import type { ClusterDto } from "./cluster-dto";
import type { deleteCluster } from "./delete-cluster";
import type { ClusterList } from "./list-clusters";

// What the clusters API answers, for the API document (lib/openapi), held to the DTOs by `Fits`.

const iso = z.iso.datetime({ offset: true });

export const clusterSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kubeContext: z.string().nullable(),
    inCluster: z.boolean(),
    ingressHost: z.string().nullable(),
    dnsDomain: z.string().nullable(),
    dnsZoneId: z.string().nullable(),
    urlScheme: z.string(),
    urlPort: z.number().int().nullable(),
    wakerUrl: z.string().nullable().meta({ description: "Corral as this cluster's ingress reaches it: sleeping environments' names lead to its waker." }),
    ingressMetricsUrl: z.string().nullable().meta({ description: "The ingress controller's Prometheus metrics: visits count as activity." }),
    isDefault: z.boolean(),
    environmentCount: z.number().int().meta({ description: "Environments that still hold a namespace there." }),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: "Cluster" });

export const clusterListSchema = z.object({ items: z.array(clusterSchema) }).meta({ id: "ClusterList" });

export const deletedClusterSchema = z.object({ id: z.string(), name: z.string() });

type _Cluster = Fits<ClusterDto, typeof clusterSchema>;
type _List = Fits<ClusterList, typeof clusterListSchema>;
type _Deleted = Fits<Awaited<ReturnType<typeof deleteCluster>>, typeof deletedClusterSchema>;
