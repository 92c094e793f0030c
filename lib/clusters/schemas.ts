import { z } from "zod";
import { line } from "@/lib/input/text";
import { nameProblem } from "@/lib/environments/names";

// Input shapes of the clusters API, shared by the admin form and the route handlers.

const HOST_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOSTNAME_MESSAGE = "Ingress host is a DNS name such as ingress.example.com (letters, digits, '-' and '.').";

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
    ingressHost: optionalText("Ingress host")
      .transform((v) => v?.toLowerCase().replace(/\.$/, "") ?? null)
      .refine((v) => v === null || isHostname(v), { error: HOSTNAME_MESSAGE }),
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
  });

export type ClusterFormInput = z.input<typeof clusterInputSchema>;
export type ClusterInput = z.infer<typeof clusterInputSchema>;

function isHostname(host: string): boolean {
  return host.length <= 253 && host.split(".").every((label) => HOST_LABEL.test(label));
}
