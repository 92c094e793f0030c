import { z } from "zod";
import { line } from "@/lib/input/text";
import { nameProblem } from "@/lib/environments/names";
import { formatIngressTarget, INGRESS_TARGET_MESSAGE, isHostname, parseIngressTarget } from "./ingress-target";

// Input shapes of the clusters API, shared by the admin form and the route handlers.

const DOMAIN_MESSAGE = "DNS zone is the zone's domain, such as envs.example.com.";
const ZONE_ID_MESSAGE = "Zone id is Route 53's id of the zone, such as Z0123456789ABCDEFGHIJ (or leave it out to find the zone by its domain).";
const PORT_MESSAGE = "Port is a whole number from 1 to 65535, or none for the scheme's own.";

export const clusterNameSchema = z.string({ error: "Name is required." }).superRefine((name, ctx) => {
  const problem = nameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

// Blank and missing both mean "none".
const optionalText = (what: string) =>
  line(253, what)
    .trim()
    .nullish()
    .transform((value) => (value ? value : null));

export const clusterInputSchema = z
  .object({
    name: clusterNameSchema,
    // A context of the kubeconfig Corral runs with; none means that kubeconfig's current context.
    kubeContext: optionalText("The kubeconfig context"),
    inCluster: z.boolean({ error: "In cluster is true or false." }).default(false),
    // Where this cluster's ingress answers: environments' DNS records point here.
    ingressHost: optionalText("Ingress target")
      .refine((v) => v === null || parseIngressTarget(v) !== null, { error: INGRESS_TARGET_MESSAGE })
      .transform((v) => (v === null ? null : formatIngressTarget(parseIngressTarget(v)!))),
    // The Route 53 zone environments' names live in (<env>.<zone>, <component>.<env>.<zone>).
    dnsDomain: optionalText("DNS zone")
      .transform((v) => v?.toLowerCase().replace(/\.$/, "") ?? null)
      .refine((v) => v === null || (isHostname(v) && v.includes(".")), { error: DOMAIN_MESSAGE }),
    dnsZoneId: optionalText("Zone id")
      .transform((v) => v?.replace(/^\/?hostedzone\//, "") ?? null)
      .refine((v) => v === null || /^[A-Z0-9]{1,32}$/.test(v), { error: ZONE_ID_MESSAGE }),
    // How browsers reach the ingress.
    urlScheme: z.enum(["https", "http"], { error: "Scheme is https or http." }).default("https"),
    urlPort: z.number({ error: PORT_MESSAGE }).int({ error: PORT_MESSAGE }).min(1, { error: PORT_MESSAGE }).max(65535, { error: PORT_MESSAGE }).nullish().transform((v) => v ?? null),
    // Where this cluster's ingress reaches Corral's waker (sleeping environments' names lead there).
    wakerUrl: optionalText("Waker URL").refine((v) => v === null || httpUrl(v), { error: "Waker URL is Corral's address as the cluster's ingress reaches it, such as https://corral.example.com." }),
    // The ingress controller's Prometheus metrics: visits to environments' names count as activity.
    ingressMetricsUrl: optionalText("Ingress metrics URL").refine((v) => v === null || httpUrl(v), { error: "Ingress metrics URL is an http(s) URL, such as http://ingress-nginx-controller-metrics.ingress-nginx:10254/metrics." }),
    isDefault: z.boolean({ error: "Default is true or false." }).default(false),
  })
  .superRefine((cluster, ctx) => {
    if (cluster.inCluster && cluster.kubeContext) {
      ctx.addIssue({
        code: "custom",
        path: ["kubeContext"],
        message: "An in-cluster connection uses the Pod's service account, not a kubeconfig context: clear one of the two.",
      });
    }
    if (cluster.dnsZoneId && !cluster.dnsDomain) {
      ctx.addIssue({ code: "custom", path: ["dnsDomain"], message: "Give the zone's domain too: environments' names are made from it." });
    }
  });

export type ClusterFormInput = z.input<typeof clusterInputSchema>;
export type ClusterInput = z.infer<typeof clusterInputSchema>;

function httpUrl(v: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}
